import { GroupChange, LastMessagePreview } from '@chat/contracts';
import { MongoOutbox, inMongoTransaction } from '@chat/platform/mongo';
import type { ClientSession, Connection, Model } from 'mongoose';
import { isListed, mergeMessage, mergePointers, PointerReport } from '../../domain/chat-activity';
import { Block, blockChangedEvent, BlockRecord, nextBlock } from '../../domain/blocks';
import { Chat, ChatMember, MemberRole } from '../../domain/chat';
import { isLaterMentionState, MentionState } from '../../domain/mentions';
import { departure, detailChanges, GroupDetailsChange, roleChange, successorAdmin } from '../../domain/group-changes';
import { byActor, membersChangedEvent } from '../../domain/membership-events';
import { ChatListCursor, ChatListEntry, ChatListPage, ChatRepository, MemberListing } from '../chat.repository';
import { ChatDocument, ChatMemberDocument, MentionDocument, UserBlockDocument } from './chat.schemas';

/**
 * A member document as stored: those written before hiddenAt alone decided listing may still carry `hidden` and
 * `activityAt` (the chat's activity when last written), read as SQLite's version-4 step converted its rows.
 */
type StoredMember = ChatMemberDocument & { hidden?: boolean; activityAt?: Date };

const toChat = (doc: ChatDocument): Chat => ({
  id: doc._id,
  kind: doc.kind,
  pairKey: doc.pairKey ?? null,
  title: doc.title ?? null,
  avatarUrl: doc.avatarUrl ?? null,
  createdBy: doc.createdBy,
  createdAt: new Date(doc.createdAt),
  lastSeq: doc.lastSeq,
  lastActivityAt: new Date(doc.lastActivityAt),
  lastMessage: doc.lastMessage ?? null,
  membersVersion: doc.membersVersion ?? 1,
  historyVisible: doc.historyVisible === true,
});

function hiddenAtOf(doc: StoredMember): Date | null {
  const hiddenAt = doc.hidden === undefined ? doc.hiddenAt : doc.hidden ? (doc.hiddenAt ?? doc.activityAt ?? null) : null;
  return hiddenAt ? new Date(hiddenAt) : null;
}

const toMember = (doc: StoredMember): ChatMember => ({
  chatId: doc.chatId,
  userId: doc.userId,
  role: doc.role,
  joinedAt: new Date(doc.joinedAt),
  lastDeliveredSeq: doc.lastDeliveredSeq,
  lastDeliveredAt: doc.lastDeliveredAt ? new Date(doc.lastDeliveredAt) : null,
  lastReadSeq: doc.lastReadSeq,
  lastReadAt: doc.lastReadAt ? new Date(doc.lastReadAt) : null,
  hiddenAt: hiddenAtOf(doc),
  muted: doc.muted,
});

const memberId = (chatId: string, userId: string) => `${chatId}:${userId}`;
const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === 11000;

const toDocument = (chat: Chat): ChatDocument => ({
  _id: chat.id,
  kind: chat.kind,
  pairKey: chat.pairKey,
  title: chat.title,
  avatarUrl: chat.avatarUrl,
  createdBy: chat.createdBy,
  createdAt: chat.createdAt,
  lastSeq: chat.lastSeq,
  lastActivityAt: chat.lastActivityAt,
  lastMessage: chat.lastMessage,
  // A new chat's first membership is version 1.
  membersVersion: 1,
  historyVisible: chat.historyVisible,
});

// As SQLite's insert: the member's seqs, role and mute; times and hiddenAt start empty.
const toMemberDocument = (member: ChatMember): ChatMemberDocument => ({
  _id: memberId(member.chatId, member.userId),
  chatId: member.chatId,
  userId: member.userId,
  role: member.role,
  joinedAt: member.joinedAt,
  lastDeliveredSeq: member.lastDeliveredSeq,
  lastDeliveredAt: null,
  lastReadSeq: member.lastReadSeq,
  lastReadAt: null,
  hiddenAt: null,
  muted: member.muted,
});

/**
 * The same queries as the SQLite adapter, on the mirrored indexes. Writes that SQLite makes in one transaction run
 * in one multi-document transaction (a replica set, as MongoDB deployments have), with their outbox events.
 * Read-modify-writes (merging message events and pointers) are safe in them: a document written by another
 * transaction since this one's snapshot is a write conflict, and withTransaction retries with fresh reads.
 */
export class MongoChatRepository extends ChatRepository {
  readonly outbox: MongoOutbox;

  constructor(
    private readonly connection: Connection,
    private readonly chats: Model<ChatDocument>,
    private readonly members: Model<ChatMemberDocument>,
    private readonly blocks: Model<UserBlockDocument>,
    private readonly mentions: Model<MentionDocument>,
  ) {
    super();
    this.outbox = new MongoOutbox(connection, 'chats');
  }

  async createDirectIfAbsent(chat: Chat, members: ChatMember[]): Promise<{ chat: Chat; created: boolean }> {
    let created = true;
    try {
      await this.inTransaction((session) => this.insertChat(chat, members, session));
    } catch (error) {
      // The unique pairKey: the pair already has a chat (a racing insert is a write conflict first, retried into this).
      if (!isDuplicateKey(error)) throw error;
      created = false;
    }
    // Point lookup on the unique pairKey index.
    const stored = await this.chats.findOne({ pairKey: chat.pairKey }).lean<ChatDocument>().exec();
    return { chat: toChat(stored!), created };
  }

  async createGroup(chat: Chat, members: ChatMember[]): Promise<Chat> {
    await this.inTransaction((session) => this.insertChat(chat, members, session));
    return chat;
  }

  async findById(chatId: string): Promise<Chat | null> {
    // Point lookup on _id.
    const doc = await this.chats.findById(chatId).lean<ChatDocument>().exec();
    return doc ? toChat(doc) : null;
  }

  async findByPairKey(pairKey: string): Promise<Chat | null> {
    // Point lookup on the unique pairKey index.
    const doc = await this.chats.findOne({ pairKey }).lean<ChatDocument>().exec();
    return doc ? toChat(doc) : null;
  }

  async findMember(chatId: string, userId: string): Promise<ChatMember | null> {
    // Point lookup on _id (chatId:userId).
    const doc = await this.members.findById(memberId(chatId, userId)).lean<StoredMember>().exec();
    return doc ? toMember(doc) : null;
  }

  async listMembers(chatId: string): Promise<ChatMember[]> {
    // Range scan of { chatId, joinedAt, userId }.
    const docs = await this.members.find({ chatId }).sort({ joinedAt: 1, userId: 1 }).lean<StoredMember[]>().exec();
    return docs.map(toMember);
  }

  /**
   * As in SQLite, the order lives on the chat document alone (a message writes no member's document), so the list
   * reads all the user's memberships (a range of { userId, chatId }), then their chats by _id from the cursor, sorted
   * by activity. Only members with a hiddenAt can be left out (isListed), so the chats query asks for that many more
   * than a page and the page is cut after filtering.
   */
  async listForUser(userId: string, after: ChatListCursor | null, limit: number): Promise<ChatListPage> {
    const memberships = (await this.members.find({ userId }).lean<StoredMember[]>().exec()).map(toMember);
    if (memberships.length === 0) return { entries: [], next: null };
    const memberByChat = new Map(memberships.map((m) => [m.chatId, m]));
    const mayBeHidden = memberships.filter((m) => m.hiddenAt !== null).length;
    const filter: Record<string, unknown> = { _id: { $in: [...memberByChat.keys()] } };
    if (after) {
      const at = new Date(after.activityAt);
      filter.$or = [{ lastActivityAt: { $lt: at } }, { lastActivityAt: at, _id: { $lt: after.chatId } }];
    }
    const chatDocs = await this.chats
      .find(filter)
      .sort({ lastActivityAt: -1, _id: -1 })
      .limit(limit + 1 + mayBeHidden)
      .lean<ChatDocument[]>()
      .exec();
    const listed = chatDocs.map(toChat).filter((chat) => isListed(chat, memberByChat.get(chat.id)!));
    const page = listed.slice(0, limit);
    // One range of { chatId, joinedAt, userId } per chat of the page.
    const listingDocs = await this.members
      .find({ chatId: { $in: page.map((c) => c.id) } }, { chatId: 1, userId: 1, role: 1, joinedAt: 1 })
      .sort({ joinedAt: 1, userId: 1 })
      .lean<Pick<ChatMemberDocument, 'chatId' | 'userId' | 'role' | 'joinedAt'>[]>()
      .exec();
    const listings = new Map<string, MemberListing[]>(page.map((c) => [c.id, []]));
    for (const doc of listingDocs) listings.get(doc.chatId)?.push({ userId: doc.userId, role: doc.role, joinedAt: new Date(doc.joinedAt) });
    const entries: ChatListEntry[] = page.map((chat) => ({ chat, member: memberByChat.get(chat.id)!, members: listings.get(chat.id)! }));
    const last = listed.length > limit ? entries[limit - 1].chat : null;
    return { entries, next: last ? { activityAt: last.lastActivityAt.getTime(), chatId: last.id } : null };
  }

  async chatIdsOf(userId: string): Promise<string[]> {
    // Range scan of the userId prefix of { userId, chatId } (covered).
    const docs = await this.members.find({ userId }, { chatId: 1, _id: 0 }).lean<{ chatId: string }[]>().exec();
    return docs.map((d) => d.chatId);
  }

  async contactsAmong(userId: string, candidateIds: string[]): Promise<string[]> {
    if (candidateIds.length === 0) return [];
    // The user's chats (range scan of { userId, chatId }), then the candidates among their members (one range of
    // { chatId, joinedAt, userId } per chat).
    const chatIds = await this.chatIdsOf(userId);
    if (chatIds.length === 0) return [];
    return this.members.distinct('userId', { chatId: { $in: chatIds }, userId: { $in: candidateIds } }).exec() as Promise<string[]>;
  }

  async updateDetails(chatId: string, asked: GroupDetailsChange, actorId: string): Promise<number> {
    return this.inTransaction(async (session) => {
      // Point lookup on _id.
      const doc = await this.chats.findById(chatId).session(session).lean<ChatDocument>().exec();
      if (!doc) return 0;
      const changes = detailChanges(toChat(doc), asked);
      if (changes.length === 0) return 0;
      const set: Record<string, unknown> = {};
      if (asked.title !== undefined) set.title = asked.title;
      if (asked.avatarUrl !== undefined) set.avatarUrl = asked.avatarUrl;
      if (asked.historyVisible !== undefined) set.historyVisible = asked.historyVisible;
      // Point update on _id, returning the chat as changed (its setting goes into the events).
      const updated = await this.chats.findOneAndUpdate({ _id: chatId }, { $set: set }, { new: true, session }).lean<ChatDocument>().exec();
      for (const change of changes) await this.recordChange(toChat(updated!), [], [], change, actorId, session);
      return changes.length;
    });
  }

  async addMembers(chatId: string, members: ChatMember[], actorId: string): Promise<string[]> {
    return this.inTransaction(async (session) => {
      // Point lookup on _id.
      const chat = await this.chats.findById(chatId).session(session).lean<ChatDocument>().exec();
      if (!chat) return [];
      const added: string[] = [];
      for (const member of members) {
        // New members start with everything before them read: they are not owed an unread count for history.
        const doc = toMemberDocument({ ...member, lastReadSeq: chat.lastSeq, lastDeliveredSeq: chat.lastSeq });
        // Point upsert on _id (chatId:userId); an existing member is left as is.
        const result = await this.members.updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true, session }).exec();
        if (result.upsertedCount === 1) added.push(member.userId);
      }
      if (added.length) await this.recordChange(toChat(chat), added, [], { type: 'members-added', userIds: added }, actorId, session);
      return added;
    });
  }

  async removeMember(chatId: string, userId: string, actorId: string): Promise<boolean> {
    return this.inTransaction(async (session) => {
      // Point lookup on _id.
      const doc = await this.chats.findById(chatId).session(session).lean<ChatDocument>().exec();
      if (!doc) return false;
      // Point delete on _id (chatId:userId).
      const result = await this.members.deleteOne({ _id: memberId(chatId, userId) }, { session }).exec();
      if (result.deletedCount !== 1) return false;
      const chat = toChat(doc);
      await this.recordChange(chat, [], [userId], departure(userId, actorId), actorId, session);
      // Range scan of { chatId, joinedAt, userId }, as the transaction sees it (without the one who went).
      const rest = chat.kind === 'group' ? await this.members.find({ chatId }, { userId: 1, role: 1 }).sort({ joinedAt: 1, userId: 1 }).session(session).lean<Pick<ChatMemberDocument, 'userId' | 'role'>[]>().exec() : [];
      const successor = successorAdmin(rest);
      if (successor) {
        // Point update on _id (chatId:userId).
        await this.members.updateOne({ _id: memberId(chatId, successor) }, { $set: { role: 'admin' } }, { session }).exec();
        await this.recordChange(chat, [], [], { type: 'admin-made', userId: successor }, null, session);
      }
      return true;
    });
  }

  async setRole(chatId: string, userId: string, admin: boolean, actorId: string): Promise<boolean> {
    return this.inTransaction(async (session) => {
      // Point lookups on _id.
      const doc = await this.chats.findById(chatId).session(session).lean<ChatDocument>().exec();
      const member = await this.members.findById(memberId(chatId, userId)).session(session).lean<StoredMember>().exec();
      const change = member ? roleChange(toMember(member), admin) : null;
      if (!doc || !change) return false;
      // Point update on _id (chatId:userId).
      await this.members.updateOne({ _id: memberId(chatId, userId) }, { $set: { role: admin ? 'admin' : 'member' } }, { session }).exec();
      await this.recordChange(toChat(doc), [], [], change, actorId, session);
      return true;
    });
  }

  // Point writes on _id (chatId:userId), here and in the setter below.

  async hide(chatId: string, userId: string, at: Date): Promise<void> {
    // Drops a stored `hidden` too (not in the schema, hence strict: false), so hiddenAt alone decides from now on.
    await this.members.updateOne({ _id: memberId(chatId, userId) }, { $set: { hiddenAt: at }, $unset: { hidden: 1, activityAt: 1 } }, { strict: false }).exec();
  }

  async setMuted(chatId: string, userId: string, muted: boolean): Promise<void> {
    await this.members.updateOne({ _id: memberId(chatId, userId) }, { $set: { muted } }).exec();
  }

  async applyMessage(chatId: string, senderId: string, preview: LastMessagePreview, alsoRead: string[] = [], mentions: MentionState | null = null): Promise<boolean> {
    // One transaction: the chat document and the sender's.
    return this.inTransaction(async (session) => {
      // Point lookup on _id.
      const doc = await this.chats.findById(chatId).session(session).lean<ChatDocument>().exec();
      if (!doc) return false;
      const merged = mergeMessage(toChat(doc), preview);
      // Point update on _id with the values mergeMessage decided.
      if (merged) await this.chats.updateOne({ _id: chatId }, { $set: merged }, { session }).exec();
      const at = new Date(preview.createdAt);
      const read = { lastReadSeq: preview.seq, lastReadAt: at, lastDeliveredSeq: preview.seq, lastDeliveredAt: at };
      for (const userId of new Set([senderId, ...alsoRead])) await this.mergePointersIn(chatId, userId, read, session);
      if (mentions) await this.applyMentionsIn(chatId, mentions, session);
      return true;
    });
  }

  private async applyMentionsIn(chatId: string, { seq, state, userIds }: MentionState, session: ClientSession): Promise<void> {
    const _id = `${chatId}:${seq}`;
    // Point lookup on _id; a concurrent writer of the same message is a write conflict, retried with fresh reads.
    const held = await this.mentions.findById(_id).session(session).lean<MentionDocument>().exec();
    if (!isLaterMentionState(held?.state ?? null, state)) return;
    // Point upsert on _id: the message's mentions as of this state.
    await this.mentions.updateOne({ _id }, { $set: { chatId, seq, state, userIds } }, { upsert: true, session }).exec();
  }

  async mentionSeqsOf(userId: string, chatIds: string[]): Promise<Map<string, number[]>> {
    const byChat = new Map<string, number[]>();
    if (chatIds.length === 0) return byChat;
    // One range of the { userIds, chatId, seq } index per chat.
    const docs = await this.mentions.find({ userIds: userId, chatId: { $in: chatIds } }, { chatId: 1, seq: 1 }).lean<Pick<MentionDocument, 'chatId' | 'seq'>[]>().exec();
    for (const doc of docs) byChat.set(doc.chatId, [...(byChat.get(doc.chatId) ?? []), doc.seq]);
    return byChat;
  }

  async mergePointers(chatId: string, userId: string, report: PointerReport): Promise<void> {
    await this.inTransaction((session) => this.mergePointersIn(chatId, userId, report, session));
  }

  private async mergePointersIn(chatId: string, userId: string, report: PointerReport, session: ClientSession): Promise<void> {
    const _id = memberId(chatId, userId);
    // Point lookup on _id (chatId:userId).
    const doc = await this.members.findById(_id).session(session).lean<StoredMember>().exec();
    const merged = doc ? mergePointers(toMember(doc), report) : null;
    // Point update on _id with the values mergePointers decided.
    if (merged) await this.members.updateOne({ _id }, { $set: merged }, { session }).exec();
    // A range of the { userIds, chatId, seq } index: the reader leaves the mentions their read pointer passed.
    if (doc && merged && merged.lastReadSeq > doc.lastReadSeq) {
      await this.mentions.updateMany({ userIds: userId, chatId, seq: { $lte: merged.lastReadSeq } }, { $pull: { userIds: userId } }, { session }).exec();
    }
  }

  private async insertChat(chat: Chat, members: ChatMember[], session: ClientSession): Promise<void> {
    await this.chats.create([toDocument(chat)], { session });
    // Point upserts on _id, as SQLite's ON CONFLICT DO NOTHING: a member listed twice is one document.
    if (members.length) {
      await this.members.bulkWrite(
        members.map(toMemberDocument).map((doc) => ({ updateOne: { filter: { _id: doc._id }, update: { $setOnInsert: doc }, upsert: true } })),
        { session },
      );
    }
    const memberIds = members.map((m) => m.userId);
    const created = chat.kind === 'group' ? byActor({ type: 'created', title: chat.title ?? '' }, chat.createdBy) : null;
    await this.outbox.record([membersChangedEvent(chat, 1, memberIds, memberIds, [], created)], session);
  }

  /** Inside the change's transaction: the next version and its event. */
  private async recordChange(chat: Chat, added: string[], removed: string[], change: GroupChange, actorId: string | null, session: ClientSession): Promise<void> {
    // Point update on _id; chats stored before versions count as version 1 (SQLite's column default).
    const bumped = await this.chats
      .findOneAndUpdate({ _id: chat.id }, [{ $set: { membersVersion: { $add: [{ $ifNull: ['$membersVersion', 1] }, 1] } } }], { new: true, session, projection: { membersVersion: 1 } })
      .lean<Pick<ChatDocument, 'membersVersion'>>()
      .exec();
    // Range scan of { chatId, joinedAt, userId }, as the transaction sees it (with this change).
    const memberIds = (await this.members.find({ chatId: chat.id }, { userId: 1 }).sort({ joinedAt: 1, userId: 1 }).session(session).lean<{ userId: string }[]>().exec()).map((m) => m.userId);
    await this.outbox.record([membersChangedEvent(chat, bumped!.membersVersion, memberIds, added, removed, byActor(change, actorId))], session);
  }

  private inTransaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    return inMongoTransaction(this.connection, work);
  }

  async contactsOf(userId: string, limit: number): Promise<string[]> {
    // The user's chats (range scan of { userId, chatId }), then their members (one range per chat).
    const chatIds = await this.chatIdsOf(userId);
    if (chatIds.length === 0) return [];
    const ids = (await this.members.distinct('userId', { chatId: { $in: chatIds }, userId: { $ne: userId } }).exec()) as string[];
    return ids.slice(0, limit);
  }

  async setBlock(blockerId: string, blockedId: string, blocked: boolean): Promise<BlockRecord | null> {
    return this.inTransaction(async (session) => {
      const _id = `${blockerId}:${blockedId}`;
      // Point lookup and upsert on _id; a concurrent change of the pair is a write conflict, retried.
      const doc = await this.blocks.findById(_id).session(session).lean<UserBlockDocument>().exec();
      const next = nextBlock(doc ? { blockerId, blockedId, blocked: doc.blocked, version: doc.version } : null, blockerId, blockedId, blocked);
      if (!next) return null;
      await this.blocks.updateOne({ _id }, { $set: { blockerId, blockedId, blocked, version: next.version, changedAt: new Date() } }, { upsert: true, session }).exec();
      await this.outbox.record([blockChangedEvent(next)], session);
      return next;
    });
  }

  async blocksAmong(userId: string, otherIds: string[]): Promise<Block[]> {
    if (otherIds.length === 0) return [];
    // Ranges of { blockerId, changedAt } and { blockedId, blockerId }.
    const docs = await this.blocks
      .find({ blocked: true, $or: [{ blockerId: userId, blockedId: { $in: otherIds } }, { blockedId: userId, blockerId: { $in: otherIds } }] }, { blockerId: 1, blockedId: 1 })
      .lean<Block[]>()
      .exec();
    return docs.map(({ blockerId, blockedId }) => ({ blockerId, blockedId }));
  }

  async blockedBy(userId: string): Promise<string[]> {
    const docs = await this.blocks.find({ blockerId: userId, blocked: true }, { blockedId: 1 }).sort({ changedAt: -1 }).lean<{ blockedId: string }[]>().exec();
    return docs.map((d) => d.blockedId);
  }
}
