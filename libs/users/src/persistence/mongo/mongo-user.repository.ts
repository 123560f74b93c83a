import { OutboxEvent } from '@chat/platform';
import { inMongoTransaction, MongoOutbox } from '@chat/platform/mongo';
import type { Connection, Model } from 'mongoose';
import { User } from '../../domain/user';
import { UserRepository, UserSearchCursor, UserSearchPage } from '../user.repository';
import { UserDocument } from './user.schema';

const toUser = (doc: UserDocument): User => ({
  id: doc._id,
  email: doc.email,
  displayName: doc.displayName,
  avatarUrl: doc.avatarUrl ?? null,
  createdAt: new Date(doc.createdAt),
});

const DUPLICATE_KEY = 11000;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class MongoUserRepository extends UserRepository {
  readonly outbox: MongoOutbox;

  constructor(
    private readonly connection: Connection,
    private readonly users: Model<UserDocument>,
  ) {
    super();
    this.outbox = new MongoOutbox(connection, 'users');
  }

  async insertIfEmailFree(user: User): Promise<{ user: User; created: boolean }> {
    try {
      return await this.upsertByEmail(user);
    } catch (error) {
      // Two concurrent upserts can both miss and race on the unique email index; the loser reads the winner.
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      const existing = await this.findByEmail(user.email);
      if (!existing) throw error;
      return { user: existing, created: false };
    }
  }

  private async upsertByEmail(user: User): Promise<{ user: User; created: boolean }> {
    // Upsert keyed by the unique email: concurrent first sign-ins create one user.
    const result = await this.users
      .findOneAndUpdate(
        { email: user.email },
        { $setOnInsert: { _id: user.id, displayName: user.displayName, nameKey: user.displayName.toLowerCase(), avatarUrl: user.avatarUrl, createdAt: user.createdAt } },
        { upsert: true, new: true, includeResultMetadata: true, lean: true },
      )
      .exec();
    const stored = result.value as unknown as UserDocument;
    return { user: toUser(stored), created: !result.lastErrorObject?.updatedExisting };
  }

  async findById(id: string): Promise<User | null> {
    const doc = await this.users.findById(id).lean<UserDocument>().exec();
    return doc ? toUser(doc) : null;
  }

  async findByIds(ids: string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const docs = await this.users.find({ _id: { $in: ids } }).lean<UserDocument[]>().exec();
    return docs.map(toUser);
  }

  async findByEmail(email: string): Promise<User | null> {
    const doc = await this.users.findOne({ email }).lean<UserDocument>().exec();
    return doc ? toUser(doc) : null;
  }

  async searchByNamePrefix(prefix: string, after: UserSearchCursor | null, limit: number, excludeId?: string): Promise<UserSearchPage> {
    const pattern = new RegExp(`^${escapeRegex(prefix.toLowerCase())}`);
    const filter: Record<string, unknown> = { nameKey: pattern };
    if (after) filter.$and = [{ $or: [{ nameKey: { $gt: after.name } }, { nameKey: after.name, _id: { $gt: after.id } }] }];
    if (excludeId) filter._id = { $ne: excludeId };
    const docs = await this.users.find(filter).sort({ nameKey: 1, _id: 1 }).limit(limit + 1).lean<UserDocument[]>().exec();
    const users = docs.slice(0, limit).map(toUser);
    const last = docs.length > limit ? docs[limit - 1] : null;
    return { users, next: last ? { name: last.nameKey, id: last._id } : null };
  }

  async updateProfile(id: string, changes: { displayName?: string; avatarUrl?: string | null }, announce: (user: User) => OutboxEvent[] = () => []): Promise<User | null> {
    const set: Record<string, unknown> = {};
    if (changes.displayName !== undefined) Object.assign(set, { displayName: changes.displayName, nameKey: changes.displayName.toLowerCase() });
    if (changes.avatarUrl !== undefined) set.avatarUrl = changes.avatarUrl;
    // MongoDB rejects an empty $set; nothing to change is a read (and announces nothing).
    if (Object.keys(set).length === 0) return this.findById(id);
    // The change and its events commit together (a replica set, as for every module with an outbox).
    return inMongoTransaction(this.connection, async (session) => {
      // Point update on _id, returning the user as changed.
      const doc = await this.users.findByIdAndUpdate(id, { $set: set }, { new: true, session }).lean<UserDocument>().exec();
      if (!doc) return null;
      const user = toUser(doc);
      await this.outbox.record(announce(user), session);
      return user;
    });
  }
}
