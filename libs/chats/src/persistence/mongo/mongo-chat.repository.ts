import { LastMessagePreview } from '@chat/contracts';
import { Model } from 'mongoose';
import { Chat, ChatMember, MemberRole } from '../../domain/chat';
import { AppliedMessage, ChatListCursor, ChatListPage, ChatRepository, ChatState, MemberListing } from '../chat.repository';
import { ChatDocument, ChatMemberDocument } from './chat.schemas';

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
});

const toMember = (doc: ChatMemberDocument): ChatMember => ({
  chatId: doc.chatId,
  userId: doc.userId,
  role: doc.role,
  joinedAt: new Date(doc.joinedAt),
  lastDeliveredSeq: doc.lastDeliveredSeq,
  lastDeliveredAt: doc.lastDeliveredAt ? new Date(doc.lastDeliveredAt) : null,
  lastReadSeq: doc.lastReadSeq,
  lastReadAt: doc.lastReadAt ? new Date(doc.lastReadAt) : null,
  unreadCount: doc.unreadCount,
  hidden: doc.hidden,
  muted: doc.muted,
});

const memberId = (chatId: string, userId: string) => `${chatId}:${userId}`;
const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === 11000;

const toDocument = (chat: Chat) => ({
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
  appliedFloor: 0,
});

const toMemberDocument = (member: ChatMember, activityAt: Date, appliedSeq: number) => ({
  _id: memberId(member.chatId, member.userId),
  chatId: member.chatId,
  userId: member.userId,
  role: member.role,
  joinedAt: member.joinedAt,
  lastDeliveredSeq: member.lastDeliveredSeq,
  lastDeliveredAt: member.lastDeliveredAt,
  lastReadSeq: member.lastReadSeq,
  lastReadAt: member.lastReadAt,
  unreadCount: member.unreadCount,
  hidden: member.hidden,
  muted: member.muted,
  activityAt,
  appliedSeq,
});

/**
 * The same queries as the SQLite adapter, on the mirrored indexes. Without multi-document transactions,
 * writes are ordered so a crash midway leaves something a retry completes (members before the chat's guard).
 */
export class MongoChatRepository extends ChatRepository {
  constructor(
    private readonly chats: Model<ChatDocument>,
    private readonly members: Model<ChatMemberDocument>,
  ) {
    super();
  }

  /** Which message seqs were applied, one document per (chat, seq); mirrors SQLite's chat_applied_messages. */
  private get applied() {
    return this.chats.db.collection<{ _id: string; chatId: string; seq: number }>('chat_applied_messages');
  }

  async createDirectIfAbsent(chat: Chat, members: ChatMember[]): Promise<{ chat: Chat; created: boolean }> {
    // Members first (idempotent by _id), then the chat keyed by the unique pairKey: the loser of a race
    // inserted only member rows of a chat id that never exists, which nothing reads.
    let created = true;
    try {
      await this.chats.create(toDocument(chat));
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      created = false;
    }
    if (created) await this.upsertMembers(members, chat.lastActivityAt, 0);
    // Point lookup on the unique pairKey index.
    const stored = await this.chats.findOne({ pairKey: chat.pairKey }).lean<ChatDocument>().exec();
    return { chat: toChat(stored!), created };
  }

  async createGroup(chat: Chat, members: ChatMember[]): Promise<Chat> {
    await this.upsertMembers(members, chat.lastActivityAt, 0);
    await this.chats.create(toDocument(chat));
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
    const doc = await this.members.findById(memberId(chatId, userId)).lean<ChatMemberDocument>().exec();
    return doc ? toMember(doc) : null;
  }

  async listMembers(chatId: string): Promise<ChatMember[]> {
    // Range scan of { chatId, joinedAt, userId }.
    const docs = await this.members.find({ chatId }).sort({ joinedAt: 1, userId: 1 }).lean<ChatMemberDocument[]>().exec();
    return docs.map(toMember);
  }

  async listForUser(userId: string, after: ChatListCursor | null, limit: number): Promise<ChatListPage> {
    const filter: Record<string, unknown> = { userId, hidden: false };
    if (after) {
      const at = new Date(after.activityAt);
      filter.$or = [{ activityAt: { $lt: at } }, { activityAt: at, chatId: { $lt: after.chatId } }];
    }
    // Bounded range scan of { userId, hidden, activityAt: -1, chatId: -1 } from the cursor.
    const rows = await this.members.find(filter).sort({ activityAt: -1, chatId: -1 }).limit(limit + 1).lean<ChatMemberDocument[]>().exec();
    const page = rows.slice(0, limit);
    const chatIds = page.map((r) => r.chatId);
    // _id lookups for the page's chats, and one range of { chatId, joinedAt, userId } per chat for their members.
    const [chats, memberDocs] = await Promise.all([
      this.chats.find({ _id: { $in: chatIds } }).lean<ChatDocument[]>().exec(),
      this.members.find({ chatId: { $in: chatIds } }, { chatId: 1, userId: 1, role: 1, joinedAt: 1 }).sort({ joinedAt: 1, userId: 1 }).lean<ChatMemberDocument[]>().exec(),
    ]);
    const chatById = new Map(chats.map((c) => [c._id, toChat(c)]));
    const membersByChat = new Map<string, MemberListing[]>(chatIds.map((id) => [id, []]));
    for (const doc of memberDocs) membersByChat.get(doc.chatId)?.push({ userId: doc.userId, role: doc.role, joinedAt: new Date(doc.joinedAt) });
    const entries = page
      .filter((r) => chatById.has(r.chatId))
      .map((r) => ({ chat: chatById.get(r.chatId)!, member: toMember(r), members: membersByChat.get(r.chatId)! }));
    const last = rows.length > limit ? rows[limit - 1] : null;
    return { entries, next: last ? { activityAt: new Date(last.activityAt).getTime(), chatId: last.chatId } : null };
  }

  async chatIdsOf(userId: string): Promise<string[]> {
    // Range scan of the userId prefix of { userId, hidden, activityAt, chatId } (covered).
    const docs = await this.members.find({ userId }, { chatId: 1, _id: 0 }).lean<{ chatId: string }[]>().exec();
    return docs.map((d) => d.chatId);
  }

  async contactsAmong(userId: string, candidateIds: string[]): Promise<string[]> {
    if (candidateIds.length === 0) return [];
    // The user's chats (range scan of the userId prefix of { userId, hidden, activityAt, chatId }), then the
    // candidates among their members (one range of { chatId, joinedAt, userId } per chat).
    const chatIds = await this.chatIdsOf(userId);
    if (chatIds.length === 0) return [];
    return this.members.distinct('userId', { chatId: { $in: chatIds }, userId: { $in: candidateIds } }).exec() as Promise<string[]>;
  }

  async updateDetails(chatId: string, changes: { title?: string; avatarUrl?: string | null }): Promise<void> {
    const set: Record<string, unknown> = {};
    if (changes.title !== undefined) set.title = changes.title;
    if (changes.avatarUrl !== undefined) set.avatarUrl = changes.avatarUrl;
    // Point update on _id.
    await this.chats.updateOne({ _id: chatId }, { $set: set }).exec();
  }

  async addMembers(chatId: string, members: ChatMember[]): Promise<string[]> {
    // Point lookup on _id.
    const chat = await this.chats.findById(chatId).lean<ChatDocument>().exec();
    if (!chat) return [];
    const added: string[] = [];
    for (const member of members) {
      const doc = toMemberDocument({ ...member, lastReadSeq: chat.lastSeq, lastDeliveredSeq: chat.lastSeq }, chat.lastActivityAt, chat.lastSeq);
      // Point upsert on _id (chatId:userId); an existing member is left as is.
      const result = await this.members.updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true }).exec();
      if (result.upsertedCount === 1) added.push(member.userId);
    }
    return added;
  }

  async removeMember(chatId: string, userId: string): Promise<boolean> {
    // Point writes on _id (chatId:userId), here and in the three setters below.
    const result = await this.members.deleteOne({ _id: memberId(chatId, userId) }).exec();
    return result.deletedCount === 1;
  }

  async setRole(chatId: string, userId: string, role: MemberRole): Promise<void> {
    await this.members.updateOne({ _id: memberId(chatId, userId) }, { $set: { role } }).exec();
  }

  async hide(chatId: string, userId: string, at: Date): Promise<void> {
    await this.members.updateOne({ _id: memberId(chatId, userId) }, { $set: { hidden: true, hiddenAt: at } }).exec();
  }

  async setMuted(chatId: string, userId: string, muted: boolean): Promise<void> {
    await this.members.updateOne({ _id: memberId(chatId, userId) }, { $set: { muted } }).exec();
  }

  async moveReadPointer(chatId: string, userId: string, seq: number, at: Date): Promise<ChatMember | null> {
    const chat = await this.chats.findById(chatId).lean<ChatDocument>().exec();
    if (!chat) return null;
    const id = memberId(chatId, userId);
    // As in SQLite: the pointer stops at lastSeq; a read beyond it is kept as a read-ahead (point update on _id)
    // that applyNewMessage honours for messages created before `at`.
    if (seq > chat.lastSeq) {
      await this.members
        .updateOne({ _id: id, $or: [{ readAheadSeq: { $lte: seq } }, { readAheadSeq: { $exists: false } }] }, { $set: { readAheadSeq: seq, readAheadAt: at } })
        .exec();
    }
    const target = Math.min(seq, chat.lastSeq);
    // Point update on _id, guarded so the pointer only moves forward (pipeline update mirrors SQLite's CASE).
    await this.members
      .updateOne({ _id: id, lastReadSeq: { $lt: target } }, [
        {
          $set: {
            unreadCount: target >= chat.lastSeq ? 0 : { $min: ['$unreadCount', chat.lastSeq - target] },
            lastReadSeq: target,
            lastReadAt: at,
            lastDeliveredAt: { $cond: [{ $lt: ['$lastDeliveredSeq', target] }, at, '$lastDeliveredAt'] },
            lastDeliveredSeq: { $max: ['$lastDeliveredSeq', target] },
          },
        },
      ])
      .exec();
    return this.findMember(chatId, userId);
  }

  async moveDeliveredPointer(chatId: string, userId: string, seq: number, at: Date): Promise<ChatMember | null> {
    const chat = await this.chats.findById(chatId).lean<ChatDocument>().exec();
    if (!chat) return null;
    // Stops at lastSeq like the read pointer (a read-ahead moves it further when the message is applied).
    const target = Math.min(seq, chat.lastSeq);
    // Point update on _id, guarded so the pointer only moves forward.
    await this.members.updateOne({ _id: memberId(chatId, userId), lastDeliveredSeq: { $lt: target } }, { $set: { lastDeliveredSeq: target, lastDeliveredAt: at } }).exec();
    return this.findMember(chatId, userId);
  }

  async applyNewMessage({ chatId, senderId, preview }: AppliedMessage): Promise<ChatState | null> {
    const at = new Date(preview.createdAt);
    const seq = preview.seq;
    // Point lookup on _id. Chats stored before per-seq tracking get their floor once: what they applied so far.
    let chat = await this.chats.findById(chatId).lean<ChatDocument>().exec();
    if (!chat) return null;
    if (chat.appliedFloor === undefined || chat.appliedFloor === null) {
      await this.chats.updateOne({ _id: chatId, appliedFloor: { $exists: false } }, [{ $set: { appliedFloor: '$lastSeq' } }]).exec();
      chat = (await this.chats.findById(chatId).lean<ChatDocument>().exec())!;
    }
    if (seq <= (chat.appliedFloor ?? 0)) return null;
    // Events may arrive out of order, so "applied" is remembered per seq (point insert on _id, unique).
    // Without a transaction the mark comes first: a crash right after it loses this message's counters rather
    // than counting it twice on redelivery.
    try {
      await this.applied.insertOne({ _id: `${chatId}:${seq}` as never, chatId, seq });
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
    // Point update on _id: an older message still counts, but neither the preview nor the activity goes back.
    await this.chats
      .updateOne({ _id: chatId }, [
        {
          $set: {
            lastMessage: { $cond: [{ $lt: ['$lastSeq', seq] }, { $literal: preview }, '$lastMessage'] },
            lastSeq: { $max: ['$lastSeq', seq] },
            lastActivityAt: { $max: ['$lastActivityAt', at] },
          },
        },
      ])
      .exec();
    const lastSeq = Math.max(chat.lastSeq, seq);
    // Range update over the chatId prefix of { chatId, joinedAt, userId }: the chat's other members get one
    // more unread unless their read pointer is already past it, or they read it ahead (after it was created).
    const resurfaces = seq >= lastSeq ? { $cond: [{ $lt: [{ $ifNull: ['$hiddenAt', null] }, at] }, false, '$hidden'] } : '$hidden';
    const readAhead = { $and: [{ $gte: [{ $ifNull: ['$readAheadSeq', 0] }, seq] }, { $gte: ['$readAheadAt', at] }] };
    const moves = (pointer: string) => ({ $and: [{ $lt: [pointer, seq] }, readAhead] });
    await this.members
      .updateMany({ chatId, userId: { $ne: senderId } }, [
        {
          $set: {
            activityAt: { $max: ['$activityAt', at] },
            // Only the newest message, created after the hide, resurfaces a hidden chat (as in SQLite).
            hidden: resurfaces,
            unreadCount: { $cond: [{ $or: [{ $gte: ['$lastReadSeq', seq] }, readAhead] }, '$unreadCount', { $add: ['$unreadCount', 1] }] },
            lastReadAt: { $cond: [moves('$lastReadSeq'), '$readAheadAt', '$lastReadAt'] },
            lastReadSeq: { $cond: [readAhead, { $max: ['$lastReadSeq', seq] }, '$lastReadSeq'] },
            lastDeliveredAt: { $cond: [moves('$lastDeliveredSeq'), '$readAheadAt', '$lastDeliveredAt'] },
            lastDeliveredSeq: { $cond: [readAhead, { $max: ['$lastDeliveredSeq', seq] }, '$lastDeliveredSeq'] },
          },
        },
      ])
      .exec();
    // Point update on _id: the sender has read up to it (the same rule as moving the read pointer).
    await this.members
      .updateOne({ _id: memberId(chatId, senderId) }, [
        {
          $set: {
            activityAt: { $max: ['$activityAt', at] },
            // Only the newest message, created after the hide, resurfaces a hidden chat (as in SQLite).
            hidden: resurfaces,
            unreadCount: {
              $cond: [{ $gte: ['$lastReadSeq', seq] }, '$unreadCount', seq >= lastSeq ? 0 : { $min: ['$unreadCount', lastSeq - seq] }],
            },
            lastReadAt: { $cond: [{ $lt: ['$lastReadSeq', seq] }, at, '$lastReadAt'] },
            lastReadSeq: { $max: ['$lastReadSeq', seq] },
            lastDeliveredAt: { $cond: [{ $lt: ['$lastDeliveredSeq', seq] }, at, '$lastDeliveredAt'] },
            lastDeliveredSeq: { $max: ['$lastDeliveredSeq', seq] },
          },
        },
      ])
      .exec();
    // No RETURNING for several documents here: the state is read back. ChatActivityService applies one chat's
    // events one at a time, so no other apply of this chat lands between the writes and this read.
    const [state, members] = await Promise.all([this.findById(chatId), this.listMembers(chatId)]);
    return state ? { chat: state, members } : null;
  }

  async refreshPreview(chatId: string, preview: LastMessagePreview): Promise<boolean> {
    // Point update on _id, only when the preview shows this message, is not already a tombstone, and (for an
    // edit) does not already show a later edit, as in SQLite.
    const filter: Record<string, unknown> = { _id: chatId, 'lastMessage.messageId': preview.messageId, 'lastMessage.deleted': false };
    if (!preview.deleted) filter.$or = [{ 'lastMessage.editedAt': { $in: [null] } }, { 'lastMessage.editedAt': { $lte: preview.editedAt ?? '' } }];
    const result = await this.chats.updateOne(filter, { $set: { lastMessage: preview } }).exec();
    return result.modifiedCount === 1;
  }

  private async upsertMembers(members: ChatMember[], activityAt: Date, appliedSeq: number): Promise<void> {
    if (members.length === 0) return;
    await this.members.bulkWrite(
      members.map((m) => {
        const doc = toMemberDocument(m, activityAt, appliedSeq);
        return { updateOne: { filter: { _id: doc._id }, update: { $setOnInsert: doc }, upsert: true } };
      }),
    );
  }
}
