import { JwtService } from '@nestjs/jwt';
import { revokedSessionKey, UserDto } from '@chat/contracts';
import { AppConfig, BusClient, DomainError, EnvironmentVariables, MemoryKeyValueStore, openSqliteDatabase } from '@chat/platform';
import { AUTH_MIGRATIONS } from './persistence/sqlite/auth.migrations';
import { SqliteSessionRepository } from './persistence/sqlite/sqlite-session.repository';
import { SessionsService } from './sessions.service';
import { TokenIssuer } from './tokens/token-issuer';

const user: UserDto = { id: 'u1', email: 'ada@example.com', displayName: 'ada', avatarUrl: null, createdAt: new Date().toISOString() };
const client = { userAgent: 'Test/1', ip: '203.0.113.9' };

describe('SessionsService', () => {
  let kv: MemoryKeyValueStore;
  let events: { pattern: string; payload: unknown }[];
  let sessions: SessionsService;
  let jwt: JwtService;

  beforeEach(() => {
    kv = new MemoryKeyValueStore();
    events = [];
    const config = new AppConfig(new EnvironmentVariables());
    jwt = new JwtService({ secret: 's'.repeat(32) });
    const bus = { publish: async (pattern: string, payload: unknown) => void events.push({ pattern, payload }) } as unknown as BusClient;
    sessions = new SessionsService(new SqliteSessionRepository(openSqliteDatabase(':memory:', AUTH_MIGRATIONS)), new TokenIssuer(jwt, config), kv, bus, config);
  });

  afterEach(() => kv.close());

  const failsWith = async (promise: Promise<unknown>, code: string) => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect((error as DomainError).code).toBe(code);
  };

  it('issues typed tokens with a session id, and a refresh token that ends with the session', async () => {
    const pair = await sessions.open(user, client);
    const access = jwt.decode(pair.accessToken);
    const refresh = jwt.decode(pair.refreshToken);
    expect(access).toMatchObject({ sub: 'u1', sid: pair.sessionId, typ: 'access', aud: 'relay-chat', iss: 'relay-chat-auth' });
    expect(access.exp - access.iat).toBe(900);
    expect(refresh).toMatchObject({ sub: 'u1', sid: pair.sessionId, typ: 'refresh' });
    expect(refresh.exp * 1000).toBe(Math.floor(Date.parse(pair.refreshTokenExpiresAt) / 1000) * 1000);
  });

  it('revokes the whole family when an old refresh token comes back, and marks it for the gateway', async () => {
    const first = await sessions.open(user, client);
    const second = await sessions.refresh(first.refreshToken, client);
    await failsWith(sessions.refresh(first.refreshToken, client), 'AUTH.SESSION_REVOKED');
    await failsWith(sessions.refresh(second.refreshToken, client), 'AUTH.SESSION_REVOKED');
    expect(await kv.get(revokedSessionKey(first.sessionId))).toBe('refresh-reuse');
    expect(events).toEqual([{ pattern: 'auth.session-revoked', payload: { userId: 'u1', sessionId: first.sessionId, reason: 'refresh-reuse' } }]);
  });

  it('refuses an access token as a refresh token', async () => {
    const pair = await sessions.open(user, client);
    await failsWith(sessions.refresh(pair.accessToken, client), 'AUTH.UNAUTHENTICATED');
  });

  it('logs out with a refresh token (the access token may have expired), idempotently', async () => {
    const pair = await sessions.open(user, client);
    await sessions.logoutWithRefreshToken(pair.refreshToken);
    expect(await kv.get(revokedSessionKey(pair.sessionId))).toBe('logout');
    await failsWith(sessions.refresh(pair.refreshToken, client), 'AUTH.SESSION_REVOKED');
    await sessions.logoutWithRefreshToken(pair.refreshToken);
    await failsWith(sessions.logoutWithRefreshToken(pair.accessToken), 'AUTH.UNAUTHENTICATED');
  });

  it('lets people revoke only their own sessions', async () => {
    const mine = await sessions.open(user, client);
    const theirs = await sessions.open({ ...user, id: 'u2' }, client);
    await failsWith(sessions.revokeOwn('u1', theirs.sessionId), 'COMMON.NOT_FOUND');
    await sessions.revokeOwn('u1', mine.sessionId);
    await failsWith(sessions.revokeOwn('u1', mine.sessionId), 'COMMON.NOT_FOUND');
    expect(await sessions.list('u2', theirs.sessionId)).toHaveLength(1);
  });
});
