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
 * (an 85 ms stall measured). Refused, it checkpoints passively instead, and the worker tries again 1 ms later.
 * RESTART rather than TRUNCATE: the writer reuses the file's blocks instead of growing it again; shutdown truncates.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const restartAtFrames = Math.ceil(workerData.restartAtBytes / (db.pragma('page_size', { simple: true }) + 24));
db.pragma('busy_timeout = 0');
let timer;
function tick() {
  const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)');
  const refused = log >= restartAtFrames && db.pragma('wal_checkpoint(RESTART)')[0].busy === 1;
  timer = setTimeout(tick, refused ? 1 : workerData.intervalMs);
}
timer = setTimeout(tick, workerData.intervalMs);
parentPort.once('message', () => {
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
`;

/*
 * 250 ms: an idle database costs a PASSIVE that finds nothing to copy (no I/O), and a busy one hands the worker
 * at most ~25 MB a tick (~20 KB of WAL per message at ~5,000 messages/s), under the restart bound.
 */
const DEFAULTS: Required<BackgroundCheckpointerOptions> = { intervalMs: 250, restartAtBytes: 64 * 1024 * 1024 };
const STOP_GRACE_MS = 10_000;

/**
 * Checkpoints a WAL database file from a worker thread, so the main thread's commits never copy pages into the
 * database file nor wait for its fsync (with the default autocheckpoint, the commit that crosses 1,000 pages does
 * both, inline on the event loop). An in-memory database has no WAL: nothing starts, and stop() only closes out.
 */
export class BackgroundCheckpointer {
  private readonly worker: Worker | null = null;
  private readonly exited: Promise<void> = Promise.resolve();
  private stopping = false;

  private constructor(
    private readonly db: SqliteDatabase,
    options: BackgroundCheckpointerOptions,
  ) {
    if (db.memory) return;
    const autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    db.pragma('wal_autocheckpoint = 0');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file: resolve(db.name), ...DEFAULTS, ...options },
    });
    // Never what keeps the process alive: shutdown stops it, and a process that exits without shutdown loses
    // nothing (the WAL is durable; the next open or checkpoint copies it).
    worker.unref();
    // Without a listener a worker's error would be rethrown on the main thread and end the server. The platform has
    // no logger here, so the failure is silent but safe: the exit below hands checkpoints back to SQLite.
    worker.on('error', () => undefined);
    this.exited = new Promise((done) =>
      worker.once('exit', () => {
        // A worker gone before stop() leaves no one to copy the WAL, which would then grow without bound:
        // the connection checkpoints inline again, as it did before.
        if (!this.stopping && db.open) db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
        done();
      }),
    );
    this.worker = worker;
  }

  static start(db: SqliteDatabase, options: BackgroundCheckpointerOptions = {}): BackgroundCheckpointer {
    return new BackgroundCheckpointer(db, options);
  }

  /**
   * Stops the worker (waiting for its checkpoint in progress and for it to close its connection), then empties the
   * WAL from the main connection, so the database closes with everything in its file. Call before db.close().
   */
  async stop(): Promise<void> {
    if (this.worker && !this.stopping) {
      this.stopping = true;
      this.worker.postMessage('stop');
      const grace = setTimeout(() => void this.worker!.terminate(), STOP_GRACE_MS);
      await this.exited;
      clearTimeout(grace);
    }
    if (this.db.open) this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
