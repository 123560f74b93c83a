import { Injectable, Logger } from '@nestjs/common';
import { AuthEvents, ClientInfo, ErrorCodes, revokedSessionKey, SessionDto, SessionRevokedEvent, TokenPair, UserDto } from '@chat/contracts';
import { AppConfig, BusClient, DomainError, KeyValueStore } from '@chat/platform';
import { randomUUID } from 'node:crypto';
import { isActive, Session } from './domain/session';
import { SessionRepository } from './persistence/session.repository';
import { TokenIssuer } from './tokens/token-issuer';

const toSessionDto = (session: Session, currentSessionId: string): SessionDto => ({
  id: session.id,
  userAgent: session.userAgent,
  ip: session.ip,
  createdAt: session.createdAt.toISOString(),
  lastUsedAt: session.lastUsedAt.toISOString(),
  expiresAt: session.expiresAt.toISOString(),
  current: session.id === currentSessionId,
});

const cut = (value: string | null, max: number) => (value ? value.slice(0, max) : null);

/** Sessions and their rotating refresh tokens: one session is one device and one token family. */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger('Sessions');

  constructor(
    private readonly sessions: SessionRepository,
    private readonly tokens: TokenIssuer,
    private readonly kv: KeyValueStore,
    private readonly bus: BusClient,
    private readonly config: AppConfig,
  ) {}

  async open(user: UserDto, client: ClientInfo): Promise<TokenPair> {
    const now = new Date();
    const session: Session = {
      id: randomUUID(),
      userId: user.id,
      refreshTokenId: randomUUID(),
      userAgent: cut(client.userAgent, 512),
      ip: cut(client.ip, 64),
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + this.config.env.REFRESH_TOKEN_TTL_SECONDS * 1000),
      revokedAt: null,
    };
    await this.sessions.create(session);
    return this.issue(session, now);
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<TokenPair> {
    const claims = await this.tokens.verifyRefreshToken(refreshToken);
    const now = new Date();
    const session = await this.sessions.findById(claims.sid);
    if (!session || session.userId !== claims.sub || !isActive(session, now)) {
      throw new DomainError(ErrorCodes.AUTH_SESSION_REVOKED, 'This session has ended; sign in again');
    }
    const nextTokenId = randomUUID();
    const rotated =
      session.refreshTokenId === claims.jti &&
      (await this.sessions.rotateRefreshToken(session.id, claims.jti, nextTokenId, now, { userAgent: cut(client.userAgent, 512), ip: cut(client.ip, 64) }));
    if (!rotated) {
      // An earlier token of the family came back (or two uses raced): someone else may hold it. End the family.
      this.logger.warn({ sessionId: session.id, userId: session.userId }, 'Refresh token reused; session revoked');
      await this.revoke(session, 'refresh-reuse');
      throw new DomainError(ErrorCodes.AUTH_SESSION_REVOKED, 'This refresh token was already used; the session is revoked');
    }
    return this.issue({ ...session, refreshTokenId: nextTokenId, lastUsedAt: now }, now);
  }

  /** Ends the caller's own session; idempotent. */
  async logout(userId: string, sessionId: string): Promise<void> {
    const session = await this.sessions.findById(sessionId);
    if (session && session.userId === userId) await this.revoke(session, 'logout');
  }

  /**
   * Ends the session a refresh token belongs to: how a client signs out once its access token has expired.
   * Any token of the family will do (an old one would revoke the family on refresh anyway). Idempotent.
   */
  async logoutWithRefreshToken(refreshToken: string): Promise<void> {
    const claims = await this.tokens.verifyRefreshToken(refreshToken);
    const session = await this.sessions.findById(claims.sid);
    if (session && session.userId === claims.sub && isActive(session, new Date())) await this.revoke(session, 'logout');
  }

  async list(userId: string, currentSessionId: string): Promise<SessionDto[]> {
    const sessions = await this.sessions.listActiveByUser(userId, new Date());
    return sessions.map((session) => toSessionDto(session, currentSessionId));
  }

  /** Someone else's session and a missing one answer the same. */
  async revokeOwn(userId: string, sessionId: string): Promise<void> {
    const session = await this.sessions.findById(sessionId);
    if (!session || session.userId !== userId || !isActive(session, new Date())) {
      throw new DomainError(ErrorCodes.NOT_FOUND, 'Session not found');
    }
    await this.revoke(session, 'revoked');
  }

  private async revoke(session: Session, reason: SessionRevokedEvent['reason']): Promise<void> {
    // The marker first: from here on the gateway refuses the session's access tokens, which live at most this long.
    const markerTtlMs = (this.config.env.ACCESS_TOKEN_TTL_SECONDS + 60) * 1000;
    await this.kv.set(revokedSessionKey(session.id), reason, markerTtlMs);
    await this.sessions.revoke(session.id, new Date());
    const event: SessionRevokedEvent = { userId: session.userId, sessionId: session.id, reason };
    await this.bus.publish(AuthEvents.sessionRevoked, event).catch((err) => this.logger.warn({ err }, 'Could not announce a revoked session'));
  }

  private async issue(session: Session, now: Date): Promise<TokenPair> {
    const access = await this.tokens.accessToken(session, now);
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken: await this.tokens.refreshToken(session),
      refreshTokenExpiresAt: session.expiresAt.toISOString(),
      sessionId: session.id,
    };
  }
}
