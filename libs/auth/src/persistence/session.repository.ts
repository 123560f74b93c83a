import { PushSubscriptionDto, UserPushSubscription } from '@chat/contracts';
import { Session } from '../domain/session';

/** The Auth module's persistence port (also its DI token), bound per driver by SessionsPersistenceModule. */
export abstract class SessionRepository {
  abstract create(session: Session): Promise<void>;
  abstract findById(id: string): Promise<Session | null>;
  /**
   * Compare-and-swap of the family's current refresh token: succeeds only if `expectedTokenId` is still the
   * current one and the session is not revoked, so two concurrent uses of one token cannot both rotate.
   */
  abstract rotateRefreshToken(id: string, expectedTokenId: string, nextTokenId: string, usedAt: Date, client: { userAgent: string | null; ip: string | null }): Promise<boolean>;
  /** Marks the session revoked and drops its push subscription; false when it was already revoked or does not exist. */
  abstract revoke(id: string, at: Date): Promise<boolean>;
  /** The user's sessions that are neither revoked nor expired, most recently used first. */
  abstract listActiveByUser(userId: string, now: Date): Promise<Session[]>;

  /**
   * The session's Web Push subscription (one per session: one per device), replacing any it had; null clears it.
   * Only on the user's own active session; false otherwise. An endpoint held by another session moves to this one
   * (a browser profile has one subscription, whoever signs in on it).
   */
  abstract setPushSubscription(sessionId: string, userId: string, subscription: PushSubscriptionDto | null, now: Date): Promise<boolean>;
  /** The subscriptions of these users' active sessions: a revoked or expired session's is never handed out. */
  abstract pushSubscriptionsOf(userIds: string[], now: Date): Promise<UserPushSubscription[]>;
  /** The push service says the endpoint is gone: no session keeps it. */
  abstract forgetPushEndpoint(endpoint: string): Promise<void>;
}
