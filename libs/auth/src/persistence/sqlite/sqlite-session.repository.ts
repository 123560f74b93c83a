import { PushSubscriptionDto, UserPushSubscription } from '@chat/contracts';
import { SqliteDatabase } from '@chat/platform';
import { Session } from '../../domain/session';
import { SessionRepository } from '../session.repository';

interface SessionRow {
  id: string;
  user_id: string;
  refresh_token_id: string;
  user_agent: string | null;
  ip: string | null;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  revoked_at: number | null;
}

interface PushRow {
  id: string;
  user_id: string;
  push_endpoint: string;
  push_p256dh: string;
  push_auth: string;
}

const toSession = (row: SessionRow): Session => ({
  id: row.id,
  userId: row.user_id,
  refreshTokenId: row.refresh_token_id,
  userAgent: row.user_agent,
  ip: row.ip,
  createdAt: new Date(row.created_at),
  lastUsedAt: new Date(row.last_used_at),
  expiresAt: new Date(row.expires_at),
  revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
});

export class SqliteSessionRepository extends SessionRepository {
  private readonly statements;

  constructor(private readonly db: SqliteDatabase) {
    super();
    this.statements = {
      insert: db.prepare(
        'INSERT INTO sessions (id, user_id, refresh_token_id, user_agent, ip, created_at, last_used_at, expires_at, revoked_at) VALUES (@id, @user_id, @refresh_token_id, @user_agent, @ip, @created_at, @last_used_at, @expires_at, NULL)',
      ),
      // Primary-key lookup.
      byId: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
      // Primary-key update guarded by the expected token: the compare-and-swap of a rotation.
      rotate: db.prepare(
        'UPDATE sessions SET refresh_token_id = @next, last_used_at = @used_at, user_agent = @user_agent, ip = @ip WHERE id = @id AND refresh_token_id = @expected AND revoked_at IS NULL',
      ),
      revoke: db.prepare(
        'UPDATE sessions SET revoked_at = @at, push_endpoint = NULL, push_p256dh = NULL, push_auth = NULL WHERE id = @id AND revoked_at IS NULL',
      ),
      // Primary-key update, on the user's own active session only.
      setPush: db.prepare(
        `UPDATE sessions SET push_endpoint = @endpoint, push_p256dh = @p256dh, push_auth = @auth
         WHERE id = @id AND user_id = @user_id AND revoked_at IS NULL AND expires_at > @now`,
      ),
      // Through sessions_by_push_endpoint.
      releaseEndpoint: db.prepare(
        'UPDATE sessions SET push_endpoint = NULL, push_p256dh = NULL, push_auth = NULL WHERE push_endpoint = @endpoint AND id != @keep',
      ),
      // Range scans of sessions_by_user, one per user.
      pushOf: db.prepare<[string, number], PushRow>(
        `SELECT s.id, s.user_id, s.push_endpoint, s.push_p256dh, s.push_auth FROM json_each(?) u
         JOIN sessions s ON s.user_id = u.value
         WHERE s.push_endpoint IS NOT NULL AND s.revoked_at IS NULL AND s.expires_at > ?`,
      ),
      // Range scan of sessions_by_user.
      activeByUser: db.prepare<[string, number], SessionRow>(
        'SELECT * FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY last_used_at DESC LIMIT 100',
      ),
    };
  }

  async create(session: Session): Promise<void> {
    this.statements.insert.run({
      id: session.id,
      user_id: session.userId,
      refresh_token_id: session.refreshTokenId,
      user_agent: session.userAgent,
      ip: session.ip,
      created_at: session.createdAt.getTime(),
      last_used_at: session.lastUsedAt.getTime(),
      expires_at: session.expiresAt.getTime(),
    });
  }

  async findById(id: string): Promise<Session | null> {
    const row = this.statements.byId.get(id);
    return row ? toSession(row) : null;
  }

  async rotateRefreshToken(id: string, expectedTokenId: string, nextTokenId: string, usedAt: Date, client: { userAgent: string | null; ip: string | null }): Promise<boolean> {
    const result = this.statements.rotate.run({
      id,
      expected: expectedTokenId,
      next: nextTokenId,
      used_at: usedAt.getTime(),
      user_agent: client.userAgent,
      ip: client.ip,
    });
    return result.changes === 1;
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    return this.statements.revoke.run({ id, at: at.getTime() }).changes === 1;
  }

  async listActiveByUser(userId: string, now: Date): Promise<Session[]> {
    return this.statements.activeByUser.all(userId, now.getTime()).map(toSession);
  }

  async setPushSubscription(sessionId: string, userId: string, subscription: PushSubscriptionDto | null, now: Date): Promise<boolean> {
    return this.db.transaction(() => {
      const set = this.statements.setPush.run({
        id: sessionId,
        user_id: userId,
        now: now.getTime(),
        endpoint: subscription?.endpoint ?? null,
        p256dh: subscription?.keys.p256dh ?? null,
        auth: subscription?.keys.auth ?? null,
      });
      if (set.changes !== 1) return false;
      if (subscription) this.statements.releaseEndpoint.run({ endpoint: subscription.endpoint, keep: sessionId });
      return true;
    })();
  }

  async pushSubscriptionsOf(userIds: string[], now: Date): Promise<UserPushSubscription[]> {
    if (userIds.length === 0) return [];
    return this.statements.pushOf.all(JSON.stringify([...new Set(userIds)]), now.getTime()).map((row) => ({
      userId: row.user_id,
      sessionId: row.id,
      endpoint: row.push_endpoint,
      keys: { p256dh: row.push_p256dh, auth: row.push_auth },
    }));
  }

  async forgetPushEndpoint(endpoint: string): Promise<void> {
    this.statements.releaseEndpoint.run({ endpoint, keep: '' });
  }
}
