import { Injectable } from '@nestjs/common';
import { ErrorCodes, PushSubscriptionDto, UserPushSubscription } from '@chat/contracts';
import { DomainError } from '@chat/platform';
import { SessionRepository } from './persistence/session.repository';

/**
 * Web Push subscriptions, one per session (one per device): they live on the session, so signing out, revoking
 * the session or its expiry ends them by construction.
 */
@Injectable()
export class PushSubscriptionsService {
  constructor(private readonly sessions: SessionRepository) {}

  async set(userId: string, sessionId: string, subscription: PushSubscriptionDto | null): Promise<void> {
    const stored = await this.sessions.setPushSubscription(sessionId, userId, subscription, new Date());
    if (!stored) throw new DomainError(ErrorCodes.AUTH_SESSION_REVOKED, 'This session has ended; sign in again');
  }

  /** Each endpoint once, even while an endpoint moving between sessions is briefly held by both (MongoDB). */
  async of(userIds: string[]): Promise<UserPushSubscription[]> {
    const seen = new Set<string>();
    return (await this.sessions.pushSubscriptionsOf(userIds, new Date())).filter((s) => !seen.has(s.endpoint) && Boolean(seen.add(s.endpoint)));
  }

  forget(endpoint: string): Promise<void> {
    return this.sessions.forgetPushEndpoint(endpoint);
  }
}
