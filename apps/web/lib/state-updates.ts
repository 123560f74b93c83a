import type { ChatSummaryDto, MessageDto, PinDto, PublicUserDto, ReactionDto } from './contracts';
import { previewOf } from './contracts';
import { mergeChatSummary } from './chat-summary-merge';
import { mentionsMe } from './mentions-me';
import type { State } from './store';
import { applyChanges, mergeMessages, removeMessage, ThreadState, updateMessage } from './thread-model';

/**
 * The store's changes, as pure functions of the state: each returns only the slices it touches, and inside them
 * replaces only the entries of the chat, message or user concerned, so a component that shows another one keeps
 * the same objects and does not re-render. An update that changes nothing returns `{}`.
 */
export type Update = (s: State) => Partial<State>;

const EMPTY_THREAD: ThreadState = { items: [], hasOlder: false, hasNewer: false, loaded: false };

/** History or catch-up of one chat, merged in one pass (see mergeMessages). */
export const messagesMerged =
  (chatId: string, items: readonly MessageDto[], flags: Partial<ThreadState> = {}): Update =>
  (s) => {
    const thread = s.threads[chatId];
    const next = mergeMessages(thread, items, flags);
    return next === thread ? {} : { threads: { ...s.threads, [chatId]: next }, ...confirmedFromOutbox(s, items) };
  };

/** A window replaced outright (a jump far back, or back to the newest page). */
export const threadReplaced =
  (chatId: string, items: readonly MessageDto[], flags: Partial<ThreadState>): Update =>
  (s) => ({ threads: { ...s.threads, [chatId]: mergeMessages(undefined, items, { loaded: true, ...flags }) } });

/**
 * One message, live or from an answer. A thread not loaded yet still keeps it: the history page that is on its way
 * (or comes when the chat opens) merges with it instead of replacing it, so a message sent meanwhile never vanishes.
 */
export const messageUpserted =
  (message: MessageDto): Update =>
  (s) => {
    const thread = s.threads[message.chatId];
    const next = mergeMessages(thread ?? EMPTY_THREAD, [message]);
    return { ...(next === thread ? {} : { threads: { ...s.threads, [message.chatId]: next } }), ...confirmedFromOutbox(s, [message]) };
  };

/** The confirmation of one of ours, by whatever path it arrives first (ack, event, sync): the outbox copy goes. */
function confirmedFromOutbox(s: State, messages: readonly MessageDto[]): Partial<State> {
  if (!s.outbox.length) return {};
  const mine = new Set(messages.filter((m) => m.senderId === s.me?.id).map((m) => m.clientMessageId));
  if (!mine.size || !s.outbox.some((o) => mine.has(o.clientMessageId))) return {};
  return { outbox: s.outbox.filter((o) => !mine.has(o.clientMessageId)) };
}

/** Edits and deletions of one chat (live or caught up): only copies the thread holds change (no hole). */
export const changesApplied =
  (chatId: string, changed: readonly MessageDto[]): Update =>
  (s) => {
    const thread = s.threads[chatId];
    const next = applyChanges(thread, changed);
    return next === thread ? {} : { threads: { ...s.threads, [chatId]: next! } };
  };

/** A message's reactions as they are now: replaces those of the copy held (none held: nothing to do). */
export const reactionsApplied =
  (chatId: string, messageId: string, reactions: ReactionDto[]): Update =>
  (s) => {
    const thread = s.threads[chatId];
    const next = updateMessage(thread, messageId, (m) => ({ ...m, reactions }));
    return next === thread ? {} : { threads: { ...s.threads, [chatId]: next! } };
  };

/** Deleted for me: gone from this device's copy of the thread (the server leaves it out of every later page). */
export const messageDropped =
  (chatId: string, messageId: string): Update =>
  (s) => {
    const thread = s.threads[chatId];
    const next = removeMessage(thread, messageId);
    return next === thread ? {} : { threads: { ...s.threads, [chatId]: next! } };
  };

export const chatUpserted =
  (chat: ChatSummaryDto): Update =>
  (s) => ({ chats: { ...s.chats, [chat.id]: mergeChatSummary(s.chats[chat.id], chat) } });

export const chatsUpserted =
  (chats: ChatSummaryDto[]): Update =>
  (s) => {
    const next = { ...s.chats };
    for (const c of chats) next[c.id] = mergeChatSummary(s.chats[c.id], c);
    return { chats: next, chatsLoaded: true };
  };

/**
 * A message's frame moves its chat in the list: the preview and order follow the newest message (or a change of
 * the one shown), and a new message brings the unread count the server computed for me. An older frame (several
 * gateways may deliver out of order) changes nothing.
 */
export const messageNotedInChatList =
  (message: MessageDto, unreadCount?: number): Update =>
  (s) => {
    const held = s.chats[message.chatId];
    if (!held) return {};
    const chat = withMentionNoted(s, held, message);
    const isNewest = message.seq > chat.lastSeq || (message.seq === chat.lastSeq && chat.lastMessage?.messageId !== message.id);
    const showsIt = chat.lastMessage?.messageId === message.id;
    if (!isNewest && !(showsIt && message.seq === chat.lastSeq)) return chat === held ? {} : { chats: { ...s.chats, [chat.id]: chat } };
    const mine = message.senderId === s.me?.id;
    const next: ChatSummaryDto = { ...chat, lastMessage: previewOf(message) };
    if (isNewest) {
      next.lastSeq = message.seq;
      next.lastActivityAt = message.createdAt > chat.lastActivityAt ? message.createdAt : chat.lastActivityAt;
      if (unreadCount !== undefined) next.unreadCount = unreadCount;
      // Sending reads everything before it, on every device of mine.
      if (mine) next.lastReadSeq = Math.max(chat.lastReadSeq, message.seq);
    }
    return { chats: { ...s.chats, [chat.id]: next } };
  };

/**
 * The chat's `@` badge follows a message that mentions me (new, or edited to), or no longer does (edited away,
 * deleted for everyone), while my read pointer has not passed it. The same chat object when nothing changes.
 */
function withMentionNoted(s: State, chat: ChatSummaryDto, message: MessageDto): ChatSummaryDto {
  const held = chat.unreadMentionSeqs ?? [];
  const unread = mentionsMe(s, message) && message.seq > chat.lastReadSeq;
  if (unread === held.includes(message.seq)) return chat;
  const unreadMentionSeqs = unread ? [...held, message.seq].sort((a, b) => a - b) : held.filter((seq) => seq !== message.seq);
  return { ...chat, unreadMentionSeqs };
}

/** Left, removed, or hidden: the chat leaves the list (and its thread, typing and receipts with it). */
export const chatForgotten =
  (chatId: string): Update =>
  (s) => {
    const without = <T,>(record: Record<string, T>) => {
      if (!(chatId in record)) return record;
      const { [chatId]: _gone, ...rest } = record;
      return rest;
    };
    return { chats: without(s.chats), threads: without(s.threads), typing: without(s.typing), receipts: without(s.receipts) };
  };

export const usersRemembered =
  (users: PublicUserDto[]): Update =>
  (s) => {
    const next = { ...s.users };
    for (const u of users) next[u.id] = u;
    return { users: next };
  };

export const receiptMoved =
  (chatId: string, userId: string, kind: 'delivered' | 'read', seq: number): Update =>
  (s) => {
    const chat = s.receipts[chatId] ?? {};
    const cur = chat[userId] ?? { delivered: 0, read: 0 };
    // Read implies delivered; a pointer never moves back.
    const delivered = Math.max(cur.delivered, seq);
    const read = kind === 'read' ? Math.max(cur.read, seq) : cur.read;
    if (delivered === cur.delivered && read === cur.read && chat[userId]) return {};
    return { receipts: { ...s.receipts, [chatId]: { ...chat, [userId]: { delivered, read } } } };
  };

/** A live pin or unpin: the chat's list gains it (newest first) or loses it; a repeat changes nothing. */
export const pinChanged =
  (pin: PinDto, pinned: boolean): Update =>
  (s) => {
    const held = (s.pins[pin.chatId] ?? []).filter((p) => p.messageId !== pin.messageId);
    const next = pinned ? [pin, ...held].sort((a, b) => b.pinnedAt.localeCompare(a.pinnedAt)) : held;
    return { pins: { ...s.pins, [pin.chatId]: next } };
  };

export const pinsLoaded =
  (chatId: string, pins: PinDto[]): Update =>
  (s) => ({ pins: { ...s.pins, [chatId]: pins } });

/** Someone started or stopped typing in one chat: only that chat's entry changes. */
export const typingNoted =
  (chatId: string, userId: string, until: number | null): Update =>
  (s) => {
    const held = s.typing[chatId];
    if (until === null && !held?.[userId]) return {};
    const chat = { ...(held ?? {}) };
    if (until === null) delete chat[userId];
    else chat[userId] = until;
    return { typing: { ...s.typing, [chatId]: chat } };
  };

/** Typing indicators past their expiry go; chats with none expired keep their objects. */
export const typingPruned =
  (now: number): Update =>
  (s) => {
    let next: State['typing'] | null = null;
    for (const [chatId, users] of Object.entries(s.typing)) {
      const ids = Object.keys(users);
      const kept = ids.filter((id) => users[id]! > now);
      if (kept.length === ids.length) continue;
      next ??= { ...s.typing };
      next[chatId] = Object.fromEntries(kept.map((id) => [id, users[id]!]));
    }
    return next ? { typing: next } : {};
  };

export const presenceNoted =
  (states: { userId: string; online: boolean; lastSeen: string | null }[]): Update =>
  (s) => {
    let next: State['presence'] | null = null;
    for (const p of states) {
      const held = s.presence[p.userId];
      if (held && held.online === p.online && held.lastSeen === p.lastSeen) continue;
      next ??= { ...s.presence };
      next[p.userId] = { online: p.online, lastSeen: p.lastSeen };
    }
    return next ? { presence: next } : {};
  };

/** Several updates as one (one notification): each sees the state the previous ones left. */
export const all =
  (...updates: Update[]): Update =>
  (s) => {
    let state = s;
    const change: Partial<State> = {};
    for (const update of updates) {
      const part = update(state);
      Object.assign(change, part);
      state = { ...state, ...part };
    }
    return change;
  };
