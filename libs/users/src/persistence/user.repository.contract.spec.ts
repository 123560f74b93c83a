import 'reflect-metadata';
import { openSqliteDatabase } from '@chat/platform';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { User } from '../domain/user';
import { MongoUserRepository } from './mongo/mongo-user.repository';
import { UserDocument, UserSchema } from './mongo/user.schema';
import { SqliteUserRepository } from './sqlite/sqlite-user.repository';
import { USERS_MIGRATIONS } from './sqlite/users.migrations';
import { UserRepository } from './user.repository';

interface Adapter {
  name: string;
  create(): Promise<{ repository: UserRepository; cleanup(): Promise<void> }>;
}

const ADAPTERS: Adapter[] = [
  {
    name: 'sqlite',
    create: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'users-repo-'));
      const db = openSqliteDatabase(join(dir, 'users.sqlite'), USERS_MIGRATIONS);
      return {
        repository: new SqliteUserRepository(db),
        cleanup: async () => {
          db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

// The one conditional registration in the suite: no MongoDB server can be installed on the machines this
// project is built on (it is in neither package registry they reach), so the MongoDB adapter runs against
// this same contract wherever MONGODB_URI points at one (CI with a MongoDB service, docker-compose).
if (process.env.MONGODB_URI) {
  const uri = process.env.MONGODB_URI;
  ADAPTERS.push({
    name: 'mongodb',
    create: async () => {
      const connection = await mongoose.createConnection(uri, { dbName: `users_contract_${randomBytes(4).toString('hex')}` }).asPromise();
      const model = connection.model<UserDocument>(UserDocument.name, UserSchema);
      await model.init(); // the unique email index exists before the first insert
      return {
        repository: new MongoUserRepository(connection, model),
        cleanup: async () => {
          await connection.dropDatabase();
          await connection.close();
        },
      };
    },
  });
}

const person = (email: string, displayName: string, extra: Partial<User> = {}): User => ({
  id: randomUUID(),
  email,
  displayName,
  avatarUrl: null,
  createdAt: new Date('2024-03-04T05:06:07.089Z'),
  ...extra,
});

/** Everything the Users module relies on from its persistence port, identical for every adapter. */
describe.each(ADAPTERS)('UserRepository contract ($name)', (adapter) => {
  let repository: UserRepository;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ repository, cleanup } = await adapter.create());
  });

  afterEach(async () => {
    await cleanup?.();
  });

  const seed = async (...users: User[]) => {
    for (const user of users) await repository.insertIfEmailFree(user);
    return users;
  };

  const searchAll = async (prefix: string, limit: number, excludeId?: string) => {
    const names: string[] = [];
    let after = null;
    for (let pages = 0; pages < 50; pages++) {
      const page = await repository.searchByNamePrefix(prefix, after, limit, excludeId);
      expect(page.users.length).toBeLessThanOrEqual(limit);
      names.push(...page.users.map((u) => u.displayName));
      if (!page.next) return names;
      after = page.next;
    }
    throw new Error('pagination did not end');
  };

  it('inserts a user and reads it back by id and by email, unchanged', async () => {
    const ada = person('ada@example.com', 'Ada Lovelace', { avatarUrl: 'https://img.example/ada.png' });
    const { user, created } = await repository.insertIfEmailFree(ada);
    expect(created).toBe(true);
    expect(user).toEqual(ada);
    expect(await repository.findById(ada.id)).toEqual(ada);
    expect(await repository.findByEmail('ada@example.com')).toEqual(ada);
    expect(await repository.findById(randomUUID())).toBeNull();
    expect(await repository.findByEmail('nobody@example.com')).toBeNull();
  });

  it('keeps the first user when the email is taken', async () => {
    const first = person('same@example.com', 'First');
    await repository.insertIfEmailFree(first);
    const { user, created } = await repository.insertIfEmailFree(person('same@example.com', 'Second'));
    expect(created).toBe(false);
    expect(user).toEqual(first);
  });

  it('creates one user from many concurrent first sign-ins', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => repository.insertIfEmailFree(person('race@example.com', `Racer ${i}`))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.user.id)).size).toBe(1);
  });

  it('finds many by ids, leaving unknown ids out', async () => {
    const [a, b] = await seed(person('a@example.com', 'A'), person('b@example.com', 'B'), person('c@example.com', 'C'));
    const found = await repository.findByIds([a.id, b.id, randomUUID()]);
    expect(found.map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
    expect(await repository.findByIds([])).toEqual([]);
  });

  it('searches by name prefix (never by email), case-insensitively, ordered by name', async () => {
    const [, , grace] = await seed(
      person('ada@example.com', 'Ada Lovelace'),
      person('alan@example.com', 'alan Turing'),
      person('grace@navy.test', 'Grace Hopper'),
      person('zed@example.com', 'Zed'),
    );
    expect(await searchAll('AL', 10)).toEqual(['alan Turing']);
    expect(await searchAll('a', 10)).toEqual(['Ada Lovelace', 'alan Turing']);
    expect(await searchAll('grace@navy', 10)).toEqual([]);
    expect(await searchAll('zed@', 10)).toEqual([]);
    expect(await searchAll('', 10)).toEqual(['Ada Lovelace', 'alan Turing', 'Grace Hopper', 'Zed']);
    expect(await searchAll('', 10, grace.id)).toEqual(['Ada Lovelace', 'alan Turing', 'Zed']);
    expect(await searchAll('nobody', 10)).toEqual([]);
  });

  it('treats LIKE and regex characters in the prefix literally', async () => {
    await seed(person('a_b@example.com', 'a_b'), person('axb@example.com', 'axb'), person('pct@example.com', '100% sure'), person('dot@example.com', 'a.c'));
    expect(await searchAll('a_', 10)).toEqual(['a_b']);
    expect(await searchAll('100%', 10)).toEqual(['100% sure']);
    expect(await searchAll('10%', 10)).toEqual([]);
    expect(await searchAll('a.', 10)).toEqual(['a.c']);
  });

  it('pages through everyone with a cursor, no gap and no duplicate, even among equal names', async () => {
    const names = ['Bo', 'Bo', 'Bo', 'Al', 'Cy', 'Bo', 'Di'];
    await seed(...names.map((name, i) => person(`p${i}@example.com`, name)));
    for (const limit of [1, 2, 3, 10]) {
      expect(await searchAll('', limit)).toEqual(['Al', 'Bo', 'Bo', 'Bo', 'Bo', 'Cy', 'Di']);
    }
    const firstPage = await repository.searchByNamePrefix('', null, 7);
    expect(firstPage.next).toBeNull();
  });

  it('updates the display name (and what search sees) and the avatar, leaving the rest alone', async () => {
    const [ada] = await seed(person('ada@example.com', 'Ada'));
    const renamed = await repository.updateProfile(ada.id, { displayName: 'Countess Lovelace' });
    expect(renamed).toEqual({ ...ada, displayName: 'Countess Lovelace' });
    expect(await searchAll('countess', 10)).toEqual(['Countess Lovelace']);
    expect(await searchAll('ada', 10)).toEqual([]); // the old name is gone, and emails are not searched

    const withAvatar = await repository.updateProfile(ada.id, { avatarUrl: 'https://img.example/a.png' });
    expect(withAvatar).toEqual({ ...ada, displayName: 'Countess Lovelace', avatarUrl: 'https://img.example/a.png' });
    const cleared = await repository.updateProfile(ada.id, { avatarUrl: null });
    expect(cleared?.avatarUrl).toBeNull();
    expect(cleared?.displayName).toBe('Countess Lovelace');

    expect(await repository.updateProfile(ada.id, {})).toEqual({ ...ada, displayName: 'Countess Lovelace' });
    expect(await repository.updateProfile(randomUUID(), { displayName: 'Ghost' })).toBeNull();
  });

  it('records the events of a profile change with it; none for an unknown user or when nothing changes', async () => {
    const [ada] = await seed(person('ada@example.com', 'Ada'));
    const announce = (user: { id: string; displayName: string }) => [{ pattern: 'user.updated', payload: { id: user.id, displayName: user.displayName } }];
    await repository.updateProfile(ada.id, { displayName: 'Countess' }, announce);
    await repository.updateProfile(ada.id, {}, announce);
    await repository.updateProfile(randomUUID(), { displayName: 'Ghost' }, announce);
    expect((await repository.outbox.pending(10)).map((e) => e.payload)).toEqual([{ id: ada.id, displayName: 'Countess' }]);
  });
});
