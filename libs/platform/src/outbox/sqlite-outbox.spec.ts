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
