import { openSqliteDatabase, SqliteDatabase } from '../persistence/sqlite-database';
import { SqliteGroupCommit } from '../persistence/sqlite-group-commit';
import { SQLITE_OUTBOX_TABLE, SqliteOutbox } from './sqlite-outbox';

describe('SqliteOutbox', () => {
  let db: SqliteDatabase;
  let outbox: SqliteOutbox;
  const recordIn = (events: { pattern: string; payload: unknown }[]) => db.transaction(() => outbox.record(events))();
  const read = async (limit = 100, after?: string) => (await outbox.pending(limit, after)).map((e) => [e.id, e.pattern, e.payload]);

  beforeEach(() => {
    db = openSqliteDatabase(':memory:', [{ version: 1, sql: SQLITE_OUTBOX_TABLE }]);
    outbox = new SqliteOutbox(db, new SqliteGroupCommit(db));
  });
  afterEach(() => db.close());

  it('gives back what was recorded, in order, from the start or after an id', async () => {
    recordIn([{ pattern: 'a', payload: { n: 1 } }, { pattern: 'b', payload: { n: 2 } }]);
    recordIn([{ pattern: 'c', payload: [3] }]);
    expect(await read()).toEqual([['1', 'a', { n: 1 }], ['2', 'b', { n: 2 }], ['3', 'c', [3]]]);
    expect(await read(100, '1')).toEqual([['2', 'b', { n: 2 }], ['3', 'c', [3]]]);
    expect(await read(2)).toEqual([['1', 'a', { n: 1 }], ['2', 'b', { n: 2 }]]);
  });

  it('reads the same events, whether this connection recorded them or an earlier run did', async () => {
    recordIn([{ pattern: 'a', payload: { text: 'hi', at: '2026-01-01T00:00:00.000Z' } }]);
    const fresh = await read();
    // A new outbox on the same file remembers nothing: it reads the rows.
    outbox = new SqliteOutbox(db);
    expect(await read()).toEqual(fresh);
    // Read twice (a poll's pass after a failed delivery): the rows again.
    expect(await read()).toEqual(fresh);
  });

  it('never gives back an event whose transaction rolled back, even when its id is taken again', async () => {
    recordIn([{ pattern: 'kept', payload: 1 }]);
    expect(() =>
      db.transaction(() => {
        outbox.record([{ pattern: 'rolled-back', payload: 2 }, { pattern: 'rolled-back', payload: 3 }]);
        throw new Error('the change failed');
      })(),
    ).toThrow('the change failed');
    recordIn([{ pattern: 'later', payload: 4 }]);
    expect(await read()).toEqual([['1', 'kept', 1], ['2', 'later', 4]]);
    expect(await read(100, '2')).toEqual([]);
    recordIn([{ pattern: 'last', payload: 5 }]);
    expect(await read(100, '2')).toEqual([['3', 'last', 5]]);
  });

  it('does not give back removed events', async () => {
    recordIn([{ pattern: 'a', payload: 1 }, { pattern: 'b', payload: 2 }]);
    const [first] = await outbox.pending(1);
    await outbox.remove([first.id]);
    expect(await read()).toEqual([['2', 'b', 2]]);
  });
});

describe('SqliteOutbox with a group commit', () => {
  let db: SqliteDatabase;
  let commits: SqliteGroupCommit;
  let outbox: SqliteOutbox;
  /** Reads of the table's ids (the statement a pass runs when it cannot answer from what the group commit told it). */
  let tableReads: jest.SpyInstance;
  const recordThrough = (pattern: string, payload: unknown, fail = false) =>
    commits.run(() => {
      outbox.record([{ pattern, payload }]);
      if (fail) throw new Error('the change failed');
    });
  const read = async (after?: string) => (await outbox.pending(100, after)).map((e) => [e.id, e.pattern, e.payload]);

  beforeEach(() => {
    db = openSqliteDatabase(':memory:', [{ version: 1, sql: SQLITE_OUTBOX_TABLE }]);
    commits = new SqliteGroupCommit(db);
    outbox = new SqliteOutbox(db, commits);
    tableReads = jest.spyOn((outbox as unknown as { statements: { pendingIds: { all: () => unknown } } }).statements.pendingIds, 'all');
  });
  afterEach(() => db.close());

  it("answers a pass after the cursor from the group commit's committed writes, the same events the table holds", async () => {
    await recordThrough('a', 1);
    expect(await read()).toEqual([['1', 'a', 1]]); // the poll's pass (from the start) reads the table
    expect(tableReads).toHaveBeenCalledTimes(1);
    await Promise.all([recordThrough('b', 2), recordThrough('c', 3)]);
    await recordThrough('d', 4);
    expect(await read('1')).toEqual([['2', 'b', 2], ['3', 'c', 3], ['4', 'd', 4]]);
    expect(await read('4')).toEqual([]);
    expect(tableReads).toHaveBeenCalledTimes(1);
    // What the table says, read by a fresh outbox on the same connection:
    expect(await new SqliteOutbox(db).pending(100, '1').then((events) => events.map((e) => [e.id, e.pattern, e.payload]))).toEqual([
      ['2', 'b', 2],
      ['3', 'c', 3],
      ['4', 'd', 4],
    ]);
  });

  it('never hands over from memory a write the group commit rolled back, even when its id is taken again', async () => {
    await recordThrough('a', 1);
    await read();
    const settled = await Promise.allSettled([recordThrough('kept', 2), recordThrough('failed', 3, true), recordThrough('also kept', 4)]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await read('1')).toEqual([['2', 'kept', 2], ['3', 'also kept', 4]]);
    expect(tableReads).toHaveBeenCalledTimes(1);
  });

  it('reads the table when something was recorded outside the group commit, and answers from memory again after', async () => {
    await recordThrough('a', 1);
    await read();
    db.transaction(() => outbox.record([{ pattern: 'own transaction', payload: 2 }]))();
    expect(() =>
      db.transaction(() => {
        outbox.record([{ pattern: 'rolled back', payload: 3 }]);
        throw new Error('the change failed');
      })(),
    ).toThrow('the change failed');
    await recordThrough('b', 4);
    expect(await read('1')).toEqual([['2', 'own transaction', 2], ['3', 'b', 4]]);
    expect(tableReads).toHaveBeenCalledTimes(2);
    await recordThrough('c', 5);
    expect(await read('3')).toEqual([['4', 'c', 5]]);
    expect(tableReads).toHaveBeenCalledTimes(2);
  });

  it('keeps nothing once 10,000 events wait unread, and reads them from the table', async () => {
    await recordThrough('first', 0);
    await read();
    await commits.run(() => {
      for (let n = 1; n <= 10_001; n++) outbox.record([{ pattern: 'n', payload: n }]);
    });
    const events = await outbox.pending(20_000, '1');
    expect(events.map((e) => e.payload)).toEqual(Array.from({ length: 10_001 }, (_, i) => i + 1));
    expect(tableReads).toHaveBeenCalledTimes(2);
  });

  it('gives a long run of committed events in batches of the limit, in order', async () => {
    await recordThrough('first', 0);
    await read();
    await Promise.all([1, 2, 3, 4, 5].map((n) => recordThrough('n', n)));
    expect((await outbox.pending(2, '1')).map((e) => e.payload)).toEqual([1, 2]);
    expect((await outbox.pending(2, '3')).map((e) => e.payload)).toEqual([3, 4]);
    expect((await outbox.pending(2, '5')).map((e) => e.payload)).toEqual([5]);
    expect(tableReads).toHaveBeenCalledTimes(1);
  });
});
