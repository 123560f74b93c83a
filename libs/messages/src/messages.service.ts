import { Injectable } from '@nestjs/common';
import {
  ChangesPage,
  ChangesQuery,
  ChatsClient,
  EditMessage,
  ErrorCodes,
  HistoryPage,
  HistoryQuery,
  MAX_TEXT_LENGTH,
  MessageCreatedEvent,
  MessageDeletedEvent,
  MessageDto,
  MemberReadStateDto,
  MessageEditedEvent,
  MessageRef,
  MessagesEvents,
  Membership,
  SendMessage,
} from '@chat/contracts';
import { BusClient, DomainError } from '@chat/platform';
import { randomUUID } from 'node:crypto';
import { decodeChangeCursor, encodeChangeCursor } from './change-cursor';
import { DEFAULT_HISTORY_PAGE, MAX_CHANGES_PAGE, MAX_HISTORY_PAGE, meaningfulText, Message } from './domain/message';
import { toMessageDto, withReceipts } from './message-views';
import { MessageRepository } from './persistence/message.repository';

// "Not a member" and "does not exist" are one answer, so nobody learns which chats and messages exist.
const chatNotFound = () => new DomainError(ErrorCodes.CHAT_NOT_FOUND, 'Chat not found');
const messageNotFound = () => new DomainError(ErrorCodes.MESSAGE_NOT_FOUND, 'Message not found');

/** Who reads a chat's pages: the chat's kind and its members' read pointers, which the receipts come from. */
interface Reader {
  kind: Membership['kind'];
  states: MemberReadStateDto[];
}

@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessageRepository,
    private readonly chats: ChatsClient,
    private readonly bus: BusClient,
  ) {}

  async send({ senderId, chatId, clientMessageId, text, image, replyToId }: SendMessage): Promise<MessageDto> {
    const membership = await this.chats.membership({ userId: senderId, chatId });
    if (!membership.isMember) throw chatNotFound();
    const retried = await this.messages.findByClientId(chatId, senderId, clientMessageId);
    if (retried) return this.acknowledgeRetry(retried, membership);

    const body = meaningfulText(text);
    if (!body && !image) throw new DomainError(ErrorCodes.MESSAGE_EMPTY, 'A message needs text or an image');
    if (body && body.length > MAX_TEXT_LENGTH) throw new DomainError(ErrorCodes.VALIDATION_FAILED, `Text is limited to ${MAX_TEXT_LENGTH} characters`);
    const replyTo = replyToId ? await this.visibleInChat(replyToId, chatId, senderId) : null;
    if (replyToId && !replyTo) throw new DomainError(ErrorCodes.MESSAGE_INVALID_REPLY, 'The message replied to is not in this chat');

    const { message, created } = await this.messages.insertNext({
      id: randomUUID(),
      chatId,
      senderId,
      clientMessageId,
      text: body,
      image: image ?? null,
      replyToId: replyTo?.id ?? null,
      createdAt: new Date(),
      editedAt: null,
      deletedAt: null,
    });
    if (!created) return this.acknowledgeRetry(message, membership);
    const dto = toMessageDto(message, replyTo);
    await this.bus.publish<MessageCreatedEvent>(MessagesEvents.created, { message: dto, memberIds: membership.memberIds });
    return withReceipts([dto], membership.kind, [])[0];
  }

  async edit({ userId, messageId, text }: EditMessage): Promise<MessageDto> {
    const { message, membership } = await this.requireOwnLiveMessage(messageId, userId);
    const body = meaningfulText(text);
    if (!body && !message.image) throw new DomainError(ErrorCodes.MESSAGE_EMPTY, 'A message needs text or an image');
    const edited = (await this.messages.updateText(message.id, body, new Date()))!;
    const dto = toMessageDto(edited, await this.replyOf(edited));
    await this.bus.publish<MessageEditedEvent>(MessagesEvents.edited, { message: dto, memberIds: membership.memberIds });
    return dto;
  }

  async deleteForEveryone({ userId, messageId }: MessageRef): Promise<MessageDto> {
    const { message, membership } = await this.requireVisible(messageId, userId);
    if (message.senderId !== userId) throw new DomainError(ErrorCodes.MESSAGE_NOT_SENDER, 'Only the sender can delete a message for everyone');
    // Deleting a tombstone again is a no-op answer, not an error: the client's retry sees what it wanted.
    if (message.deletedAt) return toMessageDto(message, null);
    const tombstone = (await this.messages.tombstone(message.id, new Date()))!;
    const dto = toMessageDto(tombstone, null);
    await this.bus.publish<MessageDeletedEvent>(MessagesEvents.deleted, {
      message: dto,
      memberIds: membership.memberIds,
      removedImageKey: message.image?.key ?? null,
    });
    return dto;
  }

  async deleteForMe({ userId, messageId }: MessageRef): Promise<void> {
    const { message } = await this.requireVisible(messageId, userId);
    await this.messages.hideFor(userId, message);
  }

  async get({ userId, messageId }: MessageRef): Promise<MessageDto> {
    const { message, membership } = await this.requireVisible(messageId, userId);
    const states = await this.chats.readStates({ userId, chatId: message.chatId });
    return withReceipts([toMessageDto(message, await this.replyOf(message))], membership.kind, states)[0];
  }

  async history({ userId, chatId, before, after, around, limit }: HistoryQuery): Promise<HistoryPage> {
    const anchors = [before, after, around].filter((v) => v !== undefined && v !== null).length;
    if (anchors > 1) throw new DomainError(ErrorCodes.VALIDATION_FAILED, 'Give at most one of before, after, around');
    const size = Math.min(Math.max(limit ?? DEFAULT_HISTORY_PAGE, 1), MAX_HISTORY_PAGE);
    const reader = await this.readerOf(chatId, userId);
    // Read before the page: a change committed meanwhile is after the cursor, so catch-up sends it (at worst
    // a second time, never not at all).
    const changeCursor = encodeChangeCursor(await this.messages.lastChangeSeq(chatId));

    let items: Message[];
    let hasOlder: boolean;
    let hasNewer: boolean;
    if (after !== undefined && after !== null) {
      const newer = await this.messages.pageAfter(chatId, userId, after, size + 1);
      items = newer.slice(0, size);
      hasNewer = newer.length > size;
      hasOlder = (await this.messages.pageBefore(chatId, userId, after + 1, 1)).length > 0;
    } else if (around) {
      const anchor = await this.visibleInChat(around, chatId, userId);
      if (!anchor) throw messageNotFound();
      const olderCount = Math.floor(size / 2);
      const older = await this.messages.pageBefore(chatId, userId, anchor.seq, olderCount + 1);
      const newer = await this.messages.pageAfter(chatId, userId, anchor.seq - 1, size - olderCount + 1);
      items = [...older.slice(0, olderCount).reverse(), ...newer.slice(0, size - olderCount)];
      hasOlder = older.length > olderCount;
      hasNewer = newer.length > size - olderCount;
    } else {
      const older = await this.messages.pageBefore(chatId, userId, before ?? null, size + 1);
      items = older.slice(0, size).reverse();
      hasOlder = older.length > size;
      hasNewer = before !== undefined && before !== null && (await this.messages.pageAfter(chatId, userId, before - 1, 1)).length > 0;
    }
    return { items: await this.pageViews(items, reader), hasOlder, hasNewer, changeCursor };
  }

  /**
   * Messages edited or deleted for everyone after the cursor, as they are now, in change order; what catch-up
   * needs besides the messages after the client's last seq. Without a cursor there is nothing to compare with:
   * no items, only the cursor to start from.
   */
  async changes({ userId, chatId, after, limit }: ChangesQuery): Promise<ChangesPage> {
    const size = Math.min(Math.max(limit ?? MAX_CHANGES_PAGE, 1), MAX_CHANGES_PAGE);
    const from = after === undefined || after === null ? null : decodeChangeCursor(after);
    // Same question and same answer to a non-member as history.
    const reader = await this.readerOf(chatId, userId);
    if (from === null) return { items: [], hasMore: false, changeCursor: encodeChangeCursor(await this.messages.lastChangeSeq(chatId)) };

    const found = await this.messages.changedAfter(chatId, userId, from, size + 1);
    const items = found.slice(0, size);
    const last = items.length ? items[items.length - 1].changeSeq! : from;
    return { items: await this.pageViews(items, reader), hasMore: found.length > size, changeCursor: encodeChangeCursor(last) };
  }

  /**
   * A member reading a chat's pages, with what their receipts are computed from: one question for both, the
   * membership check and the read pointers. A non-member gets "chat not found", as for a chat that is not there.
   */
  private async readerOf(chatId: string, userId: string): Promise<Reader> {
    const membership = await this.chats.membership({ userId, chatId, withReadStates: true });
    if (!membership.isMember || !membership.readStates) throw chatNotFound();
    return { kind: membership.kind, states: membership.readStates };
  }

  /** A page of messages as the reader sees them: each with the message it replies to, and receipts. */
  private async pageViews(items: Message[], reader: Reader): Promise<MessageDto[]> {
    const replies = await this.repliesOf(items);
    const dtos = items.map((m) => toMessageDto(m, m.replyToId ? (replies.get(m.replyToId) ?? null) : null));
    return withReceipts(dtos, reader.kind, reader.states);
  }

  /**
   * A retry of a stored send: same answer as the first time, and the event again (handlers are idempotent),
   * so a crash between commit and publish is healed by the client's retry.
   */
  private async acknowledgeRetry(message: Message, membership: Membership): Promise<MessageDto> {
    const dto = toMessageDto(message, await this.replyOf(message));
    await this.bus.publish<MessageCreatedEvent>(MessagesEvents.created, { message: dto, memberIds: membership.memberIds });
    return withReceipts([dto], membership.kind, [])[0];
  }

  private async requireVisible(messageId: string, userId: string): Promise<{ message: Message; membership: Membership }> {
    const message = await this.messages.findById(messageId);
    if (!message) throw messageNotFound();
    const membership = await this.chats.membership({ userId, chatId: message.chatId });
    if (!membership.isMember || (await this.messages.isHiddenFor(userId, message))) throw messageNotFound();
    return { message, membership };
  }

  private async requireOwnLiveMessage(messageId: string, userId: string): Promise<{ message: Message; membership: Membership }> {
    const found = await this.requireVisible(messageId, userId);
    if (found.message.senderId !== userId) throw new DomainError(ErrorCodes.MESSAGE_NOT_SENDER, 'Only the sender can edit a message');
    if (found.message.deletedAt) throw new DomainError(ErrorCodes.MESSAGE_DELETED, 'The message was deleted');
    return found;
  }

  private async visibleInChat(messageId: string, chatId: string, userId: string): Promise<Message | null> {
    const message = await this.messages.findById(messageId);
    if (!message || message.chatId !== chatId || (await this.messages.isHiddenFor(userId, message))) return null;
    return message;
  }

  private async replyOf(message: Message): Promise<Message | null> {
    return message.replyToId ? this.messages.findById(message.replyToId) : null;
  }

  private async repliesOf(messages: Message[]): Promise<Map<string, Message>> {
    const ids = [...new Set(messages.map((m) => m.replyToId).filter((id): id is string => Boolean(id)))];
    return new Map((await this.messages.findByIds(ids)).map((m) => [m.id, m]));
  }
}
