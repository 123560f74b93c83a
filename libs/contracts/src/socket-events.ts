/**
 * The one typed Socket.IO event map, shared by the gateway and the web app:
 *   server: `Server<ClientToServerEvents, ServerToClientEvents>`
 *   client: `Socket<ServerToClientEvents, ClientToServerEvents>` (socket.io-client)
 * Connect to the REST origin, path `/socket.io`, with the access-token cookie or `auth: { token }`.
 * A refused handshake arrives as `connect_error` whose `data` is an `ErrorPayload` (AUTH.UNAUTHENTICATED,
 * AUTH.FORBIDDEN for a bad Origin). Every payload is plain JSON: ids strings, times ISO strings.
 *
 * Ordering: a chat's order is its `seq`. With several gateways, two `message:new` of one chat can arrive out of
 * order; insert by seq, and on a gap (seq > last + 1) or after any reconnect call `sync` from the last seq held.
 * Edits and deletions missed while away come from the same `sync`, keyed by each chat's `changeCursor` (from the
 * history page that loaded the chat, then from each sync): opaque, made by the server, so client clocks never matter.
 * Limits: `message:send` and `typing:*` are rate-limited per socket (error COMMON.RATE_LIMITED), as are `sync`,
 * `presence:query` and `message:react` (one budget); every chat-scoped event answers CHAT.NOT_FOUND to a non-member.
 */
import type { ChatSummaryDto, ChatUpdatedEvent } from './chats.contract';
import type { ErrorPayload } from './errors';
import type { MessageDto, PinDto, ReactionDto } from './messages.contract';
import type { PublicUserDto } from './users.contract';

export const SOCKET_PATH = '/socket.io';
/** A typing indicator with no `typing:stop` ends by itself after this long (the server also sends the stop). */
export const TYPING_EXPIRES_MS = 5_000;
/** Socket-level cap on one incoming frame (text messages are ≤ 4,000 chars; images go over HTTP). */
export const SOCKET_MAX_PAYLOAD_BYTES = 64 * 1024;
export const PRESENCE_QUERY_MAX_USERS = 200;
export const SYNC_MAX_CHATS = 500;
/** Profiles a `sync` refreshes at most (the people whose names and photos the client shows). */
export const SYNC_MAX_USERS = 500;
/**
 * In a chat with more members than this, what concerns one member is not pushed live to all of them: read and
 * delivery receipts go to the member's own devices, and a membership or title change pushes the chat only to the
 * members it adds. (Each would cost members² frames or summaries.) Everyone sees it on their next fetch.
 */
export const LIVE_FANOUT_MAX_MEMBERS = 64;

/** Every acknowledgement: success with data, or a stable error (same codes as REST). */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorPayload };
export type AckCallback<T> = (response: Ack<T>) => void;

// ---- client -> server payloads ----

export interface SendMessagePayload {
  /** Client-made id (e.g. a UUID): a retry with the same id returns the stored message, never a duplicate. */
  clientMessageId: string;
  chatId: string;
  text?: string | null;
  /** Key of an image uploaded over HTTP by the same user (POST /api/v1/media/images). */
  imageKey?: string | null;
  /** Key of a file or voice message uploaded over HTTP by the same user (POST /api/v1/uploads/files). */
  fileKey?: string | null;
  replyToId?: string | null;
}
/** A device received (delivered) or the user read everything up to and including `seq` in the chat. */
export interface SeqPointerPayload { chatId: string; seq: number }
export interface ChatRefPayload { chatId: string }
export interface SyncChatPosition {
  chatId: string;
  /** The last seq the client holds; 0 for a chat with nothing yet. */
  lastSeq: number;
  /**
   * The chat's `changeCursor` from the last sync, or from the history page (REST or RPC) the client loaded it
   * with. Omitted (older clients): no changes are listed, and the result's changeCursor is where to start.
   */
  changeCursor?: string;
}
export interface SyncPayload {
  /** Each chat the client holds messages of; a chat listed twice is synced once, from its smaller lastSeq. */
  chats: SyncChatPosition[];
  /** People whose profiles the client shows: their current name and photo come back in `users`. */
  userIds?: string[];
}
/** Forward a message I can see into another chat I am in (the copy is marked `forwarded`). */
export interface ForwardMessagePayload {
  messageId: string;
  toChatId: string;
  /** Client-made, as for a send: a retry returns the stored copy. */
  clientMessageId: string;
}
export interface PresenceQueryPayload { userIds: string[] }
/** Add (`on: true`) or remove my reaction with `emoji` (exactly one emoji); either is idempotent. */
export interface ReactPayload { messageId: string; emoji: string; on: boolean }

// ---- acks ----

export interface SyncedChat {
  chatId: string;
  /** Every message with seq > lastSeq, oldest first (edits/deletes appear as their current state). */
  messages: MessageDto[];
  /**
   * Messages with seq <= lastSeq edited or deleted for everyone after the changeCursor sent, in their current
   * state (a tombstone: deletedAt set, text and image null), in change order. Replace the copies held; skip ids
   * not held (they load fresh with history). Never repeats a message of `messages`.
   */
  changed: MessageDto[];
  /** Opaque: send it back as this chat's changeCursor next time (also after complete: false). */
  changeCursor: string;
  /** The chat's pinned messages now, newest pin first (replace the list held). */
  pins: PinDto[];
  /**
   * False when the server stopped early (very long absence, many changes): call `sync` again with the last seq
   * received (the same lastSeq if `messages` is empty) and this changeCursor.
   */
  complete: boolean;
}
export interface SyncResult {
  chats: SyncedChat[];
  /** Chats the client did not list (e.g. created while it was away): fetch them with GET /chats. */
  unknownChatIds: string[];
  /** Listed chats the user is not (or no longer) a member of, or that do not exist: drop them locally. */
  notFoundChatIds: string[];
  /** The current profiles of the `userIds` asked for (unknown ids left out). */
  users: PublicUserDto[];
}
export interface PresenceState {
  userId: string;
  online: boolean;
  /** When the user's last device disconnected; null while online or if never seen. */
  lastSeen: string | null;
}

// ---- server -> client payloads ----

/** Title, members, mute or hide changed (a new message comes as its own `message:new` frame, with the unread count). */
export interface ChatUpdatedPayload {
  /** The chat as THIS user sees it: preview (lastMessage), unreadCount, muted... */
  chat: ChatSummaryDto;
  reason: ChatUpdatedEvent['reason'];
  /** Sort the chat list by this, descending (ISO time of the last activity). */
  orderKey: string;
}
/**
 * A new message, with what the receiving member's chat list needs besides it: their unread count in the chat right
 * after it (the preview is the message; the order is its createdAt). One frame per member and message. Its
 * `mentions` say whether it mentions the member: then its seq joins their chat's `unreadMentionSeqs` (the `@` badge)
 * until their read pointer passes it.
 */
export type NewMessagePayload = MessageDto & { unreadCount: number };
export interface ReceiptPayload {
  chatId: string;
  /** The member whose pointer moved. */
  userId: string;
  /** Everything up to and including this seq is delivered to / read by `userId`. */
  seq: number;
  at: string | null;
}
export interface TypingPayload {
  chatId: string;
  userId: string;
  state: 'start' | 'stop';
  /** For `start`: treat it as stopped after this long without a new `start`. */
  expiresInMs?: number;
}
export type PresencePayload = PresenceState;
/**
 * A message's reactions after someone added or removed one: the whole set. Replace the held copy's `reactions`
 * when `version` is larger than the last one applied to that message (frames can come out of order); a message
 * not held is skipped (history and sync carry reactions too).
 */
export interface ReactionsPayload {
  chatId: string;
  messageId: string;
  seq: number;
  reactions: ReactionDto[];
  version: number;
}
/** Pinned (`pinned: true`) or unpinned in a chat of mine; the pin shows the message's preview. */
export interface PinChangedPayload { pin: PinDto; pinned: boolean }
/**
 * To the blocker's own devices: they blocked or unblocked `userId`. (The person blocked is not told; they see their
 * sends refused with CHAT.BLOCKED, and the blocker's presence goes dark.)
 */
export interface BlockChangedPayload { userId: string; blocked: boolean }

export interface ServerToClientEvents {
  'message:new': (message: NewMessagePayload) => void;
  'message:edited': (message: MessageDto) => void;
  'message:deleted': (message: MessageDto) => void;
  'message:reactions': (payload: ReactionsPayload) => void;
  'chat:updated': (payload: ChatUpdatedPayload) => void;
  /** This user left the group or was removed from it: drop the chat (every device of theirs gets it). */
  'chat:removed': (payload: ChatRefPayload) => void;
  'receipt:delivered': (payload: ReceiptPayload) => void;
  'receipt:read': (payload: ReceiptPayload) => void;
  typing: (payload: TypingPayload) => void;
  presence: (payload: PresencePayload) => void;
  'pin:changed': (payload: PinChangedPayload) => void;
  /** A person who shares a chat with me changed their name or photo. */
  'user:updated': (user: PublicUserDto) => void;
  'block:changed': (payload: BlockChangedPayload) => void;
  /** Sent just before the server disconnects a socket whose token expired or session was revoked: refresh, reconnect. */
  'auth:expired': (error: ErrorPayload) => void;
}

export interface ClientToServerEvents {
  'message:send': (payload: SendMessagePayload, ack: AckCallback<MessageDto>) => void;
  'message:forward': (payload: ForwardMessagePayload, ack: AckCallback<MessageDto>) => void;
  'message:delivered': (payload: SeqPointerPayload, ack?: AckCallback<ReceiptPayload>) => void;
  'message:read': (payload: SeqPointerPayload, ack?: AckCallback<ReceiptPayload>) => void;
  /** The ack is the message with its reactions as they are now. */
  'message:react': (payload: ReactPayload, ack: AckCallback<MessageDto>) => void;
  'typing:start': (payload: ChatRefPayload, ack?: AckCallback<null>) => void;
  'typing:stop': (payload: ChatRefPayload, ack?: AckCallback<null>) => void;
  /** Catch-up after (re)connecting; the ack carries what was missed. */
  sync: (payload: SyncPayload, ack: AckCallback<SyncResult>) => void;
  /** Current presence of these users; the socket also receives their `presence` changes from then on. */
  'presence:query': (payload: PresenceQueryPayload, ack: AckCallback<PresenceState[]>) => void;
}

/** Per-socket data the server keeps (never read from the client). */
export interface SocketData {
  userId: string;
  sessionId: string;
}
