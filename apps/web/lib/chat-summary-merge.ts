import type { ChatSummaryDto } from './contracts';

/**
 * A chat's summary from the server (the list, a `chat:updated` push, an admin's answer) over the one held. Chats
 * learns of a message a moment after Messages has pushed its `message:new` frame (a relay hop; one RabbitMQ delivery
 * split), so a summary can be older than frames already applied: then the held message side wins (last seq, preview,
 * activity, and the unread count that goes with them), and the rest (title, members, mute, pointers) is the server's.
 */
export function mergeChatSummary(held: ChatSummaryDto | undefined, incoming: ChatSummaryDto): ChatSummaryDto {
  if (!held || incoming.lastSeq >= held.lastSeq) return incoming;
  const lastReadSeq = Math.max(held.lastReadSeq, incoming.lastReadSeq);
  return {
    ...incoming,
    lastSeq: held.lastSeq,
    lastMessage: held.lastMessage,
    lastActivityAt: held.lastActivityAt > incoming.lastActivityAt ? held.lastActivityAt : incoming.lastActivityAt,
    lastReadSeq,
    unreadCount: Math.min(held.unreadCount, Math.max(0, held.lastSeq - lastReadSeq)),
  };
}
