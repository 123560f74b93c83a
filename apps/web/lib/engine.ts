import { io, Socket } from 'socket.io-client';
import { api, refreshSession } from './api';
import type {
  Ack,
  ChatSummaryDto,
  ClientToServerEvents,
  HistoryPage,
  MemberReadStateDto,
  MessageDto,
  NewMessagePayload,
  PinDto,
  Page,
  PresenceState,
  ReactionsPayload,
  ServerToClientEvents,
  SyncChatPosition,
  SyncResult,
  PublicUserDto,
  UserDto,
} from './contracts';
import { SOCKET_PATH, TYPING_EXPIRES_MS } from './contracts';
import { newClientMessageId } from './ids';
import { mergeChatSummary } from './chat-summary-merge';
import { shouldNotify } from './notification-rules';
import { notifyMessage } from './notifications';
import { loadOutbox, saveOutbox } from './outbox-storage';
import { peopleIn, systemText } from './system-text';
import {
  applyChange,
  applyChanges,
  applyPinChange,
  applyReactions,
  chatTitle,
  dropMessage,
  forgetChat,
  getState,
  mentionsMe,
  mergeMessages,
  plainText,
  moveReceipt,
  noteMessageInChatList,
  OutboxEntry,
  rememberUsers,
  resetState,
  setState,
  upsertChat,
  upsertMessage,
  userName,
} from './store';
import { announcementFor, withoutDeletedAnnouncement } from './announcement';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The live side of the app: one socket, the outbox that sends through it, catch-up after reconnects,
 * receipts, typing and presence. Screens read the store and call these functions; nothing else talks to
 * the socket.
 */
let socket: ClientSocket | null = null;
let openChatId: string | null = null;
let flushing = false;
let signOutHandler: () => void = () => undefined;
let typingTimer: ReturnType<typeof setInterval> | null = null;
let watchdogTimer: ReturnType<typeof setInterval> | null = null;

/**
 * Socket.IO retries by itself only after some kinds of loss; after a server-side disconnect (a gateway
 * shutting down) or a refused handshake it stops. While the network is up, nothing stays disconnected.
 */
function reconnectIfIdle(): void {
  if (!socket || socket.connected || socket.active || reauthenticating) return;
  if (typeof navigator !== 'undefined' && !navigator.onLine) return;
  socket.connect();
}

const ACK_TIMEOUT_MS = 10_000;
const MAX_SILENT_ATTEMPTS = 3;

function emitWithAck<T>(event: keyof ClientToServerEvents, payload: unknown): Promise<Ack<T>> {
  return new Promise((resolve, reject) => {
    if (!socket?.connected) return reject(new Error('offline'));
    (socket.timeout(ACK_TIMEOUT_MS) as any).emit(event, payload, (err: Error | null, response: Ack<T>) =>
      err ? reject(err) : resolve(response),
    );
  });
}

/**
 * Fire-and-forget, but always with an ack callback: the event map types these acks as optional, and the
 * gateway's handler binding reads a lone payload as an argument list when no ack comes with it.
 */
type Fireable = 'message:delivered' | 'message:read' | 'typing:start' | 'typing:stop';
function fire(event: Fireable, payload: { chatId: string; seq?: number }, tries = 0): void {
  (socket as any)?.emit(event, payload, (ack: Ack<{ seq: number }> | undefined) => {
    // The chats module learns a chat's newest seq from an event that can trail the message itself: a pointer
    // moved to a seq it does not know yet stays behind, so try again shortly.
    const behind = ack?.ok && payload.seq !== undefined && ack.data.seq < payload.seq;
    if (behind && tries < 4) setTimeout(() => socket?.connected && fire(event, payload, tries + 1), 300 * (tries + 1));
  });
}

// ---------- start / stop ----------

export async function startEngine(me: UserDto, onSignedOut: () => void): Promise<void> {
  signOutHandler = onSignedOut;
  setState(() => ({ me, outbox: loadOutbox(me.id), users: { [me.id]: me } }));
  connectSocket();
  void loadBlocked();
  await refreshChats();
  typingTimer ??= setInterval(pruneTyping, 1000);
  watchdogTimer ??= setInterval(reconnectIfIdle, 3000);
  if (typeof window !== 'undefined') {
    window.addEventListener('online', onBrowserOnline);
    window.addEventListener('offline', onBrowserOffline);
    document.addEventListener('visibilitychange', markOpenChatRead);
    window.addEventListener('focus', markOpenChatRead);
    if (!navigator.onLine) setState(() => ({ connection: 'offline' }));
  }
}

export function stopEngine(): void {
  socket?.removeAllListeners();
  socket?.disconnect();
  socket = null;
  if (typingTimer) clearInterval(typingTimer);
  typingTimer = null;
  if (watchdogTimer) clearInterval(watchdogTimer);
  watchdogTimer = null;
  if (typeof window !== 'undefined') {
    window.removeEventListener('online', onBrowserOnline);
    window.removeEventListener('offline', onBrowserOffline);
    document.removeEventListener('visibilitychange', markOpenChatRead);
    window.removeEventListener('focus', markOpenChatRead);
  }
  resetState();
}

/**
 * The browser knows it lost the network before the socket's heartbeat does: drop the socket at once so sends
 * go to the outbox instead of into a dead connection, and reconnect (then catch up) when the network returns.
 */
function onBrowserOffline(): void {
  setState(() => ({ connection: 'offline' }));
  socket?.disconnect();
}

function onBrowserOnline(): void {
  setState(() => ({ connection: 'reconnecting' }));
  if (socket && !socket.connected) socket.connect();
}

/** Same origin in production; in `npm run dev`, the API server's port on this host (see next.config.mjs). */
function socketOrigin(): string | undefined {
  const port = process.env.NEXT_PUBLIC_SOCKET_PORT;
  return port ? `${location.protocol}//${location.hostname}:${port}` : undefined;
}

function connectSocket(): void {
  // WebSocket first; long-polling when something in between (a proxy, the dev server) refuses the upgrade.
  const s: ClientSocket = io(socketOrigin(), { path: SOCKET_PATH, withCredentials: true, transports: ['websocket', 'polling'], tryAllTransports: true });
  socket = s;
  s.on('connect', () => {
    setState(() => ({ connection: 'online' }));
    void afterConnect();
  });
  s.on('disconnect', (reason) => {
    setState(() => ({ connection: typeof navigator !== 'undefined' && !navigator.onLine ? 'offline' : 'reconnecting' }));
    // A server-side disconnect is not retried by socket.io itself.
    if (reason === 'io server disconnect') void reauthenticateAndReconnect();
  });
  s.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    setState(() => ({ connection: typeof navigator !== 'undefined' && !navigator.onLine ? 'offline' : 'reconnecting' }));
    if (error.data?.code === 'AUTH.UNAUTHENTICATED') void reauthenticateAndReconnect();
    // A refusal by the server's middleware is not retried by socket.io itself; a store of the server's that is
    // briefly down is worth another try, with the same token.
    else if (error.data?.code === 'COMMON.DEPENDENCY_UNAVAILABLE') setTimeout(() => socket === s && !s.connected && !s.active && s.connect(), 2000);
  });
  s.on('auth:expired', () => void reauthenticateAndReconnect());
  s.on('message:new', onMessageNew);
  s.on('message:edited', applyChange);
  s.on('message:deleted', (message) => {
    applyChange(message);
    setState((st) => withoutDeletedAnnouncement(st, [message]));
  });
  s.on('message:reactions', onReactions);
  s.on('chat:updated', ({ chat, reason }) => {
    // Hidden on one of my devices: gone from every device's list until a new message brings it back.
    if (reason === 'hidden') return forgetChat(chat.id);
    const isNew = !getState().chats[chat.id];
    upsertChat(chat);
    void ensureUsers(chat.members.map((m) => m.userId));
    // The server sends presence changes only for users this socket asked about.
    if (isNew) void queryPresence();
  });
  s.on('chat:removed', ({ chatId }) => forgetChat(chatId));
  s.on('receipt:delivered', (r) => moveReceipt(r.chatId, r.userId, 'delivered', r.seq));
  s.on('receipt:read', (r) => {
    moveReceipt(r.chatId, r.userId, 'read', r.seq);
    // Another device of mine read it: the unread badge follows.
    if (r.userId === getState().me?.id) {
      const chat = getState().chats[r.chatId];
      if (chat && r.seq > chat.lastReadSeq) upsertChat({ ...chat, unreadCount: Math.max(0, chat.lastSeq - r.seq), lastReadSeq: r.seq });
    }
  });
  s.on('typing', (t) => {
    if (t.userId === getState().me?.id) return;
    setState((st) => {
      const chat = { ...(st.typing[t.chatId] ?? {}) };
      if (t.state === 'start') chat[t.userId] = Date.now() + (t.expiresInMs ?? TYPING_EXPIRES_MS);
      else delete chat[t.userId];
      return { typing: { ...st.typing, [t.chatId]: chat } };
    });
  });
  s.on('presence', (p) => setState((st) => ({ presence: { ...st.presence, [p.userId]: { online: p.online, lastSeen: p.lastSeen } } })));
  s.on('pin:changed', ({ pin, pinned }) => applyPinChange(pin, pinned));
  s.on('user:updated', (user) => {
    rememberUsers([user]);
    // My own profile, changed on another device: keep my email, take the rest.
    const me = getState().me;
    if (me && user.id === me.id) setState(() => ({ me: { ...me, displayName: user.displayName, avatarUrl: user.avatarUrl } }));
  });
  // The list is refetched rather than patched from the frame: frames of two quick changes may arrive in any order.
  s.on('block:changed', () => {
    void loadBlocked();
    void queryPresence();
  });
}

let reauthenticating = false;
async function reauthenticateAndReconnect(): Promise<void> {
  if (reauthenticating) return;
  reauthenticating = true;
  try {
    const outcome = await refreshSession();
    // A server restart is not a sign-out: only a refused refresh ends the session.
    if (outcome === 'rejected') signOutHandler();
    else if (outcome === 'ok') socket?.connect();
    else setTimeout(() => socket?.connect(), 2000);
  } finally {
    reauthenticating = false;
  }
}

async function afterConnect(): Promise<void> {
  // catchUp ends with refreshChats, which asks for presence again.
  await catchUp();
  void flushOutbox();
  markOpenChatRead();
}

// ---------- chats ----------

export async function refreshChats(): Promise<void> {
  const chats: ChatSummaryDto[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<ChatSummaryDto> = await api(`/chats?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    chats.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && chats.length < 1000);
  setState((s) => {
    const next = { ...s.chats };
    for (const c of chats) next[c.id] = mergeChatSummary(s.chats[c.id], c);
    return { chats: next, chatsLoaded: true };
  });
  await ensureUsers(chats.flatMap((c) => c.members.map((m) => m.userId)));
  void queryPresence();
  // Everything listed has reached this device.
  for (const c of chats) if (c.lastSeq > c.lastDeliveredSeq) fire('message:delivered', { chatId: c.id, seq: c.lastSeq });
}

export async function ensureUsers(ids: string[]): Promise<void> {
  const known = getState().users;
  const missing = [...new Set(ids)].filter((id) => !known[id]);
  for (let i = 0; i < missing.length; i += 100) {
    const users = await api<PublicUserDto[]>(`/users/batch?ids=${missing.slice(i, i + 100).join(',')}`).catch(() => []);
    rememberUsers(users);
  }
}

async function queryPresence(): Promise<void> {
  const s = getState();
  const ids = [...new Set(Object.values(s.chats).flatMap((c) => c.members.map((m) => m.userId)))].filter((id) => id !== s.me?.id);
  if (!ids.length) return;
  try {
    const ack = await emitWithAck<PresenceState[]>('presence:query', { userIds: ids.slice(0, 200) });
    if (ack.ok) setState((st) => ({ presence: { ...st.presence, ...Object.fromEntries(ack.data.map((p) => [p.userId, { online: p.online, lastSeen: p.lastSeen }])) } }));
  } catch {
    // presence is a nicety; the next `presence` event corrects it
  }
}

export async function openDirectChat(userId: string): Promise<ChatSummaryDto> {
  const chat = await api<ChatSummaryDto>('/chats/direct', { method: 'POST', body: { userId } });
  upsertChat(chat);
  await ensureUsers(chat.members.map((m) => m.userId));
  void queryPresence();
  return chat;
}

export async function createGroup(title: string, memberIds: string[]): Promise<ChatSummaryDto> {
  const chat = await api<ChatSummaryDto>('/chats/groups', { method: 'POST', body: { title, memberIds } });
  upsertChat(chat);
  await ensureUsers(chat.members.map((m) => m.userId));
  return chat;
}

// ---------- history ----------

/** Whose names a page shows: its senders and the people its system lines name. */
const peopleOf = (items: MessageDto[]) => items.flatMap((m) => (m.system ? peopleIn(m.system) : [m.senderId, ...(m.mentions ?? [])]));

const PAGE = 40;

function noteReceiptsFrom(chatId: string, items: MessageDto[]): void {
  const s = getState();
  const chat = s.chats[chatId];
  const peer = chat?.kind === 'direct' ? chat.otherUserId ?? chat.members.find((m) => m.userId !== s.me?.id)?.userId : null;
  for (const m of items) {
    if (m.senderId !== s.me?.id) continue;
    if (peer && m.seen) moveReceipt(chatId, peer, 'read', m.seq);
    for (const reader of m.readBy ?? []) moveReceipt(chatId, reader, 'read', m.seq);
  }
}

/** Where every other member's delivered and read pointers stand (the ticks of my messages). */
async function loadReadStates(chatId: string): Promise<void> {
  const states = await api<MemberReadStateDto[]>(`/chats/${chatId}/read-states`).catch(() => []);
  const me = getState().me?.id;
  for (const st of states) {
    if (st.userId === me) continue;
    moveReceipt(chatId, st.userId, 'delivered', st.lastDeliveredSeq);
    moveReceipt(chatId, st.userId, 'read', st.lastReadSeq);
  }
}

/** The page a thread opens on: around the first unread when there is one, else the newest. */
export async function openThread(chatId: string): Promise<void> {
  openChatId = chatId;
  const s = getState();
  if (!s.threads[chatId]?.loaded) {
    const chat = s.chats[chatId];
    const page = await api<HistoryPage>(`/chats/${chatId}/messages?limit=${PAGE}`);
    let items = page.items;
    let hasOlder = page.hasOlder;
    // Unread further back than one page: load enough to show the divider at the first unread.
    if (chat && chat.unreadCount > items.length && page.hasOlder && items.length) {
      const older = await api<HistoryPage>(`/chats/${chatId}/messages?before=${items[0]!.seq}&limit=${Math.min(100, chat.unreadCount - items.length + 5)}`);
      items = [...older.items, ...items];
      hasOlder = older.hasOlder;
    }
    // A cursor kept from before (older, so never past a change these items lack) stays: sync sends from there.
    setState((st) => ({
      threads: {
        ...st.threads,
        [chatId]: mergeMessages(st.threads[chatId], items, { hasOlder, hasNewer: page.hasNewer, loaded: true, changeCursor: st.threads[chatId]?.changeCursor ?? page.changeCursor }),
      },
    }));
    noteReceiptsFrom(chatId, items);
    await Promise.all([ensureUsers(peopleOf(items)), loadReadStates(chatId), loadPins(chatId)]);
  }
  markOpenChatRead();
}

export async function loadPins(chatId: string): Promise<void> {
  const pins = await api<PinDto[]>(`/chats/${chatId}/pins`).catch(() => null);
  if (pins) setState((st) => ({ pins: { ...st.pins, [chatId]: pins } }));
}

export function closeThread(): void {
  openChatId = null;
}

export async function loadOlder(chatId: string): Promise<number> {
  const thread = getState().threads[chatId];
  if (!thread?.hasOlder || !thread.items.length) return 0;
  const page = await api<HistoryPage>(`/chats/${chatId}/messages?before=${thread.items[0]!.seq}&limit=${PAGE}`);
  setState((st) => ({ threads: { ...st.threads, [chatId]: mergeMessages(st.threads[chatId], page.items, { hasOlder: page.hasOlder }) } }));
  noteReceiptsFrom(chatId, page.items);
  await ensureUsers(peopleOf(page.items));
  return page.items.length;
}

export async function loadNewer(chatId: string): Promise<void> {
  const thread = getState().threads[chatId];
  if (!thread?.hasNewer || !thread.items.length) return;
  const page = await api<HistoryPage>(`/chats/${chatId}/messages?after=${thread.items[thread.items.length - 1]!.seq}&limit=${PAGE}`);
  setState((st) => ({ threads: { ...st.threads, [chatId]: mergeMessages(st.threads[chatId], page.items, { hasNewer: page.hasNewer }) } }));
}

/** A window around a message (jump to a quoted message far back); replaces the thread's window. */
export async function loadAround(chatId: string, messageId: string): Promise<void> {
  if (getState().threads[chatId]?.items.some((m) => m.id === messageId)) return;
  const page = await api<HistoryPage>(`/chats/${chatId}/messages?around=${encodeURIComponent(messageId)}&limit=${PAGE}`);
  // The window is replaced: what it holds is as of this page's cursor.
  setState((st) => ({ threads: { ...st.threads, [chatId]: mergeMessages(undefined, page.items, { hasOlder: page.hasOlder, hasNewer: page.hasNewer, loaded: true, changeCursor: page.changeCursor }) } }));
  await ensureUsers(peopleOf(page.items));
}

/** Back to the newest page (jump to latest from a window far back). */
export async function loadLatest(chatId: string): Promise<void> {
  if (!getState().threads[chatId]?.hasNewer) return;
  const page = await api<HistoryPage>(`/chats/${chatId}/messages?limit=${PAGE}`);
  setState((st) => ({ threads: { ...st.threads, [chatId]: mergeMessages(undefined, page.items, { hasOlder: page.hasOlder, hasNewer: false, loaded: true, changeCursor: page.changeCursor }) } }));
}

// ---------- live messages ----------

function onMessageNew({ unreadCount, ...message }: NewMessagePayload): void {
  noteMessageInChatList(message, unreadCount);
  const s = getState();
  const chat = s.chats[message.chatId];
  const thread = s.threads[message.chatId];
  // A thread showing an old window (after a jump) does not grow at the bottom: it has `hasNewer`.
  const lastHeld = thread?.items.length ? thread.items[thread.items.length - 1]!.seq : null;
  if (!thread?.hasNewer) upsertMessage(message);
  // Several gateways can deliver a chat's events out of order: a hole before this one is fetched, not ignored.
  if (thread?.loaded && !thread.hasNewer && lastHeld !== null && message.seq > lastHeld + 1) void fillGap(message.chatId, lastHeld);
  if (message.system) void ensureUsers(peopleIn(message.system));
  if (message.senderId !== s.me?.id) {
    fire('message:delivered', { chatId: message.chatId, seq: message.seq });
    const said = message.system
      ? systemText(getState(), message.system)
      : `${userName(getState(), message.senderId)}: ${message.text ? plainText(getState(), message.text) : (message.image ? 'sent a photo' : message.file?.kind === 'voice' ? 'sent a voice message' : message.file ? `sent ${message.file.name}` : '')}`;
    setState((st) => announcementFor(st, message, said));
    // The typing indicator ends with the message it announced.
    setState((st) => {
      const typing = { ...(st.typing[message.chatId] ?? {}) };
      delete typing[message.senderId];
      return { typing: { ...st.typing, [message.chatId]: typing } };
    });
  }
  // The names a notification shows (its mentions) are known before it is.
  const ready = Promise.all([chat ? null : refreshChats(), message.mentions?.length ? ensureUsers(message.mentions) : null]);
  void ready.then(() => notifyIfAway(message), () => notifyIfAway(message));
  markOpenChatRead();
}

/** A desktop notification for a message the user is not looking at (see shouldNotify); clicking opens its chat. */
function notifyIfAway(message: MessageDto): void {
  const s = getState();
  const chat = s.chats[message.chatId];
  const hidden = typeof document !== 'undefined' && document.visibilityState !== 'visible';
  const mentioned = mentionsMe(s, message);
  if (!shouldNotify({ mine: message.senderId === s.me?.id, muted: !!chat?.muted, hidden, openChatId, chatId: message.chatId, system: !!message.system, mentionsMe: mentioned })) return;
  notifyMessage({
    chatId: message.chatId,
    sender: mentioned ? `${userName(s, message.senderId)} mentioned you` : userName(s, message.senderId),
    chatTitle: chat?.kind === 'group' ? chatTitle(s, chat) : null,
    text: message.text ? plainText(s, message.text) : null,
    hasImage: !!message.image,
    onOpen: () => showChat(message.chatId),
  });
}

/** Opens a chat from outside the React tree (a notification's click): the chats page follows the URL. */
export function showChat(chatId: string): void {
  if (typeof window === 'undefined') return;
  if (location.pathname !== '/chats') return void location.assign(`/chats?c=${encodeURIComponent(chatId)}`);
  history.pushState(null, '', `/chats?c=${encodeURIComponent(chatId)}`);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

// ---------- reactions ----------

/** The newest version applied per message: frames from several gateways can come out of order. */
const reactionVersions = new Map<string, number>();

function onReactions({ chatId, messageId, reactions, version }: ReactionsPayload): void {
  if ((reactionVersions.get(messageId) ?? 0) >= version) return;
  reactionVersions.set(messageId, version);
  applyReactions(chatId, messageId, reactions);
}

/** Adds or removes my reaction; the answer (the message's reactions now) is applied at once, the frame follows. */
export async function reactToMessage(chatId: string, messageId: string, emoji: string, on: boolean): Promise<void> {
  const versionBefore = reactionVersions.get(messageId);
  let message: MessageDto;
  if (socket?.connected) {
    const ack = await emitWithAck<MessageDto>('message:react', { messageId, emoji, on });
    if (!ack.ok) throw new Error(ack.error.message);
    message = ack.data;
  } else {
    const path = `/messages/${encodeURIComponent(messageId)}/reactions/${encodeURIComponent(emoji)}`;
    message = await api<MessageDto>(path, { method: on ? 'PUT' : 'DELETE' });
  }
  // A frame that came meanwhile is as new as this answer or newer (another member's reaction): it wins.
  if (reactionVersions.get(messageId) === versionBefore) applyReactions(chatId, messageId, message.reactions ?? []);
}

async function fillGap(chatId: string, afterSeq: number): Promise<void> {
  try {
    const page = await api<HistoryPage>(`/chats/${chatId}/messages?after=${afterSeq}&limit=100`);
    setState((st) => ({ threads: { ...st.threads, [chatId]: mergeMessages(st.threads[chatId], page.items) } }));
  } catch {
    // the next reconnect's sync fills it
  }
}

/** Read up to the newest message of the open chat, when the user can actually see it. */
export function markOpenChatRead(): void {
  if (!openChatId || typeof document === 'undefined' || document.visibilityState !== 'visible') return;
  const s = getState();
  const thread = s.threads[openChatId];
  const chat = s.chats[openChatId];
  if (!thread?.items.length || !chat || thread.hasNewer) return;
  const last = thread.items[thread.items.length - 1]!.seq;
  if (last <= chat.lastReadSeq && chat.unreadCount === 0) return;
  upsertChat({ ...chat, unreadCount: 0, lastReadSeq: Math.max(last, chat.lastReadSeq) });
  if (socket?.connected) fire('message:read', { chatId: openChatId, seq: last });
  else void api(`/chats/${openChatId}/read`, { method: 'POST', body: { seq: last } }).catch(() => undefined);
}

// ---------- catch-up ----------

/**
 * After a (re)connect, per loaded thread: the messages after the last seq held and the edits and deletions of
 * those held since its change cursor; then fresh chat summaries (their previews show the edits too).
 */
async function catchUp(): Promise<void> {
  const s = getState();
  let want: SyncChatPosition[] = Object.entries(s.threads)
    .filter(([, t]) => t.loaded && !t.hasNewer)
    .map(([chatId, t]) => ({ chatId, lastSeq: t.items.length ? t.items[t.items.length - 1]!.seq : 0, ...(t.changeCursor ? { changeCursor: t.changeCursor } : {}) }));
  // The first round runs even with no thread loaded: it also brings fresh names and photos of everyone shown.
  const userIds = Object.keys(s.users).slice(0, 500);
  for (let round = 0; (want.length || round === 0) && round < 20; round++) {
    let result: SyncResult;
    try {
      const ack = await emitWithAck<SyncResult>('sync', round === 0 ? { chats: want, userIds } : { chats: want });
      if (!ack.ok) break;
      result = ack.data;
    } catch {
      break;
    }
    if (result.users?.length) rememberUsers(result.users);
    if (result.notFoundChatIds?.length) {
      setState((st) => {
        const chats = { ...st.chats };
        const threads = { ...st.threads };
        for (const id of result.notFoundChatIds) {
          delete chats[id];
          delete threads[id];
        }
        return { chats, threads };
      });
    }
    for (const synced of result.chats) {
      setState((st) => {
        const merged = mergeMessages(st.threads[synced.chatId], synced.messages, { changeCursor: synced.changeCursor });
        return {
          threads: { ...st.threads, [synced.chatId]: applyChanges(merged, synced.changed ?? [])! },
          pins: synced.pins ? { ...st.pins, [synced.chatId]: synced.pins } : st.pins,
          ...withoutDeletedAnnouncement(st, synced.changed ?? []),
        };
      });
      for (const m of synced.messages) upsertMessage(m);
    }
    const asked = new Map(want.map((w) => [w.chatId, w.lastSeq]));
    // Stopped early: again from the last seq received (the same one if none came) and the cursor just returned.
    want = result.chats
      .filter((c) => !c.complete)
      .map((c) => ({
        chatId: c.chatId,
        lastSeq: c.messages.length ? c.messages[c.messages.length - 1]!.seq : asked.get(c.chatId) ?? 0,
        ...(c.changeCursor ? { changeCursor: c.changeCursor } : {}),
      }));
  }
  await refreshChats().catch(() => undefined);
}

// ---------- outbox ----------

function persistOutbox(): void {
  const s = getState();
  if (s.me) saveOutbox(s.me.id, s.outbox);
}

export function queueMessage(entry: Omit<OutboxEntry, 'createdAt' | 'status'>): void {
  setState((s) => ({ outbox: [...s.outbox, { ...entry, createdAt: new Date().toISOString(), status: 'pending' }] }));
  persistOutbox();
  void flushOutbox();
}

export function retryMessage(clientMessageId: string): void {
  setState((s) => ({ outbox: s.outbox.map((o) => (o.clientMessageId === clientMessageId ? { ...o, status: 'pending', error: undefined, attempts: 0 } : o)) }));
  persistOutbox();
  void flushOutbox();
}

export function discardMessage(clientMessageId: string): void {
  setState((s) => ({ outbox: s.outbox.filter((o) => o.clientMessageId !== clientMessageId) }));
  persistOutbox();
}

/**
 * Sends pending entries one at a time in the order written, so the server assigns seqs in that order.
 * A lost ack leaves the entry pending; the retry reuses its clientMessageId, which the server deduplicates.
 */
export async function flushOutbox(): Promise<void> {
  if (flushing) return;
  flushing = true;
  let backingOff = false;
  try {
    for (;;) {
      const next = getState().outbox.find((o) => o.status === 'pending');
      if (!next || !socket?.connected) return;
      let ack: Ack<MessageDto>;
      try {
        ack = await emitWithAck<MessageDto>('message:send', {
          clientMessageId: next.clientMessageId,
          chatId: next.chatId,
          text: next.text,
          imageKey: next.image?.key ?? null,
          fileKey: next.file?.key ?? null,
          replyToId: next.replyToId,
        });
      } catch {
        if (!socket?.connected) return; // offline: the next connect flushes again
        // Connected but no answer: try again a little later, and after a few tries let the user decide.
        backingOff = true;
        retryLater(next, 'No answer from the server');
        return;
      }
      if (!ack.ok && (ack.error.code === 'COMMON.RATE_LIMITED' || ack.error.code === 'COMMON.OVERLOADED')) {
        // Too fast for the server (this socket, or all my devices together), or the server is busy: the same
        // entry goes again when the server says it may (retryAfterSeconds), else shortly, still in order and never
        // dropped (spread out, so clients turned away together do not all come back at once).
        backingOff = true;
        const retryAfterSeconds = (ack.error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
        const waitMs = typeof retryAfterSeconds === 'number' && retryAfterSeconds > 0 ? Math.min(retryAfterSeconds, 60) * 1000 : 1000;
        setTimeout(() => void flushOutbox(), waitMs + Math.random() * 1000);
        return;
      }
      if (!ack.ok && ack.error.code.startsWith('TRANSPORT.')) {
        // A module did not answer in time: it may still store the message, and a retry is idempotent.
        backingOff = true;
        retryLater(next, ack.error.message);
        return;
      }
      if (ack.ok) {
        upsertMessage(ack.data);
        // upsertMessage drops it only if the thread's owner is known; make sure.
        setState((s) => ({ outbox: s.outbox.filter((o) => o.clientMessageId !== next.clientMessageId) }));
      } else {
        setState((s) => ({
          outbox: s.outbox.map((o) => (o.clientMessageId === next.clientMessageId ? { ...o, status: 'failed', error: ack.ok ? undefined : ack.error.message } : o)),
        }));
      }
      persistOutbox();
    }
  } finally {
    flushing = false;
    // Something queued while the last send was in flight.
    if (!backingOff && socket?.connected && getState().outbox.some((o) => o.status === 'pending')) setTimeout(() => void flushOutbox(), 0);
  }
}

/** Counts an unanswered try; sends again after a growing pause, and after a few tries lets the user decide. */
function retryLater(entry: OutboxEntry, error: string): void {
  const attempts = (entry.attempts ?? 0) + 1;
  const failed = attempts >= MAX_SILENT_ATTEMPTS;
  setState((s) => ({
    outbox: s.outbox.map((o) => (o.clientMessageId === entry.clientMessageId ? { ...o, attempts, status: failed ? 'failed' : 'pending', error: failed ? error : undefined } : o)),
  }));
  persistOutbox();
  if (!failed) setTimeout(() => void flushOutbox(), 1000 * 2 ** attempts);
}

// ---------- edits, deletes ----------

export async function editMessage(messageId: string, text: string): Promise<void> {
  upsertMessage(await api<MessageDto>(`/messages/${messageId}`, { method: 'PATCH', body: { text } }));
}

export async function deleteMessage(messageId: string): Promise<void> {
  const result = await api<MessageDto | undefined>(`/messages/${messageId}`, { method: 'DELETE' });
  if (result && result.id) upsertMessage(result);
}

/** Delete for me: gone from this device now, and from every page the server gives me later. */
export async function deleteForMe(chatId: string, messageId: string): Promise<void> {
  await api(`/messages/${messageId}/hide`, { method: 'POST' });
  dropMessage(chatId, messageId);
}

/** A copy into another chat of mine, marked forwarded; it arrives there like any message (message:new). */
export async function forwardMessage(messageId: string, toChatId: string): Promise<MessageDto> {
  const copy = await api<MessageDto>(`/messages/${messageId}/forward`, { method: 'POST', body: { chatId: toChatId, clientMessageId: newClientMessageId() } });
  upsertMessage(copy);
  return copy;
}

export async function pinMessage(chatId: string, messageId: string): Promise<void> {
  applyPinChange(await api<PinDto>(`/chats/${chatId}/pins/${messageId}`, { method: 'PUT' }), true);
}

export async function unpinMessage(chatId: string, messageId: string): Promise<void> {
  await api(`/chats/${chatId}/pins/${messageId}`, { method: 'DELETE' });
  const pin = getState().pins[chatId]?.find((p) => p.messageId === messageId);
  if (pin) applyPinChange(pin, false);
}

// ---------- blocks ----------

export async function loadBlocked(): Promise<PublicUserDto[]> {
  const people = await api<PublicUserDto[]>('/users/me/blocks').catch(() => null);
  if (!people) return [];
  rememberUsers(people);
  setState(() => ({ blocked: people.map((p) => p.id) }));
  return people;
}

export async function blockUser(userId: string): Promise<void> {
  await api(`/users/${userId}/block`, { method: 'PUT' });
  setState((s) => ({ blocked: s.blocked.includes(userId) ? s.blocked : [userId, ...s.blocked] }));
}

export async function unblockUser(userId: string): Promise<void> {
  await api(`/users/${userId}/block`, { method: 'DELETE' });
  setState((s) => ({ blocked: s.blocked.filter((id) => id !== userId) }));
  void queryPresence();
}

// ---------- typing ----------

let lastTypingSent = 0;
let typingChat: string | null = null;

export function noteTyping(chatId: string, active: boolean): void {
  if (!socket?.connected) return;
  if (active) {
    if (typingChat === chatId && Date.now() - lastTypingSent < 3000) return;
    lastTypingSent = Date.now();
    typingChat = chatId;
    fire('typing:start', { chatId });
  } else if (typingChat === chatId) {
    typingChat = null;
    lastTypingSent = 0;
    fire('typing:stop', { chatId });
  }
}

function pruneTyping(): void {
  const now = Date.now();
  const s = getState();
  let changed = false;
  const next: typeof s.typing = {};
  for (const [chatId, users] of Object.entries(s.typing)) {
    const kept = Object.fromEntries(Object.entries(users).filter(([, until]) => until > now));
    if (Object.keys(kept).length !== Object.keys(users).length) changed = true;
    next[chatId] = kept;
  }
  if (changed) setState(() => ({ typing: next }));
}
