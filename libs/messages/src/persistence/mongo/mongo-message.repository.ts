import { OutboxEvent } from '@chat/platform';
import { MongoOutbox, inMongoTransaction } from '@chat/platform/mongo';
import type { ClientSession, Connection, Model } from 'mongoose';
import { Message, MessageDraft } from '../../domain/message';
import { BlockState, isNewerBlock } from '../../domain/blocks';
import { Pin } from '../../domain/pins';
import { ChatMembership, MemberPointers, movePointers, PointerMove, readersMoved } from '../../domain/read-pointers';
import { Reaction } from '../../domain/reactions';
import { visibilityFloor } from '../../domain/visibility';
import {
  AnnounceChange, AnnounceMessage, AnnouncePointers, MembershipChange, MessageRepository, ReactionChange, ReactionOutcome, SystemMessageWrite, Viewer, FoundMessages, MessageSearch,
} from '../message.repository';
import {
  ChatSeqDocument, MessageChatMemberDocument, MessageChatMembershipDocument, MessageDocument, MessageHideDocument, MessagePinDocument, MessageReactionDocument, MessageUserBlockDocument,
} from './message.schemas';
import { matchRanges } from '../../search/search-terms';

const toMessage = (doc: MessageDocument): Message => ({
  id: doc._id,
  chatId: doc.chatId,
  seq: doc.seq,
  senderId: doc.senderId,
  clientMessageId: doc.clientMessageId,
  text: doc.text ?? null,
  image: doc.image ?? null,
  file: doc.file ?? null,
  replyToId: doc.replyToId ?? null,
  createdAt: new Date(doc.createdAt),
  editedAt: doc.editedAt ? new Date(doc.editedAt) : null,
  deletedAt: doc.deletedAt ? new Date(doc.deletedAt) : null,
  changeSeq: doc.changeSeq ?? null,
  system: doc.system ?? null,
  forwarded: doc.forwarded === true,
});

const toPin = (doc: MessagePinDocument): Pin => ({ chatId: doc.chatId, messageId: doc.messageId, seq: doc.seq, pinnedBy: doc.pinnedBy, pinnedAt: new Date(doc.pinnedAt) });
const toBlock = (doc: MessageUserBlockDocument): BlockState => ({ blockerId: doc.blockerId, blockedId: doc.blockedId, blocked: doc.blocked, version: doc.version });
const pinId = (chatId: string, messageId: string) => `${chatId}:${messageId}`;
const blockId = (blockerId: string, blockedId: string) => `${blockerId}:${blockedId}`;

const toPointers = (doc: MessageChatMemberDocument): MemberPointers => ({
  userId: doc.userId,
  lastReadSeq: doc.lastReadSeq,
  lastReadAt: doc.lastReadAt ? new Date(doc.lastReadAt) : null,
  lastDeliveredSeq: doc.lastDeliveredSeq,
  lastDeliveredAt: doc.lastDeliveredAt ? new Date(doc.lastDeliveredAt) : null,
  // Members stored before floors existed see everything, as SQLite's column default says.
  visibleFromSeq: doc.visibleFromSeq ?? 0,
});

const toReaction = (doc: MessageReactionDocument): Reaction => ({ seq: doc.seq, emoji: doc.emoji, userId: doc.userId, createdAt: new Date(doc.createdAt) });
const reactionId = (chatId: string, seq: number, userId: string, emoji: string) => `${chatId}:${seq}:${userId}:${emoji}`;

const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === 11000;
const hideId = (userId: string, chatId: string, seq: number) => `${userId}:${chatId}:${seq}`;

/** The lowest seq a member may see in a chat (SQLite's visibleFromSeq, see domain/visibility.ts): search reads it here. */
const visibleFromSeq = (member: MessageChatMemberDocument) => member.visibleFromSeq ?? 0;

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
    private readonly reactions: Model<MessageReactionDocument>,
    private readonly pins: Model<MessagePinDocument>,
    private readonly blocks: Model<MessageUserBlockDocument>,
  ) {
    super();
    this.outbox = new MongoOutbox(connection, 'messages');
  }

  async insertNext(draft: MessageDraft, announce: AnnounceMessage): Promise<{ message: Message; created: boolean }> {
    const existing = await this.findByClientId(draft.chatId, draft.senderId, draft.clientMessageId);
    if (existing) return { message: existing, created: false };
    try {
      const message = await this.inTransaction((session) => this.insertIn(draft, announce, session));
      return { message, created: true };
    } catch (error) {
      // A concurrent retry won the unique (chatId, senderId, clientMessageId): ours rolled back, counter included.
      if (!isDuplicateKey(error)) throw error;
      const winner = await this.findByClientId(draft.chatId, draft.senderId, draft.clientMessageId);
      if (!winner) throw error;
      return { message: winner, created: false };
    }
  }

  /** The insert of insertNext, inside the caller's transaction. */
  private async insertIn(draft: MessageDraft, announce: AnnounceMessage, session: ClientSession): Promise<Message> {
    // Point update on _id: the counter document serializes writers of one chat.
    const counter = await this.seqs.findOneAndUpdate({ _id: draft.chatId }, { $inc: { lastSeq: 1 } }, { upsert: true, new: true, session }).lean<ChatSeqDocument>().exec();
    const seq = counter!.lastSeq;
    const [doc] = await this.messages.create([{ _id: draft.id, ...draft, seq, editedAt: null, deletedAt: null }], { session });
    const stored = toMessage(doc.toObject() as MessageDocument);
    const members = await this.loadMembers(draft.chatId, session);
    for (const [i, moved] of readersMoved(members, stored)) {
      await this.storePointers(draft.chatId, moved, session);
      members[i] = moved;
    }
    await this.outbox.record(announce(stored, members), session);
    return stored;
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

  async pageBefore(chatId: string, viewer: Viewer, beforeSeq: number | null, limit: number): Promise<Message[]> {
    return this.page(chatId, viewer, beforeSeq === null ? {} : { $lt: beforeSeq }, -1, limit);
  }

  async pageAfter(chatId: string, viewer: Viewer, afterSeq: number, limit: number): Promise<Message[]> {
    return this.page(chatId, viewer, { $gt: afterSeq }, 1, limit);
  }

  async updateText(id: string, text: string | null, editedAt: Date, announce: AnnounceChange): Promise<Message | null> {
    return this.change(id, { text, editedAt }, announce);
  }

  async tombstone(id: string, deletedAt: Date, announce: AnnounceChange): Promise<Message | null> {
    return this.change(id, { text: null, image: null, file: null, deletedAt }, announce);
  }

  /**
   * Like change(): the message's document is read and written in the transaction, so a concurrent delete or a
   * concurrent reaction of another member is a write conflict and withTransaction retries with fresh reads (the
   * limit on emojis in use cannot be passed by two members at once).
   */
  async setReaction(messageId: string, change: ReactionChange, allow: (emojisInUse: string[]) => boolean, announce: AnnounceChange): Promise<ReactionOutcome> {
    return this.inTransaction(async (session): Promise<ReactionOutcome> => {
      // Point lookup on _id.
      const doc = await this.messages.findById(messageId).session(session).lean<MessageDocument>().exec();
      if (!doc || doc.deletedAt) return { kind: 'gone' };
      const current = await this.reactionsOfMessage(doc.chatId, doc.seq, session);
      const mine = current.some((r) => r.userId === change.userId && r.emoji === change.emoji);
      if (mine === change.on) return { kind: 'unchanged', message: toMessage(doc), reactions: current };
      const _id = reactionId(doc.chatId, doc.seq, change.userId, change.emoji);
      if (change.on) {
        if (!allow([...new Set(current.map((r) => r.emoji))])) return { kind: 'refused' };
        await this.reactions.create([{ _id, chatId: doc.chatId, seq: doc.seq, emoji: change.emoji, userId: change.userId, createdAt: change.at }], { session });
      } else {
        // Point delete on _id.
        await this.reactions.deleteOne({ _id }, { session }).exec();
      }
      // Point update on _id of the counter document, then of the message: numbered like an edit.
      const counter = await this.seqs.findOneAndUpdate({ _id: doc.chatId }, { $inc: { lastChangeSeq: 1 } }, { upsert: true, new: true, session }).lean<ChatSeqDocument>().exec();
      const updated = await this.messages
        .findOneAndUpdate({ _id: messageId, deletedAt: null }, { $set: { changeSeq: counter!.lastChangeSeq } }, { new: true, session })
        .lean<MessageDocument>()
        .exec();
      if (!updated) return { kind: 'gone' };
      const message = toMessage(updated);
      const reactions = await this.reactionsOfMessage(doc.chatId, doc.seq, session);
      await this.outbox.record(announce(message, reactions), session);
      return { kind: 'changed', message, reactions };
    });
  }

  async reactionsOf(chatId: string, seqs: number[]): Promise<Reaction[]> {
    if (seqs.length === 0) return [];
    // One range of { chatId, seq } per seq.
    const docs = await this.reactions.find({ chatId, seq: { $in: seqs } }).lean<MessageReactionDocument[]>().exec();
    return docs.map(toReaction);
  }

  /** Range scan of { chatId, seq }: one message's reactions. */
  private async reactionsOfMessage(chatId: string, seq: number, session: ClientSession): Promise<Reaction[]> {
    const docs = await this.reactions.find({ chatId, seq }).session(session).lean<MessageReactionDocument[]>().exec();
    return docs.map(toReaction);
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
  async changedAfter(chatId: string, viewer: Viewer, afterChangeSeq: number, limit: number): Promise<Message[]> {
    const viewerId = viewer.userId;
    const session = await this.connection.startSession({ snapshot: true });
    try {
      const result: Message[] = [];
      let after = afterChangeSeq;
      while (result.length < limit) {
        const wanted = limit - result.length;
        // The floor is a filter on the scanned entries (as SQLite's `seq >= @from`): changed messages before it are skipped.
        const docs = await this.messages
          .find({ chatId, changeSeq: { $gt: after } }, { seq: 1, changeSeq: 1 })
          .sort({ changeSeq: 1 })
          .limit(wanted)
          .session(session)
          .lean<Pick<MessageDocument, 'seq' | 'changeSeq'>[]>()
          .exec();
        if (docs.length === 0) break;
        // One _id lookup per message read: changed messages are scattered over the chat's seqs.
        const hideIds = docs.map((d) => hideId(viewerId, chatId, d.seq));
        const hidden = new Set((await this.hides.find({ _id: { $in: hideIds } }, { seq: 1 }).lean<{ seq: number }[]>().exec()).map((h) => h.seq));
        const kept = docs.filter((d) => d.seq >= viewer.visibleFromSeq && !hidden.has(d.seq)).map((d) => d.changeSeq!);
        if (kept.length) {
          // One _id-less lookup on the unique { chatId, changeSeq } index per kept message, in change order.
          const full = await this.messages.find({ chatId, changeSeq: { $in: kept } }).sort({ changeSeq: 1 }).session(session).lean<MessageDocument[]>().exec();
          result.push(...full.map(toMessage));
        }
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

  async findMember(chatId: string, userId: string): Promise<MemberPointers | null> {
    // Point lookup on the unique { chatId, userId } index.
    const doc = await this.members.findOne({ chatId, userId }).lean<MessageChatMemberDocument>().exec();
    return doc ? toPointers(doc) : null;
  }

  async findMembership(chatId: string): Promise<ChatMembership | null> {
    return this.membershipIn(chatId);
  }

  async applyMembership(change: MembershipChange, system?: SystemMessageWrite): Promise<{ applied: boolean; message: Message | null }> {
    try {
      return await this.inTransaction(async (session) => {
        const applied = await this.applyMembershipIn(change, session);
        if (!system) return { applied, message: null };
        const { draft, announce } = system;
        // Point lookup on the unique { chatId, senderId, clientMessageId } index: the change's line is stored once.
        const existing = await this.messages.findOne({ chatId: draft.chatId, senderId: draft.senderId, clientMessageId: draft.clientMessageId }).session(session).lean().exec();
        return { applied, message: existing ? null : await this.insertIn(draft, announce, session) };
      });
    } catch (error) {
      // The same change's line stored by a concurrent delivery: that one committed, ours rolled back; apply again without it.
      if (!isDuplicateKey(error)) throw error;
      return this.applyMembership(change);
    }
  }

  private async applyMembershipIn({ chatId, kind, version, memberIds, historyVisible }: MembershipChange, session: ClientSession): Promise<boolean> {
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
    // A new member starts at the chat's last seq: nothing sent before them is owed to them as unread. Their floor
    // is decided with it (visibilityFloor); a member already there keeps theirs.
    const seq = counter?.lastSeq ?? 0;
    const visibleFromSeq = visibilityFloor(historyVisible, seq);
    if (memberIds.length) {
      await this.members.bulkWrite(
        memberIds.map((userId) => ({
          updateOne: {
            filter: { chatId, userId },
            update: { $setOnInsert: { chatId, userId, lastReadSeq: seq, lastReadAt: null, lastDeliveredSeq: seq, lastDeliveredAt: null, visibleFromSeq } },
            upsert: true,
          },
        })),
        { session },
      );
    }
    return true;
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
  private async change(id: string, set: Partial<MessageDocument>, announce: AnnounceChange): Promise<Message | null> {
    return this.inTransaction(async (session) => {
      // Point lookup on _id.
      const before = await this.messages.findById(id, { chatId: 1, seq: 1, deletedAt: 1 }).session(session).lean<Pick<MessageDocument, 'chatId' | 'seq' | 'deletedAt'>>().exec();
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
      // Deleted for everyone: its reactions go with its text (one range of { chatId, seq }).
      if (set.deletedAt) await this.reactions.deleteMany({ chatId: doc.chatId, seq: doc.seq }, { session }).exec();
      await this.outbox.record(announce(message, set.deletedAt ? [] : await this.reactionsOfMessage(doc.chatId, doc.seq, session)), session);
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
  private async page(chatId: string, viewer: Viewer, seqRange: Record<string, number>, direction: 1 | -1, limit: number): Promise<Message[]> {
    const viewerId = viewer.userId;
    const result: Message[] = [];
    // The floor is one more bound of the same { chatId, seq } range.
    let range: Record<string, number> = { ...seqRange, $gte: viewer.visibleFromSeq };
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
      range = direction === -1 ? { $lt: last, $gte: viewer.visibleFromSeq } : { $gt: last, $gte: viewer.visibleFromSeq };
      // Fewer than asked for this round: the range is exhausted (comparing with `limit` would stop a page short
      // whenever an earlier round skipped hidden messages).
      if (docs.length < wanted) break;
    }
    return result;
  }

  async mediaKeyInUse(key: string, exceptId: string): Promise<boolean> {
    // Lookups on the { 'image.key' } and { 'file.key' } indexes.
    return (await this.messages.exists({ $or: [{ 'image.key': key }, { 'file.key': key }], _id: { $ne: exceptId }, deletedAt: null }).exec()) !== null;
  }

  async pin(pin: Pin, maxPins: number, announce: (pin: Pin) => OutboxEvent[]): Promise<'pinned' | 'exists' | 'full'> {
    return this.inTransaction(async (session) => {
      // Point lookup on _id, then a count of the chat's range of { chatId, pinnedAt }.
      if (await this.pins.exists({ _id: pinId(pin.chatId, pin.messageId) }).session(session).exec()) return 'exists' as const;
      if ((await this.pins.countDocuments({ chatId: pin.chatId }).session(session).exec()) >= maxPins) return 'full' as const;
      // A concurrent pin of the same message is a duplicate _id: the transaction aborts and withTransaction's retry sees it.
      await this.pins.create([{ _id: pinId(pin.chatId, pin.messageId), ...pin }], { session });
      await this.outbox.record(announce(pin), session);
      return 'pinned' as const;
    });
  }

  async unpin(chatId: string, messageId: string, announce: (pin: Pin) => OutboxEvent[]): Promise<boolean> {
    return this.inTransaction(async (session) => {
      // Point delete on _id, returning what was there.
      const doc = await this.pins.findOneAndDelete({ _id: pinId(chatId, messageId) }, { session }).lean<MessagePinDocument>().exec();
      if (!doc) return false;
      await this.outbox.record(announce(toPin(doc)), session);
      return true;
    });
  }

  async listPins(chatId: string): Promise<Pin[]> {
    const docs = await this.pins.find({ chatId }).sort({ pinnedAt: -1, seq: -1 }).lean<MessagePinDocument[]>().exec();
    return docs.map(toPin);
  }

  async applyBlock(block: BlockState): Promise<boolean> {
    return this.inTransaction(async (session) => {
      const _id = blockId(block.blockerId, block.blockedId);
      // Point lookup and upsert on _id.
      const held = await this.blocks.findById(_id).session(session).lean<MessageUserBlockDocument>().exec();
      if (!isNewerBlock(held ? toBlock(held) : null, block)) return false;
      await this.blocks.updateOne({ _id }, { $set: { ...block } }, { upsert: true, session }).exec();
      return true;
    });
  }

  async blocksBetween(a: string, b: string): Promise<BlockState[]> {
    // Two _id lookups.
    const docs = await this.blocks.find({ _id: { $in: [blockId(a, b), blockId(b, a)] } }).lean<MessageUserBlockDocument[]>().exec();
    return docs.map(toBlock);
  }

  async otherMember(chatId: string, userId: string): Promise<string | null> {
    // Range of the chatId prefix of { chatId, userId } (two members in a 1:1 chat).
    const doc = await this.members.findOne({ chatId, userId: { $ne: userId } }, { userId: 1 }).lean<Pick<MessageChatMemberDocument, 'userId'>>().exec();
    return doc?.userId ?? null;
  }
}
