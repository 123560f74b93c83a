import { existsSync, mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackgroundCheckpointer } from './background-checkpointer';
import { openSqliteDatabase, SqliteDatabase } from './sqlite-database';

const MIGRATIONS = [{ version: 1, sql: 'CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)' }];
const BODY = 'x'.repeat(1000);

async function eventually(check: () => boolean, timeoutMs = 4_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0);
/** The size the database file has once every committed page is copied into it. */
const sizeOfDatabase = (db: SqliteDatabase) =>
  (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);

/** One commit per row, as the repositories do, yielding now and then as a server's event loop would. */
async function insertRows(db: SqliteDatabase, count: number): Promise<void> {
  const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
  for (let i = 0; i < count; i++) {
    insert.run(BODY);
    if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('BackgroundCheckpointer', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'checkpointer-'));
    file = join(dir, 'test.sqlite');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    // Every test stops what it started, and the worker ends with the last database stopped.
    expect(BackgroundCheckpointer.liveWorkers).toBe(0);
  });

  it('copies the WAL into the database file from its worker while the main connection only commits', async () => {
    const db = openSqliteDatabase(file, MIGRATIONS);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const checkpointer = BackgroundCheckpointer.start(db, { intervalMs: 50 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = sizeOf(file);

    await insertRows(db, 2000);
    // The main connection never checkpoints (autocheckpoint 0), so only the worker can bring the file to the
    // size the database has reached.
    const bytes = sizeOfDatabase(db);
    expect(bytes).toBeGreaterThan(before + 1_000_000);
    await eventually(() => sizeOf(file) === bytes);

    await checkpointer.stop();
    db.close();
    expect(sizeOf(`${file}-wal`)).toBe(0);
    const reopened = openSqliteDatabase(file, MIGRATIONS);
    expect(reopened.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: 2000 });
    reopened.close();
  });

  it('wraps the WAL back to its start while commits never stop', async () => {
    const db = openSqliteDatabase(file, MIGRATIONS);
    const checkpointer = BackgroundCheckpointer.start(db, { intervalMs: 20, restartAtBytes: 256 * 1024 });
    // Commits go on until the WAL has wrapped under way, not for a fixed time: on a loaded machine the worker may
    // be scheduled late, and what is checked is that it wraps, not how fast. Each row commits at least one 4 KB page
    // to the WAL; a WAL that never wrapped holds all of them (about 1.5 times this, measured without the restart),
    // and wrapping every 256 KB keeps it to a small share.
    const deadline = Date.now() + 60_000;
    let rows = 0;
    const wrapped = () => rows * 4096 > 16 * 1024 * 1024 && sizeOf(`${file}-wal`) < (rows * 4096) / 2;
    try {
      while (!wrapped() && Date.now() < deadline) {
        await insertRows(db, 100);
        rows += 100;
      }
      expect(wrapped()).toBe(true);
    } finally {
      await checkpointer.stop();
    }
    expect(sizeOf(`${file}-wal`)).toBe(0);
    expect(db.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: rows });
    db.close();
  }, 90_000);

  it('serves every database from one worker, which ends with the last one stopped', async () => {
    const dbA = openSqliteDatabase(file, MIGRATIONS);
    const dbB = openSqliteDatabase(join(dir, 'other.sqlite'), MIGRATIONS);
    const a = BackgroundCheckpointer.start(dbA, { intervalMs: 50 });
    const b = BackgroundCheckpointer.start(dbB, { intervalMs: 50 });
    expect(BackgroundCheckpointer.liveWorkers).toBe(1);

    await Promise.all([insertRows(dbA, 1000), insertRows(dbB, 1000)]);
    await eventually(() => sizeOf(dbA.name) === sizeOfDatabase(dbA) && sizeOf(dbB.name) === sizeOfDatabase(dbB));

    await a.stop();
    expect(sizeOf(`${dbA.name}-wal`)).toBe(0);
    dbA.close();
    expect(BackgroundCheckpointer.liveWorkers).toBe(1);
    const before = sizeOf(dbB.name);
    await insertRows(dbB, 1000);
    expect(sizeOfDatabase(dbB)).toBeGreaterThan(before + 1_000_000);
    await eventually(() => sizeOf(dbB.name) === sizeOfDatabase(dbB));

    await b.stop();
    expect(BackgroundCheckpointer.liveWorkers).toBe(0);
    expect(sizeOf(`${dbB.name}-wal`)).toBe(0);
    dbB.close();

    // A database started after that gets a new worker.
    const dbC = openSqliteDatabase(join(dir, 'third.sqlite'), MIGRATIONS);
    const c = BackgroundCheckpointer.start(dbC, { intervalMs: 50 });
    expect(BackgroundCheckpointer.liveWorkers).toBe(1);
    await c.stop();
    dbC.close();
  });

  it('hands checkpoints back to the connection the worker cannot serve, and keeps serving the others', async () => {
    const healthy = openSqliteDatabase(join(dir, 'healthy.sqlite'), MIGRATIONS);
    const healthyCheckpointer = BackgroundCheckpointer.start(healthy, { intervalMs: 50 });
    const db = openSqliteDatabase(file, MIGRATIONS);
    const autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true });
    // The main connection keeps the unlinked file open; the worker, opening it by name, finds nothing.
    unlinkSync(file);
    const checkpointer = BackgroundCheckpointer.start(db, { intervalMs: 50 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await eventually(() => db.pragma('wal_autocheckpoint', { simple: true }) === autocheckpoint);

    await insertRows(db, 10);
    await checkpointer.stop();
    expect(db.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: 10 });
    db.close();

    expect(healthy.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await insertRows(healthy, 1000);
    await eventually(() => sizeOf(healthy.name) === sizeOfDatabase(healthy));
    await healthyCheckpointer.stop();
    healthy.close();
  });

  it('starts nothing for an in-memory database', async () => {
    const db = openSqliteDatabase(':memory:', MIGRATIONS);
    const checkpointer = BackgroundCheckpointer.start(db);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await checkpointer.stop();
    db.close();
  });
});
