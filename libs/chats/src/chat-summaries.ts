import { ChatDto, ChatSummaryDto, LastMessagePreview } from '@chat/contracts';
import { unreadOf } from './domain/chat-activity';
import { unreadMentionSeqs } from './domain/mentions';
import { Chat, ChatMember } from './domain/chat';
import { MemberListing } from './persistence/chat.repository';

export const toChatDto = (chat: Chat, members: MemberListing[]): ChatDto => ({
  id: chat.id,
  kind: chat.kind,
  historyVisible: chat.kind === 'direct' || chat.historyVisible,
  title: chat.title,
  avatarUrl: chat.avatarUrl,
  members: members.map((m) => ({ userId: m.userId, role: m.role, joinedAt: m.joinedAt.toISOString() })),
  lastSeq: chat.lastSeq,
  createdAt: chat.createdAt.toISOString(),
  lastActivityAt: chat.lastActivityAt.toISOString(),
});

/**
 * The chat's newest message, unless `me` joined after it while the group hides earlier history: the list must not
 * show what the thread does not (Messages decides by seq; Chats, which learns of messages from events, by time).
 * Until the line "… added you" reaches the chat, the preview is empty.
 */
function previewFor(chat: Chat, me: ChatMember): LastMessagePreview | null {
  const preview = chat.lastMessage;
  if (!preview || chat.kind === 'direct' || chat.historyVisible) return preview;
  return Date.parse(preview.createdAt) < me.joinedAt.getTime() ? null : preview;
}

/**
 * The chat as `me` sees it: the other person of a 1:1 chat, my unread counter, my pointers. My fields are added
 * onto the fresh ChatDto rather than spread into a copy: the chat list builds one per row, and the copy was a
 * tenth of its CPU. Same keys, same order.
 */
export const toChatSummary = (chat: Chat, members: MemberListing[], me: ChatMember, mentionSeqs: number[] = []): ChatSummaryDto =>
  Object.assign(toChatDto(chat, members), {
    otherUserId: chat.kind === 'direct' ? (members.find((m) => m.userId !== me.userId)?.userId ?? null) : null,
    lastMessage: previewFor(chat, me),
    unreadCount: unreadOf(chat, me),
    unreadMentionSeqs: unreadMentionSeqs(mentionSeqs, me.lastReadSeq),
    muted: me.muted,
    lastReadSeq: me.lastReadSeq,
    lastDeliveredSeq: me.lastDeliveredSeq,
  });
