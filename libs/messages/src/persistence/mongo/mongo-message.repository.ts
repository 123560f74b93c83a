import { MongoOutbox, OutboxEvent, inMongoTransaction } from '@chat/platform';
import type { ClientSession, Connection, Model } from 'mongoose';
import { Message, MessageDraft } from '../../domain/message';
import { ChatMembership, MemberPointers, movePointers, PointerMove } from '../../domain/read-pointers';
import { matchRanges } from '../../search/search-terms';
import { AnnounceMessage, AnnouncePointers, FoundMessages, MembershipChange, MessageRepository, MessageSearch } from '../message.repository';
import { ChatSeqDocument, MessageChatMemberDocument, MessageChatMembershipDocument, MessageDocument, MessageHideDocument } from './message.schemas';

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

const toPointers = (doc: MessageChatMemberDocument): MemberPointers => ({
  userId: doc.userId,
  lastReadSeq: doc.lastReadSeq,
  lastReadAt: doc.lastReadAt ? new Date(doc.lastReadAt) : null,
  lastDeliveredSeq: doc.lastDeliveredSeq,
  lastDeliveredAt: doc.lastDeliveredAt ? new Date(doc.lastDeliveredAt) : null,
});

const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === 11000;
const hideId = (userId: string, chatId: string, seq: number) => `${userId}:${chatId}:${seq}`;

/**
 * The lowest seq a member may see in a chat (see SQLite's visibleFromSeq): the one place search reads it; 0
 * (everything) until the membership projection records a per-member floor.
 */
const visibleFromSeq = (_member: MessageChatMemberDocument) => 0;

/** Matches read per round of a search (hidden and partial matches are dropped after reading). */
const SEARCH_CHUNK = 100;
/** Most relevant first ranks this many of the newest matches (SQLite's RELEVANCE_WINDOW). */
const RELEVANCE_WINDOW = 300;

/**
 * The same queries as the SQLite adapter on mirrored indexes. Writes need multi-document transactions (a replica
 * set, as MongoDB deployments have): the counter and the insert commit together, so an aborted send leaves no gap,
 * and every change commits with its outbox events or not at all. Read-modify-writes are safe in them: a document
 * written by another transaction since this one's snapshot is a write conflict, and withTransaction retries.
 */
export class MongoMessageRepository extends MessageRepository {
  readonly outbox: MongoOutbox;

  constructor(
    private readonly connection: Connection,
    private readonly messages: Model<MessageDocument>,
    private readonly seqs: Model<ChatSeqDocument>,
    private readonly hides: Model<MessageHideDocument>,
    private readonly memberships: Model<MessageChatMembershipDocument>,
    private readonly members: Model<MessageChatMemberDocument>,
  ) {
    super();
    this.outbox = new MongoOutbox(connection, 'messages');
  }

  async insertNext(draft: MessageDraft, announce: AnnounceMessage): Promise<{ message: Message; created: boolean }> {
    const existing = await this.findByClientId(draft.chatId, draft.senderId, draft.clientMessageId);
    if (existing) return { message: existing, created: false };
    try {
      const message = await this.inTransaction(async (session) => {
        // Point update on _id: the counter document serializes writers of one chat.
        const counter = await this.seqs.findOneAndUpdate({ _id: draft.chatId }, { $inc: { lastSeq: 1 } }, { upsert: true, new: true, session }).lean<ChatSeqDocument>().exec();
        const seq = counter!.lastSeq;
        const [doc] = await this.messages.create([{ _id: draft.id, ...draft, seq, editedAt: null, deletedAt: null }], { session });
        const stored = toMessage(doc.toObject() as MessageDocument);
        const members = await this.loadMembers(draft.chatId, session);
        const sender = members.findIndex((m) => m.userId === draft.senderId);
        const moved = sender >= 0 ? movePointers(members[sender], { read: true, seq, at: draft.createdAt }, seq) : null;
        if (moved) {
          await this.storePointers(draft.chatId, moved, session);
          members[sender] = moved;
        }
        await this.outbox.record(announce(stored, members), session);
        return stored;
      });
      return { message, created: true };
    } catch (error) {
      // A concurrent retry won the unique (chatId, senderId, clientMessageId): ours rolled back, counter included.
      if (!isDuplicateKey(error)) throw error;
      const winner = await this.findByClientId(draft.chatId, draft.senderId, draft.clientMessageId);
      if (!winner) throw error;
      return { message: winner, created: false };
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

  async updateText(id: string, text: string | null, editedAt: Date, announce: (message: Message) => OutboxEvent[]): Promise<Message | null> {
    return this.change(id, { text, editedAt }, announce);
  }

  async tombstone(id: string, deletedAt: Date, announce: (message: Message) => OutboxEvent[]): Promise<Message | null> {
    return this.change(id, { text: null, image: null, deletedAt }, announce);
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
   * $text finds messages with any of the terms (the text index folds case and diacritics like FTS5's unicode61),
   * newest first; those without every term and hidden ones are dropped as they are read, so a newest-first position
   * is an offset into the engine's order, not into the results. Most relevant first ranks the viewer's newest
   * RELEVANCE_WINDOW matches by text score, as SQLite ranks its newest matches by bm25.
   */
  async search({ viewerId, terms, chatId, order, after, limit }: MessageSearch): Promise<FoundMessages> {
    if (terms.length === 0) return { messages: [], next: null };
    // The viewer's chats now: one range of { userId, chatId } (or one point for a chat).
    const memberships = await this.members.find(chatId ? { chatId, userId: viewerId } : { userId: viewerId }).lean<MessageChatMemberDocument[]>().exec();
    if (memberships.length === 0) return { messages: [], next: null };
    const filter = {
      $text: { $search: terms.join(' ') },
      deletedAt: null,
      $or: memberships.map((m) => ({ chatId: m.chatId, seq: { $gte: visibleFromSeq(m) } })),
    };
    if (order === 'newest') {
      const { docs, next } = await this.visibleMatches(filter, viewerId, terms, after ?? 0, limit);
      return { messages: docs.map(toMessage), next };
    }
    const { docs } = await this.visibleMatches(filter, viewerId, terms, 0, RELEVANCE_WINDOW);
    const ranked = docs.sort((a, b) => b.score - a.score);
    const offset = after ?? 0;
    const next = offset + limit;
    return { messages: ranked.slice(offset, next).map(toMessage), next: ranked.length > next ? next : null };
  }

  /** Up to `wanted` matches the viewer may see, newest first from raw offset `from`, with where the next ones start. */
  private async visibleMatches(filter: object, viewerId: string, terms: string[], from: number, wanted: number) {
    const found: (MessageDocument & { score: number })[] = [];
    let position = from;
    for (;;) {
      const docs = await this.messages
        .find(filter, { score: { $meta: 'textScore' } })
        .sort({ createdAt: -1, _id: -1 })
        .skip(position)
        .limit(SEARCH_CHUNK)
        .lean<(MessageDocument & { score: number })[]>()
        .exec();
      // One _id lookup per match read.
      const hidden = new Set(
        (await this.hides.find({ _id: { $in: docs.map((d) => hideId(viewerId, d.chatId, d.seq)) } }, { _id: 1 }).lean<{ _id: string }[]>().exec()).map((h) => h._id),
      );
      for (const [i, doc] of docs.entries()) {
        if (hidden.has(hideId(viewerId, doc.chatId, doc.seq))) continue;
        if (!terms.every((term) => matchRanges(doc.text, [term]).length > 0)) continue;
        if (found.length === wanted) return { docs: found, next: position + i };
        found.push(doc);
      }
      position += docs.length;
      if (docs.length < SEARCH_CHUNK) return { docs: found, next: null };
    }
  }

  async memberKind(chatId: string, userId: string): Promise<ChatMembership['kind'] | null> {
    // Point lookups on the unique { chatId, userId } index and on _id.
    const member = await this.members.exists({ chatId, userId }).exec();
    if (!member) return null;
    const doc = await this.memberships.findById(chatId, { kind: 1 }).lean<Pick<MessageChatMembershipDocument, 'kind'>>().exec();
    return doc?.kind ?? null;
  }

  async findMembership(chatId: string): Promise<ChatMembership | null> {
    return this.membershipIn(chatId);
  }

  async applyMembership({ chatId, kind, version, memberIds }: MembershipChange): Promise<boolean> {
    return this.inTransaction(async (session) => {
      // Point update on _id of the counter document, first: it conflicts with any send of the chat until commit,
      // so the last seq read here is the one the new members start after (SQLite's write lock does the same).
      // A version already applied changes nothing ($max), takes nothing and is ignored just below.
      const counter = await this.seqs
        .findOneAndUpdate({ _id: chatId }, { $max: { membersVersion: version }, $setOnInsert: { lastSeq: 0 } }, { upsert: true, new: true, session })
        .lean<ChatSeqDocument>()
        .exec();
      // Point lookup on _id.
      const current = await this.memberships.findById(chatId, { version: 1 }).session(session).lean<Pick<MessageChatMembershipDocument, 'version'>>().exec();
      if (current && current.version >= version) return false;
      await this.memberships.updateOne({ _id: chatId }, { $set: { kind, version } }, { upsert: true, session }).exec();
      // Range delete over the chat's members: those not in the new list.
      await this.members.deleteMany({ chatId, userId: { $nin: memberIds } }, { session }).exec();
      // A new member starts at the chat's last seq: nothing sent before them is owed to them as unread.
      const seq = counter?.lastSeq ?? 0;
      if (memberIds.length) {
        await this.members.bulkWrite(
          memberIds.map((userId) => ({
            updateOne: {
              filter: { chatId, userId },
              update: { $setOnInsert: { chatId, userId, lastReadSeq: seq, lastReadAt: null, lastDeliveredSeq: seq, lastDeliveredAt: null } },
              upsert: true,
            },
          })),
          { session },
        );
      }
      return true;
    });
  }

  async movePointers(chatId: string, userId: string, move: PointerMove, announce: AnnouncePointers): Promise<MemberPointers | null> {
    return this.inTransaction(async (session) => {
      // Point lookup on the unique { chatId, userId } index.
      const doc = await this.members.findOne({ chatId, userId }).session(session).lean<MessageChatMemberDocument>().exec();
      if (!doc) return null;
      const current = toPointers(doc);
      // Point lookup on _id of the counter document.
      const counter = await this.seqs.findById(chatId, { lastSeq: 1 }).session(session).lean<Pick<ChatSeqDocument, 'lastSeq'>>().exec();
      const moved = movePointers(current, move, counter?.lastSeq ?? 0);
      if (!moved) return current;
      await this.storePointers(chatId, moved, session);
      await this.outbox.record(announce(moved, (await this.membershipIn(chatId, session))!), session);
      return moved;
    });
  }

  /**
   * An edit or delete takes the chat's next change number in the same transaction as the change and its events:
   * the counter document is a write conflict for any other writer of the chat until commit, so numbers commit in
   * order and a reader that sees number N has every change up to N. A message deleted by a transaction that
   * committed after this one's snapshot is a write conflict too: the retry reads it deleted and changes nothing.
   */
  private async change(id: string, set: Partial<MessageDocument>, announce: (message: Message) => OutboxEvent[]): Promise<Message | null> {
    return this.inTransaction(async (session) => {
      // Point lookup on _id.
      const before = await this.messages.findById(id, { chatId: 1, deletedAt: 1 }).session(session).lean<Pick<MessageDocument, 'chatId' | 'deletedAt'>>().exec();
      if (!before || before.deletedAt) return null; // a tombstone is never changed again
      // Point update on _id of the counter document (it exists: the message's insert made it).
      const counter = await this.seqs
        .findOneAndUpdate({ _id: before.chatId }, { $inc: { lastChangeSeq: 1 } }, { upsert: true, new: true, session })
        .lean<ChatSeqDocument>()
        .exec();
      // Point update on _id, returning the message as changed.
      const doc = await this.messages
        .findOneAndUpdate({ _id: id, deletedAt: null }, { $set: { ...set, changeSeq: counter!.lastChangeSeq } }, { new: true, session })
        .lean<MessageDocument>()
        .exec();
      if (!doc) return null;
      const message = toMessage(doc);
      await this.outbox.record(announce(message), session);
      return message;
    });
  }

  private async membershipIn(chatId: string, session?: ClientSession): Promise<ChatMembership | null> {
    // Point lookup on _id.
    const doc = await this.memberships.findById(chatId).session(session ?? null).lean<MessageChatMembershipDocument>().exec();
    if (!doc) return null;
    return { chatId, kind: doc.kind, version: doc.version, members: await this.loadMembers(chatId, session) };
  }

  /** Range scan of the chatId prefix of { chatId, userId }. */
  private async loadMembers(chatId: string, session?: ClientSession): Promise<MemberPointers[]> {
    const docs = await this.members.find({ chatId }).sort({ userId: 1 }).session(session ?? null).lean<MessageChatMemberDocument[]>().exec();
    return docs.map(toPointers);
  }

  /** Point update on the unique { chatId, userId } index; the values come from movePointers (forward only). */
  private async storePointers(chatId: string, pointers: MemberPointers, session: ClientSession): Promise<void> {
    const { userId, lastReadSeq, lastReadAt, lastDeliveredSeq, lastDeliveredAt } = pointers;
    await this.members.updateOne({ chatId, userId }, { $set: { lastReadSeq, lastReadAt, lastDeliveredSeq, lastDeliveredAt } }, { session }).exec();
  }

  private inTransaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    return inMongoTransaction(this.connection, work);
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
