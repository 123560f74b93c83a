import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from './sqlite-database';

export interface BackgroundCheckpointerOptions {
  /** How often the worker copies the WAL into the database file. */
  intervalMs?: number;
  /** WAL size past which the worker forces the WAL back to its start (see RESTART below). */
  restartAtBytes?: number;
}

/*
 * One worker serves every file database of the process: a thread costs ~10 MB of memory, and its work (one
 * PASSIVE per file and interval, which for an idle file finds nothing to copy) is far from filling one thread.
 * It holds its own connection per database, keyed by an id from the main thread (not the file name, so the same
 * file opened twice stays two entries), and answers `removed` once it has closed one, or `failed` when it cannot
 * checkpoint one (that database alone goes back to checkpointing inline). One timer ticks over all of them.
 *
 * Inline (eval) so the same code runs from dist/ and from the .ts sources under jest, where a separate worker
 * file would not load. `require` in an eval worker resolves from the working directory, so the driver comes in
 * as an absolute path.
 *
 * PASSIVE never takes the write lock: it copies what it can while the main thread keeps committing. But the
 * writer only wraps back to the WAL's start when it begins a transaction with every frame already copied, which
 * under a steady stream of commits never happens, so the WAL would grow without bound. Past `restartAtBytes`,
 * RESTART forces the wrap: it takes the write lock and copies the frames written since the PASSIVE before it, so
 * the main thread waits (its busy_timeout) for that copy and two fsyncs (1 to 12 ms measured) once per
 * `restartAtBytes` of WAL, where the default autocheckpoint stalls it every 4 MB.
 * RESTART must not queue for the write lock (busy_timeout 0 once open): SQLite's busy wait polls with growing
 * sleeps, and against a busy writer it waited up to a second while the backlog it then copies under the lock grew
 * (an 85 ms stall measured). Refused, it checkpoints passively instead, and that file alone is due again 1 ms
 * later; the others keep their interval.
 * RESTART rather than TRUNCATE: the writer reuses the file's blocks instead of growing it again; shutdown truncates.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const files = new Map();
let timer;

function add({ id, file, intervalMs, restartAtBytes }) {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    const restartAtFrames = Math.ceil(restartAtBytes / (db.pragma('page_size', { simple: true }) + 24));
    db.pragma('busy_timeout = 0');
    files.set(id, { db, intervalMs, restartAtFrames, due: Date.now() + intervalMs });
  } catch (error) {
    db.close();
    throw error;
  }
}

function drop(id) {
  const entry = files.get(id);
  files.delete(id);
  if (entry && entry.db.open) entry.db.close();
}

function checkpoint(entry) {
  const [{ log }] = entry.db.pragma('wal_checkpoint(PASSIVE)');
  const refused = log >= entry.restartAtFrames && entry.db.pragma('wal_checkpoint(RESTART)')[0].busy === 1;
  entry.due = Date.now() + (refused ? 1 : entry.intervalMs);
}

function tick() {
  for (const [id, entry] of files) {
    if (entry.due > Date.now()) continue;
    try {
      checkpoint(entry);
    } catch {
      drop(id);
      parentPort.postMessage({ type: 'failed', id });
    }
  }
  schedule();
}

function schedule() {
  clearTimeout(timer);
  if (files.size === 0) return;
  let next = Infinity;
  for (const entry of files.values()) next = Math.min(next, entry.due);
  timer = setTimeout(tick, Math.max(0, next - Date.now()));
}

parentPort.on('message', (message) => {
  if (message.type === 'add') {
    try {
      add(message);
    } catch {
      parentPort.postMessage({ type: 'failed', id: message.id });
    }
  } else if (message.type === 'remove') {
    drop(message.id);
    parentPort.postMessage({ type: 'removed', id: message.id });
  } else if (message.type === 'end') {
    for (const id of [...files.keys()]) drop(id);
    parentPort.close();
  }
  schedule();
});
`;

/*
 * 250 ms: an idle database costs a PASSIVE that finds nothing to copy (no I/O), and a busy one hands the worker
 * at most ~25 MB a tick (~20 KB of WAL per message at ~5,000 messages/s), under the restart bound.
 */
const DEFAULTS: Required<BackgroundCheckpointerOptions> = { intervalMs: 250, restartAtBytes: 64 * 1024 * 1024 };
const STOP_GRACE_MS = 10_000;

interface Member {
  db: SqliteDatabase;
  /** The connection's own setting, handed back if the worker cannot checkpoint for it. */
  autocheckpoint: number;
  /** Set by remove(): the worker is closing this member's connection, and this resolves once it has. */
  removed?: () => void;
}

/**
 * The process's checkpoint worker: made on the first database started, ended when the last one stops (so tests
 * and shutdown leave no thread behind, and a later start makes a new one).
 */
class CheckpointWorker {
  private static current: CheckpointWorker | null = null;
  private static live = 0;
  private static lastId = 0;

  static get liveWorkers(): number {
    return CheckpointWorker.live;
  }

  static acquire(): CheckpointWorker {
    return (CheckpointWorker.current ??= new CheckpointWorker());
  }

  private readonly worker: Worker;
  private readonly members = new Map<number, Member>();
  /** Members not being removed: when none are left, the worker is told to end. */
  private active = 0;
  private readonly exited: Promise<void>;

  private constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: require.resolve('better-sqlite3') } });
    CheckpointWorker.live++;
    // Never what keeps the process alive: shutdown stops it, and a process that exits without shutdown loses
    // nothing (the WAL is durable; the next open or checkpoint copies it).
    this.worker.unref();
    // Without a listener a worker's error would be rethrown on the main thread and end the server. The platform has
    // no logger here, so the failure is silent but safe: the exit below hands checkpoints back to SQLite.
    this.worker.on('error', () => undefined);
    this.worker.on('message', ({ type, id }: { type: 'removed' | 'failed'; id: number }) => {
      const member = this.members.get(id);
      if (!member) return;
      if (type === 'failed') this.handBack(member);
      else {
        this.members.delete(id);
        member.removed?.();
      }
    });
    this.exited = new Promise((done) =>
      this.worker.once('exit', () => {
        CheckpointWorker.live--;
        if (CheckpointWorker.current === this) CheckpointWorker.current = null;
        // A worker gone before its databases stopped leaves no one to copy their WALs, which would then grow
        // without bound: each connection checkpoints inline again, as it did before.
        for (const member of this.members.values()) {
          if (member.removed) member.removed();
          else this.handBack(member);
        }
        this.members.clear();
        done();
      }),
    );
  }

  add(db: SqliteDatabase, options: BackgroundCheckpointerOptions): number {
    const id = ++CheckpointWorker.lastId;
    const autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    db.pragma('wal_autocheckpoint = 0');
    this.members.set(id, { db, autocheckpoint });
    this.active++;
    this.worker.postMessage({ type: 'add', id, file: resolve(db.name), ...DEFAULTS, ...options });
    return id;
  }

  /** Resolves once the worker has closed this database's connection, and for the last one, once it has ended. */
  async remove(id: number): Promise<void> {
    const member = this.members.get(id);
    if (!member || member.removed) return;
    const removed = new Promise<void>((done) => (member.removed = done));
    this.worker.postMessage({ type: 'remove', id });
    const last = --this.active === 0;
    if (last) {
      // From here on this worker takes no new database: the next start() makes a new one.
      if (CheckpointWorker.current === this) CheckpointWorker.current = null;
      this.worker.postMessage({ type: 'end' });
    }
    // A worker stuck past the grace is ended, which hands every database still on it back to its connection.
    const grace = setTimeout(() => void this.worker.terminate(), STOP_GRACE_MS);
    await removed;
    if (last) await this.exited;
    clearTimeout(grace);
  }

  private handBack(member: Member): void {
    if (member.db.open) member.db.pragma(`wal_autocheckpoint = ${member.autocheckpoint}`);
  }
}

/**
 * Checkpoints a WAL database file from the process's checkpoint worker thread, so the main thread's commits never
 * copy pages into the database file nor wait for its fsync (with the default autocheckpoint, the commit that
 * crosses 1,000 pages does both, inline on the event loop). An in-memory database has no WAL: nothing starts, and
 * stop() only closes out.
 */
export class BackgroundCheckpointer {
  private stopped = false;

  private constructor(
    private readonly db: SqliteDatabase,
    private readonly worker: CheckpointWorker | null,
    private readonly id: number,
  ) {}

  static start(db: SqliteDatabase, options: BackgroundCheckpointerOptions = {}): BackgroundCheckpointer {
    if (db.memory) return new BackgroundCheckpointer(db, null, 0);
    const worker = CheckpointWorker.acquire();
    return new BackgroundCheckpointer(db, worker, worker.add(db, options));
  }

  /** How many checkpoint worker threads are running in this process: one while any file database is started. */
  static get liveWorkers(): number {
    return CheckpointWorker.liveWorkers;
  }

  /**
   * Takes the database off the worker (waiting for its checkpoint in progress and for it to close its connection,
   * and when it was the last, for the worker to end), then empties the WAL from the main connection, so the
   * database closes with everything in its file. Call before db.close().
   */
  async stop(): Promise<void> {
    if (this.worker && !this.stopped) {
      this.stopped = true;
      await this.worker.remove(this.id);
    }
    if (this.db.open) this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
