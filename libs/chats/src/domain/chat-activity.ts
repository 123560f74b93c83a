import { LastMessagePreview } from '@chat/contracts';
import { Chat, ChatMember } from './chat';

/** What a chat shows of its messages: the newest seq, the newest activity, the preview of the newest message. */
export type ChatActivity = Pick<Chat, 'lastSeq' | 'lastActivityAt' | 'lastMessage'>;

/** A message's states in the order they can follow each other: sent, edited (later edits later), deleted. */
function stateRank(preview: LastMessagePreview): [number, string] {
  if (preview.deleted) return [2, ''];
  return preview.editedAt ? [1, preview.editedAt] : [0, ''];
}

/** True when `incoming` shows a later message than `stored`, or a later state of the same message. */
export function isNewerPreview(stored: LastMessagePreview | null, incoming: LastMessagePreview): boolean {
  if (!stored || incoming.seq > stored.seq) return true;
  if (incoming.seq < stored.seq || incoming.messageId !== stored.messageId) return false;
  const [a, b] = [stateRank(stored), stateRank(incoming)];
  return b[0] > a[0] || (b[0] === a[0] && b[1] > a[1]);
}

/**
 * A message event (created, edited or deleted) merged into the chat: every field by maximum, the preview by
 * (seq, state), so the same events give the same chat in any order and however often they come. Null: no change.
 */
export function mergeMessage(chat: ChatActivity, preview: LastMessagePreview): ChatActivity | null {
  const createdAt = new Date(preview.createdAt);
  const lastSeq = Math.max(chat.lastSeq, preview.seq);
  const lastActivityAt = createdAt > chat.lastActivityAt ? createdAt : chat.lastActivityAt;
  const lastMessage = isNewerPreview(chat.lastMessage, preview) ? preview : chat.lastMessage;
  if (lastSeq === chat.lastSeq && lastActivityAt === chat.lastActivityAt && lastMessage === chat.lastMessage) return null;
  return { lastSeq, lastActivityAt, lastMessage };
}

/** Unread messages of a member: the chat's last seq less their read pointer (a sender's own messages move it). */
export function unreadOf(chat: Pick<Chat, 'lastSeq'>, member: Pick<ChatMember, 'lastReadSeq'>): number {
  return Math.max(0, chat.lastSeq - member.lastReadSeq);
}

/** A hidden chat is listed again once a message created after the hide has arrived. */
export function isListed(chat: Pick<Chat, 'lastActivityAt'>, member: Pick<ChatMember, 'hiddenAt'>): boolean {
  return member.hiddenAt === null || chat.lastActivityAt > member.hiddenAt;
}

/** A member's pointers as Messages reported them (the newest of each wins). */
export interface PointerReport {
  lastReadSeq: number;
  lastReadAt: Date | null;
  lastDeliveredSeq: number;
  lastDeliveredAt: Date | null;
}

/** Pointers merged by maximum; null when the report moves nothing (an old or repeated event). */
export function mergePointers(member: PointerReport, report: PointerReport): PointerReport | null {
  const read = report.lastReadSeq > member.lastReadSeq;
  const delivered = report.lastDeliveredSeq > member.lastDeliveredSeq;
  if (!read && !delivered) return null;
  return {
    lastReadSeq: read ? report.lastReadSeq : member.lastReadSeq,
    lastReadAt: read ? report.lastReadAt : member.lastReadAt,
    lastDeliveredSeq: delivered ? report.lastDeliveredSeq : member.lastDeliveredSeq,
    lastDeliveredAt: delivered ? report.lastDeliveredAt : member.lastDeliveredAt,
  };
}
