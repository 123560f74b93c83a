import { PushSubscriptionDto, UserPushSubscription } from '@chat/contracts';
import { Model } from 'mongoose';
import { Session } from '../../domain/session';
import { SessionRepository } from '../session.repository';
import { SessionDocument } from './session.schema';

const toSession = (doc: SessionDocument): Session => ({
  id: doc._id,
  userId: doc.userId,
  refreshTokenId: doc.refreshTokenId,
  userAgent: doc.userAgent ?? null,
  ip: doc.ip ?? null,
  createdAt: new Date(doc.createdAt),
  lastUsedAt: new Date(doc.lastUsedAt),
  expiresAt: new Date(doc.expiresAt),
  revokedAt: doc.revokedAt ? new Date(doc.revokedAt) : null,
});

export class MongoSessionRepository extends SessionRepository {
  constructor(private readonly sessions: Model<SessionDocument>) {
    super();
  }

  async create(session: Session): Promise<void> {
    const { id, ...rest } = session;
    await this.sessions.create({ _id: id, ...rest });
  }

  async findById(id: string): Promise<Session | null> {
    const doc = await this.sessions.findById(id).lean<SessionDocument>().exec();
    return doc ? toSession(doc) : null;
  }

  async rotateRefreshToken(id: string, expectedTokenId: string, nextTokenId: string, usedAt: Date, client: { userAgent: string | null; ip: string | null }): Promise<boolean> {
    // A single-document conditional update: atomic, so one of two concurrent rotations loses.
    const result = await this.sessions
      .updateOne(
        { _id: id, refreshTokenId: expectedTokenId, revokedAt: null },
        { $set: { refreshTokenId: nextTokenId, lastUsedAt: usedAt, userAgent: client.userAgent, ip: client.ip } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    const result = await this.sessions.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at, push: null } }).exec();
    return result.modifiedCount === 1;
  }

  async listActiveByUser(userId: string, now: Date): Promise<Session[]> {
    const docs = await this.sessions
      .find({ userId, revokedAt: null, expiresAt: { $gt: now } })
      .sort({ lastUsedAt: -1 })
      .limit(100)
      .lean<SessionDocument[]>()
      .exec();
    return docs.map(toSession);
  }

  async setPushSubscription(sessionId: string, userId: string, subscription: PushSubscriptionDto | null, now: Date): Promise<boolean> {
    const push = subscription ? { endpoint: subscription.endpoint, p256dh: subscription.keys.p256dh, auth: subscription.keys.auth } : null;
    // One document: atomic. Releasing the endpoint from other sessions after it is order-safe: pushSubscriptionsOf
    // hands an endpoint out once even while two sessions briefly hold it.
    const result = await this.sessions.updateOne({ _id: sessionId, userId, revokedAt: null, expiresAt: { $gt: now } }, { $set: { push } }).exec();
    if (result.matchedCount !== 1) return false;
    if (push) await this.sessions.updateMany({ 'push.endpoint': push.endpoint, _id: { $ne: sessionId } }, { $set: { push: null } }).exec();
    return true;
  }

  async pushSubscriptionsOf(userIds: string[], now: Date): Promise<UserPushSubscription[]> {
    if (userIds.length === 0) return [];
    const docs = await this.sessions
      .find({ userId: { $in: [...new Set(userIds)] }, 'push.endpoint': { $exists: true }, push: { $ne: null }, revokedAt: null, expiresAt: { $gt: now } })
      .lean<SessionDocument[]>()
      .exec();
    return docs.map((doc) => ({ userId: doc.userId, sessionId: doc._id, endpoint: doc.push!.endpoint, keys: { p256dh: doc.push!.p256dh, auth: doc.push!.auth } }));
  }

  async forgetPushEndpoint(endpoint: string): Promise<void> {
    await this.sessions.updateMany({ 'push.endpoint': endpoint }, { $set: { push: null } }).exec();
  }
}
