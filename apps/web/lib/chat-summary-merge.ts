import type { ChatSummaryDto } from './contracts';

/**
 * A chat's summary from the server (the list, a `chat:updated` push, an admin's answer) over the one held. Chats
 * learns of a message a moment after Messages has pushed its `message:new` frame (a relay hop; one RabbitMQ delivery
 * split), so a summary can be older than frames already applied: then the held message side wins (last seq, preview,
 * activity, and the unread count that goes with them), and the rest (title, members, mute, pointers) is the server's.
 * Unread mentions follow the same rule (the held ones past the summary's last seq stay), and never outlive the read
 * pointer: a read on any device clears the `@` badge.
 */
export function mergeChatSummary(held: ChatSummaryDto | undefined, incoming: ChatSummaryDto): ChatSummaryDto {
  if (!held || incoming.lastSeq >= held.lastSeq) return withMentionsRead(incoming, incoming.unreadMentionSeqs ?? held?.unreadMentionSeqs);
  const lastReadSeq = Math.max(held.lastReadSeq, incoming.lastReadSeq);
  const newerMentions = (held.unreadMentionSeqs ?? []).filter((seq) => seq > incoming.lastSeq);
  return withMentionsRead(
    {
      ...incoming,
      lastSeq: held.lastSeq,
      lastMessage: held.lastMessage,
      lastActivityAt: held.lastActivityAt > incoming.lastActivityAt ? held.lastActivityAt : incoming.lastActivityAt,
      lastReadSeq,
      unreadCount: Math.min(held.unreadCount, Math.max(0, held.lastSeq - lastReadSeq)),
    },
    [...(incoming.unreadMentionSeqs ?? held.unreadMentionSeqs ?? []), ...newerMentions],
  );
}

/** The summary with `mentions` past its read pointer (each once, ascending); the same object when that changes nothing. */
function withMentionsRead(chat: ChatSummaryDto, mentions: number[] | undefined): ChatSummaryDto {
  const unread = [...new Set(mentions ?? [])].filter((seq) => seq > chat.lastReadSeq).sort((a, b) => a - b);
  const same = chat.unreadMentionSeqs !== undefined ? sameSeqs(chat.unreadMentionSeqs, unread) : unread.length === 0;
  return same ? chat : { ...chat, unreadMentionSeqs: unread };
}

const sameSeqs = (a: number[], b: number[]) => a.length === b.length && a.every((seq, i) => seq === b[i]);
