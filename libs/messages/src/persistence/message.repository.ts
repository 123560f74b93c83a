import { Message, MessageDraft } from '../domain/message';

/** The Messages module's persistence port (also its DI token), bound per driver by MessagesPersistenceModule. */
export abstract class MessageRepository {
  /**
   * Stores the draft with the chat's next seq, in one transaction, unless (chatId, senderId, clientMessageId)
   * is already stored: then the stored message comes back and `created` is false. Seqs have no gaps.
   */
  abstract insertNext(draft: MessageDraft): Promise<{ message: Message; created: boolean }>;
  abstract findById(id: string): Promise<Message | null>;
  abstract findByIds(ids: string[]): Promise<Message[]>;
  abstract findByClientId(chatId: string, senderId: string, clientMessageId: string): Promise<Message | null>;
  /** Up to `limit` messages with seq < beforeSeq (all when null), newest first, leaving out those `viewerId` hid. */
  abstract pageBefore(chatId: string, viewerId: string, beforeSeq: number | null, limit: number): Promise<Message[]>;
  /** Up to `limit` messages with seq > afterSeq, oldest first, leaving out those `viewerId` hid. */
  abstract pageAfter(chatId: string, viewerId: string, afterSeq: number, limit: number): Promise<Message[]>;
  /** Edits a live message; like every change, it takes the chat's next change number (see changedAfter). */
  abstract updateText(id: string, text: string | null, editedAt: Date): Promise<Message | null>;
  /** Clears text and image and sets deletedAt; the row (and its seq) stays, with the chat's next change number. */
  abstract tombstone(id: string, deletedAt: Date): Promise<Message | null>;
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
}
