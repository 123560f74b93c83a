// A leaf file (types only besides this function): the web app imports it as it is.
import type { LastMessagePreview } from './chats.contract';
import type { FilePreview, FileRef, MessageDto, ReplyPreview } from './messages.contract';

export const PREVIEW_LENGTH = 120;

/**
 * The chat list's preview of a message (in any of its states), the same on the server (Chats) and in a client
 * that updates its list from a `message:new`, `message:edited` or `message:deleted` frame. A system message's
 * preview carries its `system` event, which the client words with the names it knows.
 */
export function previewOf(message: MessageDto): LastMessagePreview {
  const deleted = message.deletedAt !== null;
  return {
    messageId: message.id,
    seq: message.seq,
    senderId: message.senderId,
    text: deleted || !message.text ? null : message.text.slice(0, PREVIEW_LENGTH),
    hasImage: !deleted && message.image !== null,
    file: !deleted && message.file ? filePreviewOf(message.file) : null,
    deleted,
    createdAt: message.createdAt,
    editedAt: message.editedAt,
    system: message.system ?? null,
  };
}

/** What a quote or the chat list shows of a file: its kind and name, not its URL. */
export function filePreviewOf(file: Pick<FileRef, 'kind' | 'name'>): FilePreview {
  return { kind: file.kind, name: file.name };
}

/**
 * A reply's preview for a reader who joined after the message replied to: it says a reply was made, and nothing of
 * the message (no sender, text or image), which that reader may not see.
 */
export function unavailableReply(reply: ReplyPreview): ReplyPreview {
  return { id: reply.id, seq: reply.seq, senderId: '', text: null, hasImage: false, deleted: false, unavailable: true };
}

/**
 * Who has read a message the moment it is stored, besides its sender: the members a system line brings in (all of
 * them for the group's creation), so the line that adds someone is never unread for them. The same rule in Messages
 * (its pointers) and Chats (its unread counts), each applying it to its own copy.
 */
export function readOnArrival(message: Pick<MessageDto, 'system'>, memberIds: string[]): string[] {
  const event = message.system;
  if (event?.type === 'created') return memberIds;
  if (event?.type === 'members-added') return event.userIds.filter((id) => memberIds.includes(id));
  return [];
}
