import { OutboxEvent, OutboxStore, WithOutbox } from '@chat/platform';
import { Message, MessageDraft } from '../domain/message';
import { BlockState } from '../domain/blocks';
import { Pin } from '../domain/pins';
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

  /**
   * Whether a message other than `exceptId` that is not deleted for everyone carries the media `key` (a forwarded
   * copy shares its original's file): the file is removed only with the last message that shows it.
   */
  abstract mediaKeyInUse(key: string, exceptId: string): Promise<boolean>;

  /**
   * Pins the message unless it is pinned already, and records the events `announce` gives, in one transaction.
   * 'full' (nothing stored) when the chat holds `maxPins` pins already; 'exists' (nothing recorded) for a repeat.
   */
  abstract pin(pin: Pin, maxPins: number, announce: (pin: Pin) => OutboxEvent[]): Promise<'pinned' | 'exists' | 'full'>;
  /** Unpins it and records the events `announce` gives, in one transaction; false (nothing recorded) when not pinned. */
  abstract unpin(chatId: string, messageId: string, announce: (pin: Pin) => OutboxEvent[]): Promise<boolean>;
  /** The chat's pins, newest pin first. */
  abstract listPins(chatId: string): Promise<Pin[]>;

  /** Applies a block event unless a newer or equal version of the pair is held (isNewerBlock). */
  abstract applyBlock(block: BlockState): Promise<boolean>;
  /** The blocks held between two people, both directions (lifted ones included, with blocked false). */
  abstract blocksBetween(a: string, b: string): Promise<BlockState[]>;
  /** The other member of a 1:1 chat, from the membership projection (null when not known). */
  abstract otherMember(chatId: string, userId: string): Promise<string | null>;
}
