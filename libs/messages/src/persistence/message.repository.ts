import { SearchOrder } from '@chat/contracts';
import { OutboxEvent, OutboxStore, WithOutbox } from '@chat/platform';
import { Message, MessageDraft } from '../domain/message';
import { BlockState } from '../domain/blocks';
import { Pin } from '../domain/pins';
import { ChatMembership, MemberPointers, PointerMove } from '../domain/read-pointers';
import { Reaction } from '../domain/reactions';

/** The events a stored message gives, from the message as stored and the members' pointers right after it. */
export type AnnounceMessage = (message: Message, members: MemberPointers[]) => OutboxEvent[];
/** The events a change of a message gives, from the message as changed and its reactions right after the change. */
export type AnnounceChange = (message: Message, reactions: Reaction[]) => OutboxEvent[];
/** A member's reaction to add or remove. */
export interface ReactionChange {
  userId: string;
  emoji: string;
  on: boolean;
  at: Date;
}
/**
 * What a reaction change did: `changed` (stored, numbered, announced), `unchanged` (it was already so: nothing
 * written), `gone` (no such message, or deleted for everyone), `refused` (`allow` said no: too many emojis).
 */
export type ReactionOutcome =
  | { kind: 'changed' | 'unchanged'; message: Message; reactions: Reaction[] }
  | { kind: 'gone' }
  | { kind: 'refused' };

/** The events a pointer move gives, from the member's new pointers and the chat's membership. */
export type AnnouncePointers = (pointers: MemberPointers, membership: ChatMembership) => OutboxEvent[];

/** The membership of a chat as Chats announced it (`chat.members-changed`). */
export interface MembershipChange {
  chatId: string;
  kind: 'direct' | 'group';
  version: number;
  memberIds: string[];
  /** Whether members who join with this version see the messages before them (visibilityFloor). */
  historyVisible: boolean;
}

/** The system message of a change (systemMessageDraft) and the events it gives, as for a send. */
export interface SystemMessageWrite {
  draft: MessageDraft;
  announce: AnnounceMessage;
}

/** Who reads a page: hidden-for-me messages and those before the reader's floor (visibility) are left out. */
export interface Viewer {
  userId: string;
  visibleFromSeq: number;
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

/** What a send must know before its message is stored (MessageRepository.sendFacts). */
export interface SendFacts {
  /** The chat's kind when the sender is a member (in the projection); null otherwise. */
  kind: ChatMembership['kind'] | null;
  /** The message the sender stored under this client message id already (a retry), or null. */
  stored: Message | null;
  /** In a 1:1 chat with no such message: the other member (null when not known) and the blocks between the two. */
  otherMemberId: string | null;
  blocks: BlockState[];
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

  /**
   * What a send needs to know first (SendFacts), in one call: point lookups, whatever the group's size. Here as the
   * point lookups one by one; an adapter that can read them at once overrides it.
   */
  async sendFacts(chatId: string, senderId: string, clientMessageId: string): Promise<SendFacts> {
    const kind = await this.memberKind(chatId, senderId);
    const none = { otherMemberId: null, blocks: [] };
    if (!kind) return { kind, stored: null, ...none };
    const stored = await this.findByClientId(chatId, senderId, clientMessageId);
    if (stored || kind !== 'direct') return { kind, stored, ...none };
    const otherMemberId = await this.otherMember(chatId, senderId);
    return { kind, stored, otherMemberId, blocks: otherMemberId ? await this.blocksBetween(senderId, otherMemberId) : [] };
  }
  /** Up to `limit` messages with seq < beforeSeq (all when null), newest first, of those the viewer may see. */
  abstract pageBefore(chatId: string, viewer: Viewer, beforeSeq: number | null, limit: number): Promise<Message[]>;
  /** Up to `limit` messages with seq > afterSeq, oldest first, of those the viewer may see. */
  abstract pageAfter(chatId: string, viewer: Viewer, afterSeq: number, limit: number): Promise<Message[]>;
  /**
   * Edits a live message; like every change, it takes the chat's next change number (see changedAfter). The
   * events of the edited message are recorded with it. Null when the message is gone or deleted.
   */
  abstract updateText(id: string, text: string | null, editedAt: Date, announce: AnnounceChange): Promise<Message | null>;
  /**
   * Clears text and image, removes its reactions and sets deletedAt; the row (and its seq) stays, with the chat's
   * next change number. The events of the tombstone are recorded with it. Null when already deleted (nothing recorded).
   */
  abstract tombstone(id: string, deletedAt: Date, announce: AnnounceChange): Promise<Message | null>;
  /**
   * Adds or removes one member's reaction to a live message, in one transaction: a new emoji only when
   * `allow(emojis in use on the message)` says so. A reaction that changed gives the message the chat's next change
   * number (so catch-up carries it like an edit) and records the events `announce` gives. One row per reaction:
   * the work does not grow with the group.
   */
  abstract setReaction(messageId: string, change: ReactionChange, allow: (emojisInUse: string[]) => boolean, announce: AnnounceChange): Promise<ReactionOutcome>;
  /** The reactions to the chat's messages with these seqs (a page's), in any order. */
  abstract reactionsOf(chatId: string, seqs: number[]): Promise<Reaction[]>;
  /**
   * The chat's newest change number, 0 when nothing was ever changed. Numbers commit in order, so a client
   * holding a state read after this call has seen every change up to it.
   */
  abstract lastChangeSeq(chatId: string): Promise<number>;
  /**
   * Up to `limit` messages whose last edit, reaction change or delete-for-everyone has a change number > afterChangeSeq,
   * in change order, as they are now (a message changed twice comes once, at its later number), of those the
   * viewer may see.
   */
  abstract changedAfter(chatId: string, viewer: Viewer, afterChangeSeq: number, limit: number): Promise<Message[]>;
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
  /** One member's pointers and floor, or null when not a member (a point lookup). */
  abstract findMember(chatId: string, userId: string): Promise<MemberPointers | null>;
  /** The chat's membership with every member's pointers, or null when no member was ever announced. */
  abstract findMembership(chatId: string): Promise<ChatMembership | null>;
  /**
   * In one transaction: applies Chats' membership of `version` unless a newer or equal one is applied (events come
   * in any order and more than once): new members start with everything sent before them delivered and read, and
   * their floor at visibilityFloor; removed members go. Then stores the change's system message with the chat's
   * next seq unless its key (chat, sender, client message id) is stored already, as insertNext does (its sender's
   * pointers move, its events are recorded). `message` is the system message when it was stored now.
   */
  abstract applyMembership(change: MembershipChange, system?: SystemMessageWrite): Promise<{ applied: boolean; message: Message | null }>;
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
