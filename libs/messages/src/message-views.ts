import { ChatKind, filePreviewOf, mentionedIds, MemberReadStateDto, MessageDto, PinDto, ReactionDto, ReplyPreview, unavailableReply } from '@chat/contracts';
import { copyWith } from '@chat/platform';
import { Pin } from './domain/pins';
import { Message, REPLY_PREVIEW_LENGTH } from './domain/message';
import { MemberPointers } from './domain/read-pointers';
import { isVisibleFrom } from './domain/visibility';

export function toReplyPreview(message: Message): ReplyPreview {
  const deleted = message.deletedAt !== null;
  return {
    id: message.id,
    seq: message.seq,
    senderId: message.senderId,
    text: deleted || !message.text ? null : message.text.slice(0, REPLY_PREVIEW_LENGTH),
    hasImage: !deleted && message.image !== null,
    file: !deleted && message.file ? filePreviewOf(message.file) : null,
    deleted,
  };
}

/**
 * The message as a reader with this floor sees it: the message it replies to is previewed only if the reader may see
 * that one too (a reply to a message sent before they joined shows as a reply, and nothing of the message).
 */
export function toMessageDtoFor(message: Message, replyTo: Message | null, readerFloor: number, reactions: ReactionDto[] = []): MessageDto {
  const dto = toMessageDto(message, replyTo, reactions);
  if (dto.replyTo && !isVisibleFrom(readerFloor, dto.replyTo.seq)) dto.replyTo = unavailableReply(dto.replyTo);
  return dto;
}

/** `reactions` as summarized (summarizeReactions); a tombstone has none, whatever is passed. */
export function toMessageDto(message: Message, replyTo: Message | null, reactions: ReactionDto[] = []): MessageDto {
  return {
    id: message.id,
    chatId: message.chatId,
    seq: message.seq,
    senderId: message.senderId,
    clientMessageId: message.clientMessageId,
    text: message.text,
    image: message.image,
    file: message.file,
    replyTo: replyTo ? toReplyPreview(replyTo) : null,
    createdAt: message.createdAt.toISOString(),
    editedAt: message.editedAt?.toISOString() ?? null,
    deletedAt: message.deletedAt?.toISOString() ?? null,
    system: message.system,
    reactions: message.deletedAt ? [] : reactions,
    forwarded: message.forwarded,
    mentions: mentionedIds(message.text),
  };
}

export function toPinDto(pin: Pin, message: Message): PinDto {
  return { chatId: pin.chatId, messageId: pin.messageId, seq: pin.seq, pinnedBy: pin.pinnedBy, pinnedAt: pin.pinnedAt.toISOString(), message: toReplyPreview(message) };
}

/**
 * Read receipts from the members' read pointers, once per page: a message is seen by a member whose
 * lastReadSeq reached its seq. 1:1 chats get seen/seenAt (the pointer's time), groups get readBy.
 */
export function withReceipts(messages: MessageDto[], kind: ChatKind | null, states: MemberReadStateDto[]): MessageDto[] {
  return messages.map((message) => {
    const readers = states.filter((s) => s.userId !== message.senderId && s.lastReadSeq >= message.seq);
    if (kind === 'direct') {
      return copyWith(message, { seen: readers.length > 0, seenAt: readers[0]?.lastReadAt ?? null });
    }
    return copyWith(message, { readBy: readers.map((r) => r.userId) });
  });
}

export const toReadState = (pointers: MemberPointers): MemberReadStateDto => ({
  userId: pointers.userId,
  lastDeliveredSeq: pointers.lastDeliveredSeq,
  lastReadSeq: pointers.lastReadSeq,
  lastReadAt: pointers.lastReadAt?.toISOString() ?? null,
  lastDeliveredAt: pointers.lastDeliveredAt?.toISOString() ?? null,
});
