import { SearchOrder } from '@chat/contracts';
import { OutboxEvent, OutboxStore, WithOutbox } from '@chat/platform';
import { Message, MessageDraft } from '../domain/message';
import { ChatMembership, MemberPointers, PointerMove } from '../domain/read-pointers';

/** The events a stored message gives, from the message as stored and the members' pointers right after it. */
export type AnnounceMessage = (message: Message, members: MemberPointers[]) => OutboxEvent[];
/** The events a pointer move gives, from the member's new pointers and the chat's membership. */
export type AnnouncePointers = (pointers: MemberPointers, membership: ChatMembership) => OutboxEvent[];

/** The membership of a chat as Chats announced it (`chat.members-changed`). */
export interface MembershipChange {
  chatId: string;
  kind: 'direct' | 'group';
  version: number;
  memberIds: string[];
}

/** A full-text search as the adapters run it: folded terms (search-terms.ts), never the user's raw text. */
export interface MessageSearch {
  viewerId: string;
  /** At least one; a message matches when its text has every one of them as a word. */
  terms: string[];
  /** One chat, or null for every chat the viewer is a member of. */
  chatId: string | null;
  order: SearchOrder;
  /** The `next` of the previous page (an adapter's own position: a row number or an offset); null for the first. */
  after: number | null;
  limit: number;
}

export interface FoundMessages {
  messages: Message[];
  /** Where the next page starts; null when this one is the last. */
  next: number | null;
}

/**
 * The Messages module's persistence port (also its DI token), bound per driver by MessagesPersistenceModule.
 * Every change that other modules hear of records its events in `outbox`, in the same transaction.
 */
export abstract class MessageRepository implements WithOutbox {
  abstract readonly outbox: OutboxStore;

  /**
   * Stores the draft with the chat's next seq, in one transaction, unless (chatId, senderId, clientMessageId)
   * is already stored: then the stored message comes back and `created` is false, and nothing else happens.
   * Seqs have no gaps. In the same transaction: the sender's pointers move to the new seq (sending reads
   * everything before it) and the events `announce` gives are recorded.
   */
  abstract insertNext(draft: MessageDraft, announce: AnnounceMessage): Promise<{ message: Message; created: boolean }>;
  abstract findById(id: string): Promise<Message | null>;
  abstract findByIds(ids: string[]): Promise<Message[]>;
  abstract findByClientId(chatId: string, senderId: string, clientMessageId: string): Promise<Message | null>;
  /** Up to `limit` messages with seq < beforeSeq (all when null), newest first, leaving out those `viewerId` hid. */
  abstract pageBefore(chatId: string, viewerId: string, beforeSeq: number | null, limit: number): Promise<Message[]>;
  /** Up to `limit` messages with seq > afterSeq, oldest first, leaving out those `viewerId` hid. */
  abstract pageAfter(chatId: string, viewerId: string, afterSeq: number, limit: number): Promise<Message[]>;
  /**
   * Edits a live message; like every change, it takes the chat's next change number (see changedAfter). The
   * events of the edited message are recorded with it. Null when the message is gone or deleted.
   */
  abstract updateText(id: string, text: string | null, editedAt: Date, announce: (message: Message) => OutboxEvent[]): Promise<Message | null>;
  /**
   * Clears text and image and sets deletedAt; the row (and its seq) stays, with the chat's next change number.
   * The events of the tombstone are recorded with it. Null when already deleted (nothing recorded).
   */
  abstract tombstone(id: string, deletedAt: Date, announce: (message: Message) => OutboxEvent[]): Promise<Message | null>;
  /**
   * The chat's newest change number, 0 when nothing was ever changed. Numbers commit in order, so a client
   * holding a state read after this call has seen every change up to it.
   */
  abstract lastChangeSeq(chatId: string): Promise<number>;
  /**
   * Up to `limit` messages whose last edit or delete-for-everyone has a change number > afterChangeSeq, in
   * change order, as they are now (a message changed twice comes once, at its later number), leaving out
   * those `viewerId` hid.
   */
  abstract changedAfter(chatId: string, viewerId: string, afterChangeSeq: number, limit: number): Promise<Message[]>;
  /** Delete for me: the message disappears from `userId`'s history only. Idempotent. */
  abstract hideFor(userId: string, message: Message): Promise<void>;
  abstract isHiddenFor(userId: string, message: Message): Promise<boolean>;
  /**
   * Messages whose live text has every term, among those the viewer may see: in a chat of which they are a member
   * now (the projection), from the seq their visibility starts at in it, not deleted for everyone, not hidden for
   * them. Newest (last stored) first or most relevant first. Edits and deletes for everyone are searchable as
   * soon as they commit (the index changes in their transaction).
   */
  abstract search(search: MessageSearch): Promise<FoundMessages>;

  /** The chat's kind when `userId` is a member of it (point lookups: a send's check, whatever the group's size). */
  abstract memberKind(chatId: string, userId: string): Promise<ChatMembership['kind'] | null>;
  /** The chat's membership with every member's pointers, or null when no member was ever announced. */
  abstract findMembership(chatId: string): Promise<ChatMembership | null>;
  /**
   * Applies Chats' membership of `version` unless a newer or equal one is applied (events come in any order and
   * more than once). New members start with everything sent before them delivered and read; removed members go.
   */
  abstract applyMembership(change: MembershipChange): Promise<boolean>;
  /**
   * Moves a member's pointers (movePointers: forward only, never past the chat's last seq) and records the events
   * `announce` gives, in one transaction. Null when the user is not a member; the pointers unchanged when nothing moved.
   */
  abstract movePointers(chatId: string, userId: string, move: PointerMove, announce: AnnouncePointers): Promise<MemberPointers | null>;
}
