import { Connection, Model } from 'mongoose';
import { Message, MessageDraft } from '../../domain/message';
import { MessageRepository } from '../message.repository';
import { ChatSeqDocument, MessageDocument, MessageHideDocument } from './message.schemas';

const toMessage = (doc: MessageDocument): Message => ({
  id: doc._id,
  chatId: doc.chatId,
  seq: doc.seq,
  senderId: doc.senderId,
  clientMessageId: doc.clientMessageId,
  text: doc.text ?? null,
  image: doc.image ?? null,
  replyToId: doc.replyToId ?? null,
  createdAt: new Date(doc.createdAt),
  editedAt: doc.editedAt ? new Date(doc.editedAt) : null,
  deletedAt: doc.deletedAt ? new Date(doc.deletedAt) : null,
  changeSeq: doc.changeSeq ?? null,
});

const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === 11000;
const hideId = (userId: string, chatId: string, seq: number) => `${userId}:${chatId}:${seq}`;

/**
 * The same queries as the SQLite adapter on mirrored indexes. Seq assignment needs a multi-document
 * transaction (a replica set, as MongoDB deployments have): the counter and the insert commit together, so an
 * aborted send leaves no gap.
 */
export class MongoMessageRepository extends MessageRepository {
  constructor(
    private readonly connection: Connection,
    private readonly messages: Model<MessageDocument>,
    private readonly seqs: Model<ChatSeqDocument>,
    private readonly hides: Model<MessageHideDocument>,
  ) {
    super();
  }

  async insertNext(draft: MessageDraft): Promise<{ message: Message; created: boolean }> {
    const existing = await this.findByClientId(draft.chatId, draft.senderId, draft.clientMessageId);
    if (existing) return { message: existing, created: false };
    const session = await this.connection.startSession();
    try {
      let stored: Message | null = null;
      await session.withTransaction(async () => {
        // Point update on _id: the counter document serializes writers of one chat.
        const counter = await this.seqs.findOneAndUpdate({ _id: draft.chatId }, { $inc: { lastSeq: 1 } }, { upsert: true, new: true, session }).lean<ChatSeqDocument>().exec();
        const [doc] = await this.messages.create([{ _id: draft.id, ...draft, seq: counter!.lastSeq, editedAt: null, deletedAt: null }], { session });
        stored = toMessage(doc.toObject() as MessageDocument);
      });
      return { message: stored!, created: true };
    } catch (error) {
      // A concurrent retry won the unique (chatId, senderId, clientMessageId): ours rolled back, counter included.
      if (!isDuplicateKey(error)) throw error;
      const winner = await this.findByClientId(draft.chatId, draft.senderId, draft.clientMessageId);
      if (!winner) throw error;
      return { message: winner, created: false };
    } finally {
      await session.endSession();
    }
  }

  async findById(id: string): Promise<Message | null> {
    // Point lookup on _id.
    const doc = await this.messages.findById(id).lean<MessageDocument>().exec();
    return doc ? toMessage(doc) : null;
  }

  async findByIds(ids: string[]): Promise<Message[]> {
    if (ids.length === 0) return [];
    // One _id lookup per id.
    const docs = await this.messages.find({ _id: { $in: ids } }).lean<MessageDocument[]>().exec();
    return docs.map(toMessage);
  }

  async findByClientId(chatId: string, senderId: string, clientMessageId: string): Promise<Message | null> {
    // Point lookup on the unique { chatId, senderId, clientMessageId } index.
    const doc = await this.messages.findOne({ chatId, senderId, clientMessageId }).lean<MessageDocument>().exec();
    return doc ? toMessage(doc) : null;
  }

  async pageBefore(chatId: string, viewerId: string, beforeSeq: number | null, limit: number): Promise<Message[]> {
    return this.page(chatId, viewerId, beforeSeq === null ? {} : { $lt: beforeSeq }, -1, limit);
  }

  async pageAfter(chatId: string, viewerId: string, afterSeq: number, limit: number): Promise<Message[]> {
    return this.page(chatId, viewerId, { $gt: afterSeq }, 1, limit);
  }

  async updateText(id: string, text: string | null, editedAt: Date): Promise<Message | null> {
    return this.change(id, { text, editedAt });
  }

  async tombstone(id: string, deletedAt: Date): Promise<Message | null> {
    return this.change(id, { text: null, image: null, deletedAt });
  }

  async lastChangeSeq(chatId: string): Promise<number> {
    // Point lookup on _id of the chat's counter document.
    const counter = await this.seqs.findById(chatId, { lastChangeSeq: 1 }).lean<Pick<ChatSeqDocument, 'lastChangeSeq'>>().exec();
    return counter?.lastChangeSeq ?? 0;
  }

  /**
   * Bounded range scan of { chatId, changeSeq } from the cursor, in change order, skipping the viewer's hidden
   * messages like page() does. In a snapshot: outside one, a message changed again during the scan could come
   * back early with its new, higher number, and a cursor taken from the result would skip the numbers between.
   */
  async changedAfter(chatId: string, viewerId: string, afterChangeSeq: number, limit: number): Promise<Message[]> {
    const session = await this.connection.startSession({ snapshot: true });
    try {
      const result: Message[] = [];
      let after = afterChangeSeq;
      while (result.length < limit) {
        const wanted = limit - result.length;
        const docs = await this.messages.find({ chatId, changeSeq: { $gt: after } }).sort({ changeSeq: 1 }).limit(wanted).session(session).lean<MessageDocument[]>().exec();
        if (docs.length === 0) break;
        // One _id lookup per message read: changed messages are scattered over the chat's seqs.
        const hideIds = docs.map((d) => hideId(viewerId, chatId, d.seq));
        const hidden = new Set((await this.hides.find({ _id: { $in: hideIds } }, { seq: 1 }).lean<{ seq: number }[]>().exec()).map((h) => h.seq));
        result.push(...docs.filter((d) => !hidden.has(d.seq)).map(toMessage));
        after = docs[docs.length - 1].changeSeq!;
        if (docs.length < wanted) break;
      }
      return result;
    } finally {
      await session.endSession();
    }
  }

  async hideFor(userId: string, message: Message): Promise<void> {
    const _id = hideId(userId, message.chatId, message.seq);
    // Point upsert on _id: hiding twice is one row.
    await this.hides
      .updateOne({ _id }, { $setOnInsert: { _id, userId, chatId: message.chatId, seq: message.seq, messageId: message.id, hiddenAt: new Date() } }, { upsert: true })
      .exec();
  }

  async isHiddenFor(userId: string, message: Message): Promise<boolean> {
    // Point lookup on _id.
    return (await this.hides.exists({ _id: hideId(userId, message.chatId, message.seq) })) !== null;
  }

  /**
   * An edit or delete takes the chat's next change number in the same transaction as the change: the counter
   * document is a write conflict for any other writer of the chat until commit, so numbers commit in order and
   * a reader that sees number N has every change up to N. A lost race (deleted meanwhile) leaves a harmless gap.
   */
  private async change(id: string, set: Partial<MessageDocument>): Promise<Message | null> {
    const before = await this.findById(id);
    if (!before || before.deletedAt) return before; // a tombstone is never changed again
    const session = await this.connection.startSession();
    try {
      await session.withTransaction(async () => {
        // Point update on _id of the counter document (it exists: the message's insert made it).
        const counter = await this.seqs
          .findOneAndUpdate({ _id: before.chatId }, { $inc: { lastChangeSeq: 1 } }, { upsert: true, new: true, session })
          .lean<ChatSeqDocument>()
          .exec();
        // Point update on _id.
        await this.messages.updateOne({ _id: id, deletedAt: null }, { $set: { ...set, changeSeq: counter!.lastChangeSeq } }, { session }).exec();
      });
    } finally {
      await session.endSession();
    }
    return this.findById(id);
  }

  /**
   * Bounded range scan of { chatId, seq } in page order. Hidden messages are skipped the way SQLite's NOT EXISTS
   * does: read a little more than a page, drop the viewer's hidden seqs (one range of message_hides), repeat.
   */
  private async page(chatId: string, viewerId: string, seqRange: Record<string, number>, direction: 1 | -1, limit: number): Promise<Message[]> {
    const result: Message[] = [];
    let range = seqRange;
    while (result.length < limit) {
      const filter = Object.keys(range).length ? { chatId, seq: range } : { chatId };
      const wanted = limit - result.length;
      const docs = await this.messages.find(filter).sort({ seq: direction }).limit(wanted).lean<MessageDocument[]>().exec();
      if (docs.length === 0) break;
      const seqs = docs.map((d) => d.seq);
      const hidden = new Set(
        (await this.hides.find({ userId: viewerId, chatId, seq: { $gte: Math.min(...seqs), $lte: Math.max(...seqs) } }, { seq: 1 }).lean<{ seq: number }[]>().exec()).map((h) => h.seq),
      );
      result.push(...docs.filter((d) => !hidden.has(d.seq)).map(toMessage));
      const last = docs[docs.length - 1].seq;
      range = direction === -1 ? { $lt: last } : { $gt: last };
      // Fewer than asked for this round: the range is exhausted (comparing with `limit` would stop a page short
      // whenever an earlier round skipped hidden messages).
      if (docs.length < wanted) break;
    }
    return result;
  }
}
