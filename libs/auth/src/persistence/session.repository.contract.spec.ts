import { openSqliteDatabase } from '@chat/platform';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { Session } from '../domain/session';
import { MongoSessionRepository } from './mongo/mongo-session.repository';
import { SessionDocument, SessionSchema } from './mongo/session.schema';
import { SessionRepository } from './session.repository';
import { AUTH_MIGRATIONS } from './sqlite/auth.migrations';
import { SqliteSessionRepository } from './sqlite/sqlite-session.repository';

type Adapter = { name: string; open: () => Promise<{ repo: SessionRepository; close: () => Promise<void> }> };

const adapters: Adapter[] = [
  {
    name: 'sqlite',
    open: async () => {
      const db = openSqliteDatabase(':memory:', AUTH_MIGRATIONS);
      return { repo: new SqliteSessionRepository(db), close: async () => void db.close() };
    },
  },
];
// No MongoDB server can be installed here (DESIGN.md); the same contract runs wherever MONGODB_URI is set.
if (process.env.MONGODB_URI) {
  adapters.push({
    name: 'mongodb',
    open: async () => {
      const connection = await mongoose.createConnection(process.env.MONGODB_URI!, { dbName: `auth_contract_${randomUUID().slice(0, 8)}` }).asPromise();
      const model = connection.model(SessionDocument.name, SessionSchema);
      return { repo: new MongoSessionRepository(model), close: async () => { await connection.dropDatabase(); await connection.close(); } };
    },
  });
}

const session = (overrides: Partial<Session> = {}): Session => {
  const now = new Date();
  return {
    id: randomUUID(),
    userId: 'user-1',
    refreshTokenId: randomUUID(),
    userAgent: 'Test/1.0',
    ip: '203.0.113.1',
    createdAt: now,
    lastUsedAt: now,
    expiresAt: new Date(now.getTime() + 86400_000),
    revokedAt: null,
    ...overrides,
  };
};

describe.each(adapters)('SessionRepository contract ($name)', ({ open }) => {
  let repo: SessionRepository;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ repo, close } = await open());
  });
  afterEach(() => close());

  it('stores and finds a session', async () => {
    const s = session();
    await repo.create(s);
    expect(await repo.findById(s.id)).toEqual(s);
    expect(await repo.findById('missing')).toBeNull();
  });

  it('rotates only from the current token, once', async () => {
    const s = session();
    await repo.create(s);
    const later = new Date(s.createdAt.getTime() + 1000);
    expect(await repo.rotateRefreshToken(s.id, s.refreshTokenId, 'next', later, { userAgent: 'New/2', ip: null })).toBe(true);
    // The same old token again: the swap must fail (reuse).
    expect(await repo.rotateRefreshToken(s.id, s.refreshTokenId, 'other', later, { userAgent: null, ip: null })).toBe(false);
    expect(await repo.findById(s.id)).toMatchObject({ refreshTokenId: 'next', lastUsedAt: later, userAgent: 'New/2' });
  });

  it('revokes once and never rotates a revoked session', async () => {
    const s = session();
    await repo.create(s);
    expect(await repo.revoke(s.id, new Date())).toBe(true);
    expect(await repo.revoke(s.id, new Date())).toBe(false);
    expect(await repo.rotateRefreshToken(s.id, s.refreshTokenId, 'next', new Date(), { userAgent: null, ip: null })).toBe(false);
  });

  it('lists a user\'s active sessions, most recently used first', async () => {
    const now = Date.now();
    const older = session({ lastUsedAt: new Date(now - 5000) });
    const newer = session({ lastUsedAt: new Date(now - 1000) });
    const revoked = session();
    const expired = session({ expiresAt: new Date(now - 1) });
    const someoneElse = session({ userId: 'user-2' });
    for (const s of [older, newer, revoked, expired, someoneElse]) await repo.create(s);
    await repo.revoke(revoked.id, new Date());
    expect((await repo.listActiveByUser('user-1', new Date(now))).map((s) => s.id)).toEqual([newer.id, older.id]);
  });
  describe('Web Push subscriptions', () => {
    const sub = (endpoint: string) => ({ endpoint, keys: { p256dh: `key-${endpoint}`, auth: `auth-${endpoint}` } });
    const endpointsOf = async (userIds: string[]) => (await repo.pushSubscriptionsOf(userIds, new Date())).map((s) => s.endpoint).sort();

    it('keeps one per session, on the user\'s own active sessions only', async () => {
      const phone = session();
      const laptop = session();
      const other = session({ userId: 'user-2' });
      const expired = session({ expiresAt: new Date(Date.now() - 1000) });
      for (const s of [phone, laptop, other, expired]) await repo.create(s);

      expect(await repo.setPushSubscription(phone.id, 'user-1', sub('https://push.test/a'), new Date())).toBe(true);
      expect(await repo.setPushSubscription(phone.id, 'user-1', sub('https://push.test/b'), new Date())).toBe(true);
      expect(await repo.setPushSubscription(laptop.id, 'user-1', sub('https://push.test/c'), new Date())).toBe(true);
      expect(await repo.setPushSubscription(other.id, 'user-1', sub('https://push.test/x'), new Date())).toBe(false);
      expect(await repo.setPushSubscription(expired.id, 'user-1', sub('https://push.test/y'), new Date())).toBe(false);

      expect(await endpointsOf(['user-1'])).toEqual(['https://push.test/b', 'https://push.test/c']);
      expect(await repo.pushSubscriptionsOf(['user-1', 'user-2'], new Date())).toContainEqual({
        userId: 'user-1', sessionId: phone.id, endpoint: 'https://push.test/b', keys: { p256dh: 'key-https://push.test/b', auth: 'auth-https://push.test/b' },
      });
      expect(await repo.setPushSubscription(laptop.id, 'user-1', null, new Date())).toBe(true);
      expect(await endpointsOf(['user-1'])).toEqual(['https://push.test/b']);
    });

    it('ends with the session, moves with its endpoint, and is forgotten when the push service says it is gone', async () => {
      const first = session();
      const second = session({ userId: 'user-2' });
      const third = session();
      for (const s of [first, second, third]) await repo.create(s);
      await repo.setPushSubscription(first.id, 'user-1', sub('https://push.test/shared'), new Date());
      // The same browser profile, signed in as someone else: the endpoint is theirs now.
      await repo.setPushSubscription(second.id, 'user-2', sub('https://push.test/shared'), new Date());
      expect(await endpointsOf(['user-1'])).toEqual([]);
      expect(await endpointsOf(['user-2'])).toEqual(['https://push.test/shared']);

      await repo.revoke(second.id, new Date());
      expect(await endpointsOf(['user-2'])).toEqual([]);

      await repo.setPushSubscription(third.id, 'user-1', sub('https://push.test/gone'), new Date());
      await repo.forgetPushEndpoint('https://push.test/gone');
      expect(await endpointsOf(['user-1'])).toEqual([]);
      expect(await repo.pushSubscriptionsOf([], new Date())).toEqual([]);
    });
  });
});
