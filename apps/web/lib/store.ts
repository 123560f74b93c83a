import { useRef, useSyncExternalStore } from 'react';
import type { ChatSummaryDto, FileRef, ImageRef, MessageDto, PinDto, PublicUserDto, UserDto } from './contracts';
import { withMentionNames } from './contracts';
export { mentionsMe } from './mentions-me';
import { chatForgotten, chatUpserted, messageUpserted, usersRemembered } from './state-updates';
import type { ThreadState } from './thread-model';

export type { ThreadState } from './thread-model';
export { quoteOf, mergeMessages, applyChanges } from './thread-model';

/** A message the user wrote that the server has not confirmed yet (see engine/outbox.ts). */
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

/** A store of the app's state: one per page in the app, one per test. */
export interface Store {
  getState(): State;
  setState(update: (s: State) => Partial<State>): void;
  subscribe(listener: () => void): () => void;
  reset(): void;
}

export function createStore(start: Partial<State> = {}): Store {
  let state: State = { ...initial, ...start };
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of listeners) l();
  };
  return {
    getState: () => state,
    setState(update) {
      const change = update(state);
      // Nothing changed: nobody is asked (a no-op update costs no selector runs).
      if (Object.keys(change).every((k) => change[k as keyof State] === state[k as keyof State])) return;
      state = { ...state, ...change };
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reset() {
      state = { ...initial, ...start };
      notify();
    },
  };
}

/** The page's store: what the engine writes and the components read. */
export const appStore = createStore();
export const getState = (): State => appStore.getState();
export const setState = (update: (s: State) => Partial<State>): void => appStore.setState(update);
export const resetState = (): void => appStore.reset();

/**
 * A component's view of the store: `select` picks (or derives) what it shows and `equal` says when that is
 * unchanged, so a change elsewhere (typing in another chat, someone else's presence) neither re-renders it nor
 * costs more than the selector. A derived value (an object, a list) needs `shallowEqual` or its own comparison.
 */
export function useStore<T>(select: (s: State) => T, equal: (a: T, b: T) => boolean = Object.is, store: Store = appStore): T {
  const last = useRef<{ state: State; select: (s: State) => T; value: T } | null>(null);
  const server = useRef<{ value: T } | null>(null);
  const getSnapshot = () => {
    const state = store.getState();
    const held = last.current;
    if (held && held.state === state && held.select === select) return held.value;
    const fresh = select(state);
    const value = held && equal(held.value, fresh) ? held.value : fresh;
    last.current = { state, select, value };
    return value;
  };
  const getServerSnapshot = () => (server.current ??= { value: select(initial) }).value;
  return useSyncExternalStore(store.subscribe, getSnapshot, getServerSnapshot);
}

/** Same keys with the same values (objects), or the same items (arrays): for selectors that derive a value. */
export function shallowEqual<T>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.is((a as any)[k], (b as any)[k]));
}

// ---- the store's changes, for callers outside the engine (each one of state-updates.ts, on the page's store) ----

export const upsertMessage = (message: MessageDto) => setState(messageUpserted(message));
export const upsertChat = (chat: ChatSummaryDto) => setState(chatUpserted(chat));
export const forgetChat = (chatId: string) => setState(chatForgotten(chatId));
export function rememberUsers(users: PublicUserDto[]): void {
  if (users.length) setState(usersRemembered(users));
}

// ---- selectors ----

/** What names and titles are made of: a component that shows names re-renders when a name changes, not on a message. */
export type People = Pick<State, 'me' | 'users'>;
export const selectPeople = (s: State): People => ({ me: s.me, users: s.users });
/** Use with selectPeople. */
export const samePeople = (a: People, b: People) => a.me === b.me && a.users === b.users;

/** Unread messages over every chat that is not muted: the tab title and the favicon badge show it. */
export function totalUnread(s: State): number {
  return Object.values(s.chats).reduce((sum, chat) => sum + (chat.muted ? 0 : Math.max(0, chat.unreadCount)), 0);
}

const byRecency = (a: ChatSummaryDto, b: ChatSummaryDto) =>
  (b.lastMessage?.createdAt ?? b.lastActivityAt).localeCompare(a.lastMessage?.createdAt ?? a.lastActivityAt);

export function sortedChats(s: State): ChatSummaryDto[] {
  return Object.values(s.chats).sort(byRecency);
}

/** The list's order (ids, newest activity first); sorted once per change of the chats, not once per reader. */
let orderFor: { chats: State['chats']; ids: string[] } | null = null;
export function chatOrder(s: State): string[] {
  if (orderFor?.chats !== s.chats) orderFor = { chats: s.chats, ids: sortedChats(s).map((c) => c.id) };
  return orderFor.ids;
}

export function chatPeerId(s: People, chat: ChatSummaryDto): string | null {
  if (chat.kind !== 'direct') return null;
  return chat.otherUserId ?? chat.members.find((m) => m.userId !== s.me?.id)?.userId ?? null;
}

export function chatTitle(s: People, chat: ChatSummaryDto): string {
  if (chat.kind === 'group') return chat.title ?? 'Group';
  const peer = chatPeerId(s, chat);
  return (peer && s.users[peer]?.displayName) || 'Direct chat';
}

export function userName(s: People, userId: string): string {
  if (userId === s.me?.id) return 'You';
  return s.users[userId]?.displayName ?? 'Someone';
}

/** A text for places without markup (previews, quotes, notifications): mentions as `@Name` with current names. */
export function plainText(s: Pick<State, 'me' | 'users'>, text: string): string {
  return withMentionNames(text, (userId) => (userId === s.me?.id ? s.me.displayName : s.users[userId]?.displayName ?? 'someone'));
}
