import { Injectable } from '@nestjs/common';
// Deep import: platform's index would pull contracts back in (platform imports only contracts' leaf files).
import { BusClient } from '@chat/platform/transport/bus-client';
import type { MemberReadStateDto, SystemEvent } from './chats.contract';
import type { SearchMessagesQuery, SearchResultPage } from './message-search';

// Search's payloads live in a leaf file (no Nest, no bus), so the web app can take its constants too.
export * from './message-search';

export const MessagesPatterns = {
  /** Idempotent by (chatId, senderId, clientMessageId): a retry returns the stored message. */
  send: 'messages.send',
  edit: 'messages.edit',
  deleteForEveryone: 'messages.delete-for-everyone',
  deleteForMe: 'messages.delete-for-me',
  /** Newest page, before/after a seq, or a window around one message. Keyset, never offset. */
  history: 'messages.history',
  /** Messages edited or deleted for everyone after a change cursor, in change order (catch-up). */
  changes: 'messages.changes',
  get: 'messages.get',
  /** A member's devices received / the member read everything up to a seq (pointers only move forward). */
  markRead: 'messages.mark-read',
  markDelivered: 'messages.mark-delivered',
  /** Every member's pointers (receipts). */
  readStates: 'messages.read-states',
  /** Add (on) or remove (off) the user's reaction with one emoji; idempotent either way. */
  react: 'messages.react',
  /** A copy of a message the user can see, sent by them into another chat they are in (marked forwarded). */
  forward: 'messages.forward',
  /** Pin / unpin a message of a chat (any member of a 1:1 chat, an admin of a group). Idempotent. */
  pin: 'messages.pin',
  unpin: 'messages.unpin',
  /** The chat's pinned messages, newest pin first. */
  pins: 'messages.pins',
  /** Full-text search over the messages the user may see, in one chat or in all of theirs. */
  search: 'messages.search',
} as const;

export const MessagesEvents = {
  created: 'message.created',
  edited: 'message.edited',
  deleted: 'message.deleted',
  /** A member's delivered or read pointer moved. */
  readStateChanged: 'message.read-state-changed',
  /** A message's reactions changed (someone added or removed one). */
  reactionsChanged: 'message.reactions-changed',
  /** A message was pinned or unpinned in a chat (recorded in Messages' outbox with the change). */
  pinned: 'message.pinned',
  unpinned: 'message.unpinned',
} as const;

/** Pinned messages a chat holds at most. */
export const MAX_PINS_PER_CHAT = 50;

export const MAX_TEXT_LENGTH = 4000;
/** The senderId of a system message nobody made (e.g. a successor admin named when the last one left). */
export const SYSTEM_SENDER_ID = 'system';
/** Client message ids of system messages (`system:<version>`); a client may not use the prefix. */
export const SYSTEM_CLIENT_ID_PREFIX = 'system:';

/** A reaction is one emoji; the longest RGI emoji (tag flags, families with skin tones) fit in this many UTF-16 units. */
export const MAX_REACTION_EMOJI_LENGTH = 32;
/** Distinct emojis on one message: keeps a message's reactions (and every frame carrying them) bounded. */
export const MAX_REACTION_KINDS = 20;

/** One emoji on a message: who reacted with it, in the order they did. */
export interface ReactionDto {
  emoji: string;
  count: number;
  userIds: string[];
}

/** An image as stored by the media module (it made the names; the client never chooses them). */
export interface ImageRef {
  /** Storage key, e.g. `ab/abcdef….webp`; used to delete it with the message. */
  key: string;
  url: string;
  thumbnailUrl: string;
  width: number;
  height: number;
  mimeType: string;
  bytes: number;
}

/** A file attachment: any document, or a voice message recorded in the browser. */
export type FileKind = 'file' | 'voice';
export const FILE_KINDS: readonly FileKind[] = ['file', 'voice'];
/** Longest voice message the server takes (its duration is what the recorder measured). */
export const MAX_VOICE_DURATION_MS = 60 * 60 * 1000;
export const MAX_FILE_NAME_LENGTH = 200;

/**
 * A file as stored by the media module. The key and the storage name are the server's; `name` is the uploader's
 * file name (cleaned), shown in the bubble and offered as the download name, never used as a path.
 */
export interface FileRef {
  /** Storage key, e.g. `3f1c….bin`; used to delete it with the message. */
  key: string;
  /** Where it downloads from (served as an attachment, never inline). */
  url: string;
  name: string;
  /** The type the server recognised from the bytes (application/octet-stream when unknown), never the declared one. */
  mimeType: string;
  bytes: number;
  kind: FileKind;
  /** Voice messages: how long the recording is. Null for other files. */
  durationMs: number | null;
}

/** What a preview (reply quote, chat list) says about a file attachment. */
export interface FilePreview {
  kind: FileKind;
  name: string;
}

export interface ReplyPreview {
  id: string;
  seq: number;
  /** Empty when `unavailable`. */
  senderId: string;
  text: string | null;
  hasImage: boolean;
  /** The quoted message's file, if it carries one. Absent in replies stored before files existed. */
  file?: FilePreview | null;
  deleted: boolean;
  /**
   * The message replied to was sent before the reader joined, so they may not see it: no sender, text or image.
   * Absent (false) otherwise.
   */
  unavailable?: boolean;
}

export interface MessageDto {
  id: string;
  chatId: string;
  /** Per-chat, gapless, assigned at commit: the order of the chat and the key of catch-up. */
  seq: number;
  senderId: string;
  clientMessageId: string;
  text: string | null;
  image: ImageRef | null;
  /** A file or voice message attached (never together with an image). */
  file: FileRef | null;
  replyTo: ReplyPreview | null;
  createdAt: string;
  editedAt: string | null;
  /** Set when deleted for everyone: a tombstone with no text, no image and no file. */
  deletedAt: string | null;
  /**
   * A line of the timeline written by the server (group created, renamed, member added...): no text, no image;
   * senderId is the actor (SYSTEM_SENDER_ID when the server itself acted). Null for a message someone wrote.
   */
  system: SystemEvent | null;
  /** A copy forwarded from another message (whose chat and sender are not disclosed). */
  forwarded: boolean;
  /** 1:1 chats: whether the other member has read it, and when. */
  seen?: boolean;
  seenAt?: string | null;
  /** Groups: members (other than the sender) whose read pointer passed it. */
  readBy?: string[];
  /** Emojis on the message, in the order each was first used; empty on a tombstone. Messages always sets it. */
  reactions?: ReactionDto[];
  /**
   * The members the text mentions (its `@[userId]` tokens, see mentions.ts), each once; empty on a tombstone.
   * Messages always sets it; absent only in frames of older servers.
   */
  mentions?: string[];
}

export interface SendMessage {
  senderId: string;
  chatId: string;
  clientMessageId: string;
  text?: string | null;
  image?: ImageRef | null;
  file?: FileRef | null;
  replyToId?: string | null;
  /**
   * The connection the send came from (a gateway's socket id), if any: told back in the message's event so that
   * its frame skips that socket, whose ack carries the stored message already. Not stored with the message.
   */
  sentFrom?: string | null;
}
export interface ForwardMessage {
  /** Who forwards: must see the original and be a member of the target chat. */
  userId: string;
  messageId: string;
  toChatId: string;
  /** Idempotent like a send: a retry with the same id returns the stored copy. */
  clientMessageId: string;
}
export interface PinRef { userId: string; chatId: string; messageId: string }
export interface PinsQuery { userId: string; chatId: string }
/** A pinned message as the chat's info lists it; jump to it with history `around: messageId`. */
export interface PinDto {
  chatId: string;
  messageId: string;
  seq: number;
  pinnedBy: string;
  pinnedAt: string;
  /** What the message shows now (deleted: a tombstone). */
  message: ReplyPreview;
}
export interface EditMessage { userId: string; messageId: string; text: string }
export interface MessageRef { userId: string; messageId: string }
export interface HistoryQuery {
  userId: string;
  chatId: string;
  /** Messages with seq < before (older page). */
  before?: number;
  /** Messages with seq > after (newer page; catch-up). */
  after?: number;
  /** A window centred on this message (jump to a message). */
  around?: string;
  limit?: number;
}
export interface HistoryPage {
  items: MessageDto[];
  /** Whether older / newer messages exist beyond this page. */
  hasOlder: boolean;
  hasNewer: boolean;
  /**
   * Opaque. The chat's change position read just before this page: give it to the socket `sync` (per chat
   * `changeCursor`) to get the edits and deletions made after it.
   */
  changeCursor: string;
}
export interface ChangesQuery {
  userId: string;
  chatId: string;
  /** A changeCursor from a HistoryPage or an earlier ChangesPage. Absent: no items, only the current cursor. */
  after?: string;
  /** At most 100 (the default). */
  limit?: number;
}
export interface ChangesPage {
  /**
   * Messages whose last edit or delete-for-everyone came after the cursor, as they are now (a tombstone has
   * deletedAt set and no text or image), in change order; each message once. Hidden-for-me messages are left out.
   */
  items: MessageDto[];
  /** Ask again from `changeCursor` for the rest. */
  hasMore: boolean;
  /** Opaque: everything up to here is in this page or was before the cursor given. */
  changeCursor: string;
}

export interface MessageCreatedEvent {
  message: MessageDto;
  /** Who the message goes to: the chat's members as Messages knew them when it committed. */
  memberIds: string[];
  /**
   * Each member's unread count right after this message (unreadCounts[i] is memberIds[i]'s): the chat's last seq
   * less the member's read pointer, 0 for the sender. With the message itself (preview, order by createdAt) it is
   * all a member's chat list needs, so one frame per member carries both.
   */
  unreadCounts: number[];
  /**
   * Members who joined after the message replied to: their frame carries the reply preview redacted
   * (`unavailable`), the others the full one. Absent or empty: everyone may see it.
   */
  replyHiddenFrom?: string[];
  /** SendMessage's sentFrom: the socket that has the message from its ack, and no frame of it. */
  sentFrom?: string;
}
/** memberIds: the members who may see the message (joined before it); replyHiddenFrom as in MessageCreatedEvent. */
export interface MessageEditedEvent { message: MessageDto; memberIds: string[]; replyHiddenFrom?: string[] }
export interface MessageDeletedEvent {
  message: MessageDto;
  memberIds: string[];
  removedImageKey: string | null;
  /** The file the tombstone dropped (the gateway's media removes it). Absent in events from before files. */
  removedFileKey?: string | null;
}

/** A member's pointers moved (in Messages' store); Chats merges them by maximum, the gateway pushes receipts. */
export interface MessageReadStateChangedEvent extends MemberReadStateDto {
  chatId: string;
  memberIds: string[];
}
/** Pinned or unpinned: the pin (its preview) and who hears of it. `pinned` false for an unpin. */
export interface MessagePinChangedEvent { pin: PinDto; pinned: boolean; memberIds: string[] }
export interface MovePointer { userId: string; chatId: string; seq: number }
export interface ReadStatesQuery { userId: string; chatId: string }
export interface ReactToMessage { userId: string; messageId: string; emoji: string; on: boolean }

/**
 * A message's reactions as they are after a change (the whole set, not a delta: applying it twice or late is
 * harmless). Frames may arrive out of order with several gateways, so a client keeps the one with the larger
 * `version`. Catch-up (`changes`) carries the same state, so a missed frame is never lost.
 */
export interface MessageReactionsChangedEvent {
  chatId: string;
  messageId: string;
  seq: number;
  reactions: ReactionDto[];
  /** Per chat, increasing: the change number the reaction change took (a plain number, unlike the opaque cursors). */
  version: number;
  memberIds: string[];
}

/** The Messages module, as other modules see it. */
@Injectable()
export class MessagesClient {
  constructor(private readonly bus: BusClient) {}

  send(p: SendMessage): Promise<MessageDto> { return this.bus.request(MessagesPatterns.send, p); }
  edit(p: EditMessage): Promise<MessageDto> { return this.bus.request(MessagesPatterns.edit, p); }
  deleteForEveryone(p: MessageRef): Promise<MessageDto> { return this.bus.request(MessagesPatterns.deleteForEveryone, p); }
  deleteForMe(p: MessageRef): Promise<void> { return this.bus.request(MessagesPatterns.deleteForMe, p); }
  history(p: HistoryQuery): Promise<HistoryPage> { return this.bus.request(MessagesPatterns.history, p); }
  changes(p: ChangesQuery): Promise<ChangesPage> { return this.bus.request(MessagesPatterns.changes, p); }
  get(p: MessageRef): Promise<MessageDto> { return this.bus.request(MessagesPatterns.get, p); }
  markRead(p: MovePointer): Promise<MemberReadStateDto> { return this.bus.request(MessagesPatterns.markRead, p); }
  markDelivered(p: MovePointer): Promise<MemberReadStateDto> { return this.bus.request(MessagesPatterns.markDelivered, p); }
  readStates(p: ReadStatesQuery): Promise<MemberReadStateDto[]> { return this.bus.request(MessagesPatterns.readStates, p); }
  react(p: ReactToMessage): Promise<MessageDto> { return this.bus.request(MessagesPatterns.react, p); }
  forward(p: ForwardMessage): Promise<MessageDto> { return this.bus.request(MessagesPatterns.forward, p); }
  pin(p: PinRef): Promise<PinDto> { return this.bus.request(MessagesPatterns.pin, p); }
  unpin(p: PinRef): Promise<void> { return this.bus.request(MessagesPatterns.unpin, p); }
  pins(p: PinsQuery): Promise<PinDto[]> { return this.bus.request(MessagesPatterns.pins, p); }
  search(p: SearchMessagesQuery): Promise<SearchResultPage> { return this.bus.request(MessagesPatterns.search, p); }
}
