import { useSyncExternalStore } from 'react';
import type { ChatSummaryDto, FileRef, ImageRef, MessageDto, PinDto, PublicUserDto, ReactionDto, ReplyPreview, UserDto } from './contracts';
import { mergeChatSummary } from './chat-summary-merge';
import { previewOf, withMentionNames } from './contracts';

/** A message the user wrote that the server has not confirmed yet (see outbox.ts). */
export interface OutboxEntry {
  clientMessageId: string;
  chatId: string;
  text: string | null;
  /** Uploaded before queuing: only its key goes to the server; the rest draws the preview. */
  image: ImageRef | null;
  /** A file or voice message uploaded before queuing, the same way (absent in entries saved before files). */
  file?: FileRef | null;
  replyToId: string | null;
  createdAt: string;
  status: 'pending' | 'failed';
  error?: string;
  /** Sends whose answer never came (timeouts while connected); a few of them make it 'failed'. */
  attempts?: number;
}

export interface ThreadState {
  /** Confirmed messages, ascending by seq, no duplicates. */
  items: MessageDto[];
  hasOlder: boolean;
  hasNewer: boolean;
  loaded: boolean;
  /**
   * Where catch-up of edits and deletions resumes (opaque, the server's): from the history page that loaded the
   * thread, then from each sync. Every change up to it is in `items`; later ones arrive live or on the next sync.
   */
  changeCursor?: string;
}

export type Connection = 'online' | 'reconnecting' | 'offline';

export interface State {
  me: UserDto | null;
  /** Everyone met so far, me included; others come without an email. */
  users: Record<string, PublicUserDto>;
  chats: Record<string, ChatSummaryDto>;
  chatsLoaded: boolean;
  threads: Record<string, ThreadState>;
  outbox: OutboxEntry[];
  /** Per chat, per other member: their delivered/read pointers (ticks). */
  receipts: Record<string, Record<string, { delivered: number; read: number }>>;
  /** Online now, or when the user's last device left (null: never seen or unknown). */
  presence: Record<string, { online: boolean; lastSeen: string | null }>;
  /** Per chat: userId -> time the typing indicator expires. */
  typing: Record<string, Record<string, number>>;
  connection: Connection;
  /** A short text the ARIA live region announces (new messages). */
  announcement: string;
  /** The message it is about: a deletion for everyone takes its text out of the live region too. */
  announcedId: string | null;
  /** Per chat: its pinned messages, newest pin first (loaded with the thread, kept live, replaced by each sync). */
  pins: Record<string, PinDto[]>;
  /** The people I blocked (loaded at start, refetched when a device of mine blocks or unblocks someone). */
  blocked: string[];
}

const initial: State = {
  me: null,
  users: {},
  chats: {},
  chatsLoaded: false,
  threads: {},
  outbox: [],
  receipts: {},
  presence: {},
  typing: {},
  connection: 'reconnecting',
  announcement: '',
  announcedId: null,
  pins: {},
  blocked: [],
};

let state: State = initial;
const listeners = new Set<() => void>();

export function getState(): State {
  return state;
}

export function setState(update: (s: State) => Partial<State>): void {
  state = { ...state, ...update(state) };
  for (const l of listeners) l();
}

export function resetState(): void {
  state = initial;
  for (const l of listeners) l();
}

export function useStore<T>(select: (s: State) => T): T {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => select(state),
    () => select(initial),
  );
}

// ---- pure updates ----

/** Merge messages into a thread by seq: a newer copy (edit, delete) replaces the old one; order stays by seq. */
export function mergeMessages(thread: ThreadState | undefined, incoming: MessageDto[], flags: Partial<ThreadState> = {}): ThreadState {
  // Nothing new (an empty catch-up): keep the same object, so nothing re-renders or re-scrolls.
  if (thread && incoming.length === 0 && Object.entries(flags).every(([k, v]) => thread[k as keyof ThreadState] === v)) return thread;
  const byId = new Map<string, MessageDto>();
  for (const m of thread?.items ?? []) byId.set(m.id, m);
  for (const m of incoming) {
    const old = byId.get(m.id);
    // Keep receipt fields the socket copy may lack.
    byId.set(m.id, old ? { ...old, ...m } : m);
  }
  const items = [...byId.values()].sort((a, b) => a.seq - b.seq);
  return {
    items,
    hasOlder: flags.hasOlder ?? thread?.hasOlder ?? false,
    hasNewer: flags.hasNewer ?? thread?.hasNewer ?? false,
    loaded: flags.loaded ?? thread?.loaded ?? true,
    changeCursor: flags.changeCursor ?? thread?.changeCursor,
  };
}

/**
 * Edits and deletions caught up by sync: replace the copies held. A message not held is skipped: it loads fresh
 * with history when scrolled to, and inserting it would leave a hole in the thread.
 */
export function applyChanges(thread: ThreadState | undefined, changed: MessageDto[]): ThreadState | undefined {
  if (!thread || changed.length === 0) return thread;
  const held = new Set(thread.items.map((m) => m.id));
  const ours = changed.filter((m) => held.has(m.id));
  const merged = ours.length ? mergeMessages(thread, ours) : thread;
  return refreshQuotes(merged, changed);
}

/** What a reply shows of the message it quotes (the line clamp in the bubble shortens long text). */
export function quoteOf(m: MessageDto): ReplyPreview {
  const deleted = m.deletedAt !== null;
  return {
    id: m.id,
    seq: m.seq,
    senderId: m.senderId,
    text: deleted ? null : m.text,
    hasImage: !deleted && m.image !== null,
    file: !deleted && m.file ? { kind: m.file.kind, name: m.file.name } : null,
    deleted,
  };
}

/** Replies held that quote a changed message show its new text, or that it was deleted, as history would. */
function refreshQuotes(thread: ThreadState, changed: MessageDto[]): ThreadState {
  const byId = new Map(changed.map((m) => [m.id, m]));
  if (!thread.items.some((m) => m.replyTo && byId.has(m.replyTo.id))) return thread;
  return { ...thread, items: thread.items.map((m) => (m.replyTo && byId.has(m.replyTo.id) ? { ...m, replyTo: quoteOf(byId.get(m.replyTo.id)!) } : m)) };
}

/** A live edit or deletion: like a synced one, it only replaces a copy the thread holds (no hole). */
export function applyChange(message: MessageDto): void {
  noteMessageInChatList(message);
  setState((s) => {
    const thread = s.threads[message.chatId];
    const next = applyChanges(thread, [message]);
    return next === thread ? {} : { threads: { ...s.threads, [message.chatId]: next! } };
  });
}

/** A message's reactions as they are now: replaces those of the copy held (none held: nothing to do). */
export function applyReactions(chatId: string, messageId: string, reactions: ReactionDto[]): void {
  setState((s) => {
    const thread = s.threads[chatId];
    if (!thread?.items.some((m) => m.id === messageId)) return {};
    return { threads: { ...s.threads, [chatId]: { ...thread, items: thread.items.map((m) => (m.id === messageId ? { ...m, reactions } : m)) } } };
  });
}

/** Unread messages over every chat that is not muted: the tab title and the favicon badge show it. */
export function totalUnread(s: State): number {
  return Object.values(s.chats).reduce((sum, chat) => sum + (chat.muted ? 0 : Math.max(0, chat.unreadCount)), 0);
}

export function upsertMessage(message: MessageDto): void {
  setState((s) => ({
    // A thread not loaded yet still keeps what arrives live: the history page that is on its way (or comes
    // when the chat opens) merges with it instead of replacing it, so a message sent meanwhile never vanishes.
    threads: {
      ...s.threads,
      [message.chatId]: mergeMessages(s.threads[message.chatId] ?? { items: [], hasOlder: false, hasNewer: false, loaded: false }, [message]),
    },
    // The confirmation of one of ours, by whatever path it arrives first (ack, event, sync): drop the outbox copy.
    outbox: s.outbox.some((o) => o.clientMessageId === message.clientMessageId && message.senderId === s.me?.id)
      ? s.outbox.filter((o) => o.clientMessageId !== message.clientMessageId)
      : s.outbox,
  }));
}

export function upsertChat(chat: ChatSummaryDto): void {
  setState((s) => ({ chats: { ...s.chats, [chat.id]: mergeChatSummary(s.chats[chat.id], chat) } }));
}

/**
 * A message's frame moves its chat in the list: the preview and order follow the newest message (or a change of
 * the one shown), and a new message brings the unread count the server computed for me. An older frame (several
 * gateways may deliver out of order) changes nothing.
 */
export function noteMessageInChatList(message: MessageDto, unreadCount?: number): void {
  noteMention(message);
  setState((s) => {
    const chat = s.chats[message.chatId];
    if (!chat) return {};
    const isNewest = message.seq > chat.lastSeq || (message.seq === chat.lastSeq && chat.lastMessage?.messageId !== message.id);
    const showsIt = chat.lastMessage?.messageId === message.id;
    if (!isNewest && !(showsIt && message.seq === chat.lastSeq)) return {};
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
  });
}

/** Whether the message, as it reads now, mentions me (someone else's, not deleted). */
export function mentionsMe(s: State, message: Pick<MessageDto, 'senderId' | 'mentions' | 'deletedAt'>): boolean {
  const me = s.me?.id;
  return !!me && message.senderId !== me && !message.deletedAt && (message.mentions ?? []).includes(me);
}

/**
 * The chat's `@` badge follows a message that mentions me (new, or edited to), or no longer does (edited away,
 * deleted for everyone), while my read pointer has not passed it.
 */
function noteMention(message: MessageDto): void {
  setState((s) => {
    const chat = s.chats[message.chatId];
    if (!chat) return {};
    const held = chat.unreadMentionSeqs ?? [];
    const unread = mentionsMe(s, message) && message.seq > chat.lastReadSeq;
    if (unread === held.includes(message.seq)) return {};
    const unreadMentionSeqs = unread ? [...held, message.seq].sort((a, b) => a - b) : held.filter((seq) => seq !== message.seq);
    return { chats: { ...s.chats, [chat.id]: { ...chat, unreadMentionSeqs } } };
  });
}

/** A text for places without markup (previews, quotes, notifications): mentions as `@Name` with current names. */
export function plainText(s: State, text: string): string {
  return withMentionNames(text, (userId) => (userId === s.me?.id ? s.me.displayName : s.users[userId]?.displayName ?? 'someone'));
}

/** Left, removed, or hidden: the chat leaves the list (and its thread, typing and receipts with it). */
export function forgetChat(chatId: string): void {
  setState((s) => {
    const without = <T,>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).filter(([id]) => id !== chatId));
    return { chats: without(s.chats), threads: without(s.threads), typing: without(s.typing), receipts: without(s.receipts) };
  });
}

export function rememberUsers(users: PublicUserDto[]): void {
  if (!users.length) return;
  setState((s) => {
    const next = { ...s.users };
    for (const u of users) next[u.id] = u;
    return { users: next };
  });
}

export function moveReceipt(chatId: string, userId: string, kind: 'delivered' | 'read', seq: number): void {
  setState((s) => {
    const chat = s.receipts[chatId] ?? {};
    const cur = chat[userId] ?? { delivered: 0, read: 0 };
    const next = { ...cur, [kind]: Math.max(cur[kind], seq) };
    // Read implies delivered.
    if (kind === 'read') next.delivered = Math.max(next.delivered, seq);
    return { receipts: { ...s.receipts, [chatId]: { ...chat, [userId]: next } } };
  });
}

export function sortedChats(s: State): ChatSummaryDto[] {
  return Object.values(s.chats).sort((a, b) => (b.lastMessage?.createdAt ?? b.lastActivityAt).localeCompare(a.lastMessage?.createdAt ?? a.lastActivityAt));
}

export function chatPeerId(s: State, chat: ChatSummaryDto): string | null {
  if (chat.kind !== 'direct') return null;
  return chat.otherUserId ?? chat.members.find((m) => m.userId !== s.me?.id)?.userId ?? null;
}

export function chatTitle(s: State, chat: ChatSummaryDto): string {
  if (chat.kind === 'group') return chat.title ?? 'Group';
  const peer = chatPeerId(s, chat);
  return (peer && s.users[peer]?.displayName) || 'Direct chat';
}

export function userName(s: State, userId: string): string {
  if (userId === s.me?.id) return 'You';
  return s.users[userId]?.displayName ?? 'Someone';
}

/** A live pin or unpin: the chat's list gains it (newest first) or loses it; a repeat changes nothing. */
export function applyPinChange(pin: PinDto, pinned: boolean): void {
  setState((s) => {
    const held = (s.pins[pin.chatId] ?? []).filter((p) => p.messageId !== pin.messageId);
    const next = pinned ? [pin, ...held].sort((a, b) => b.pinnedAt.localeCompare(a.pinnedAt)) : held;
    return { pins: { ...s.pins, [pin.chatId]: next } };
  });
}

/** Deleted for me: gone from this device's copy of the thread (the server leaves it out of every later page). */
export function dropMessage(chatId: string, messageId: string): void {
  setState((s) => {
    const thread = s.threads[chatId];
    if (!thread) return {};
    return { threads: { ...s.threads, [chatId]: { ...thread, items: thread.items.filter((m) => m.id !== messageId) } } };
  });
}
