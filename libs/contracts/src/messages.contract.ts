import { Injectable } from '@nestjs/common';
// Deep import: platform's index would pull contracts back in (platform imports only contracts' leaf files).
import { BusClient } from '@chat/platform/transport/bus-client';
import type { MemberReadStateDto } from './chats.contract';
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
  /** Full-text search over the messages the user may see, in one chat or in all of theirs. */
  search: 'messages.search',
} as const;

export const MessagesEvents = {
  created: 'message.created',
  edited: 'message.edited',
  deleted: 'message.deleted',
  /** A member's delivered or read pointer moved. */
  readStateChanged: 'message.read-state-changed',
} as const;

export const MAX_TEXT_LENGTH = 4000;

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

export interface ReplyPreview {
  id: string;
  seq: number;
  senderId: string;
  text: string | null;
  hasImage: boolean;
  deleted: boolean;
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
  replyTo: ReplyPreview | null;
  createdAt: string;
  editedAt: string | null;
  /** Set when deleted for everyone: a tombstone with no text and no image. */
  deletedAt: string | null;
  /** 1:1 chats: whether the other member has read it, and when. */
  seen?: boolean;
  seenAt?: string | null;
  /** Groups: members (other than the sender) whose read pointer passed it. */
  readBy?: string[];
}

export interface SendMessage {
  senderId: string;
  chatId: string;
  clientMessageId: string;
  text?: string | null;
  image?: ImageRef | null;
  replyToId?: string | null;
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
}
export interface MessageEditedEvent { message: MessageDto; memberIds: string[] }
export interface MessageDeletedEvent { message: MessageDto; memberIds: string[]; removedImageKey: string | null }

/** A member's pointers moved (in Messages' store); Chats merges them by maximum, the gateway pushes receipts. */
export interface MessageReadStateChangedEvent extends MemberReadStateDto {
  chatId: string;
  memberIds: string[];
}
export interface MovePointer { userId: string; chatId: string; seq: number }
export interface ReadStatesQuery { userId: string; chatId: string }

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
  search(p: SearchMessagesQuery): Promise<SearchResultPage> { return this.bus.request(MessagesPatterns.search, p); }
}
