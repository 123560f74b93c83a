import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDatabase, SqliteDatabase } from './sqlite-database';
import { SqliteGroupCommit } from './sqlite-group-commit';

describe('SqliteGroupCommit', () => {
  let dir: string;
  let db: SqliteDatabase;
  let other: Database.Database;
  let groupCommit: SqliteGroupCommit;
  /** Transactions run (the group commit makes its transaction functions once, so their runs are counted). */
  let transactions: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
    db = openSqliteDatabase(join(dir, 'test.sqlite'), [{ version: 1, sql: 'CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL)' }]);
    other = new Database(join(dir, 'test.sqlite'), { readonly: true });
    transactions = 0;
    const transaction = db.transaction.bind(db);
    jest.spyOn(db, 'transaction').mockImplementation(((work: (...args: never[]) => unknown) => {
      const made = transaction(work);
      return Object.assign((...args: never[]) => made(...args), {
        immediate: (...args: never[]) => {
          transactions++;
          return made.immediate(...args);
        },
      });
    }) as never);
    groupCommit = new SqliteGroupCommit(db);
  });

  afterEach(() => {
    other.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (id: number, label = `item ${id}`) => () => db.prepare('INSERT INTO items (id, label) VALUES (?, ?)').run(id, label).changes;
  const storedIds = () => (other.prepare('SELECT id FROM items ORDER BY id').pluck().all() as number[]);

  it('runs the writes of one turn in one transaction and settles them after it has committed', async () => {
    const seenByOtherConnection: number[][] = [];
    const writes = [1, 2, 3, 4, 5].map((id) => groupCommit.run(insert(id)).then(() => seenByOtherConnection.push(storedIds())));
    expect(storedIds()).toEqual([]); // nothing runs until the turn ends
    await Promise.all(writes);
    expect(transactions).toBe(1);
    // Every caller, when told, finds all five committed (another connection sees only committed data).
    expect(seenByOtherConnection).toEqual(Array(5).fill([1, 2, 3, 4, 5]));
  });

  it('returns each write its own result, in order', async () => {
    const results = await Promise.all([10, 20, 30].map((id) => groupCommit.run(() => db.prepare('INSERT INTO items (id, label) VALUES (?, ?) RETURNING id * 2 AS doubled').get(id, 'x'))));
    expect(results).toEqual([{ doubled: 20 }, { doubled: 40 }, { doubled: 60 }]);
  });

  it('fails only the write that threw, leaves nothing of it, and commits the rest', async () => {
    await groupCommit.run(insert(2, 'already there'));
    const settled = await Promise.allSettled([groupCommit.run(insert(1)), groupCommit.run(insert(2, 'duplicate')), groupCommit.run(insert(3))]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(other.prepare('SELECT id, label FROM items ORDER BY id').all()).toEqual([
      { id: 1, label: 'item 1' },
      { id: 2, label: 'already there' },
      { id: 3, label: 'item 3' },
    ]);
  });

  it('splits a burst into transactions of at most MAX_BATCH writes, keeping their order', async () => {
    const count = SqliteGroupCommit.MAX_BATCH * 2 + 5;
    const order: number[] = [];
    await Promise.all(Array.from({ length: count }, (_, i) => groupCommit.run(insert(i + 1)).then(() => order.push(i + 1))));
    expect(transactions).toBe(3);
    expect(order).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(storedIds()).toHaveLength(count);
  });

  it('takes writes asked for while a batch is settling into the next batch', async () => {
    const second = await groupCommit.run(insert(1)).then(() => groupCommit.run(insert(2)));
    expect(second).toBe(1);
    expect(storedIds()).toEqual([1, 2]);
  });

  it('holds a deferred write for the next batch of other writes, and commits them together', async () => {
    const deferred = groupCommit.runDeferred(insert(1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(storedIds()).toEqual([]); // not alone, not at the end of the turn
    await Promise.all([groupCommit.run(insert(2)), deferred]);
    expect(transactions).toBe(1);
    expect(storedIds()).toEqual([1, 2]);
  });

  it('commits a deferred write alone once MAX_DEFER_MS has passed without other writes', async () => {
    const startedAt = Date.now();
    const results = await Promise.all([groupCommit.runDeferred(insert(1)), groupCommit.runDeferred(insert(2))]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(SqliteGroupCommit.MAX_DEFER_MS - 1);
    expect(results).toEqual([1, 1]);
    expect(transactions).toBe(1);
    expect(storedIds()).toEqual([1, 2]);
  });

  it('settle commits what is queued and deferred at once, in one transaction, for a read that must see it', async () => {
    const writes = [groupCommit.runDeferred(insert(1)), groupCommit.run(insert(2))];
    groupCommit.settle();
    expect(storedIds()).toEqual([1, 2]); // before the turn ends, and readable by another connection: committed
    expect(transactions).toBe(1);
    expect(await Promise.all(writes)).toEqual([1, 1]);
    groupCommit.settle(); // nothing queued: nothing run
    expect(transactions).toBe(1);
  });

  it('fails only the deferred write that threw, as any other', async () => {
    await groupCommit.run(insert(1, 'already there'));
    const settled = await Promise.allSettled([groupCommit.runDeferred(insert(1, 'duplicate')), groupCommit.run(insert(2))]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled']);
    expect(storedIds()).toEqual([1, 2]);
  });
});
