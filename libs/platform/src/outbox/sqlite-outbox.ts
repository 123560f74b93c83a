import type { SqliteDatabase } from '../persistence/sqlite-database';
import type { SqliteGroupCommit } from '../persistence/sqlite-group-commit';
import { OutboxEvent, OutboxStore, PendingOutboxEvent } from './outbox-event';

/** The outbox table, for a module's SQLite migrations. AUTOINCREMENT: ids never come back after a removal. */
export const SQLITE_OUTBOX_TABLE = `
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pattern TEXT NOT NULL,
    payload TEXT NOT NULL,
    recorded_at INTEGER NOT NULL
  );
`;

interface OutboxRow {
  id: number;
  pattern: string;
  payload: string;
  recorded_at: number;
}

/** Past this many events recorded and not yet read, the relay is not keeping up (or not running): stop keeping them. */
const MAX_REMEMBERED = 10_000;

/**
 * A module's outbox in its own SQLite file. `record` must be called inside the transaction of the change the events
 * report (better-sqlite3 is synchronous, so the relay, on the same connection, never reads an uncommitted row).
 */
export class SqliteOutbox extends OutboxStore {
  private readonly statements;
  /**
   * What this connection recorded, by rowid, until a pass reads it: the relay's pass then hands over the payload the
   * writer built instead of reading its text back and parsing it (that was about a twelfth of the module's thread
   * under load). The table stays the truth: a pass reads which ids are there (unless the group commit has told it
   * which of its transactions committed: `committed` below), and an entry whose id is not (its transaction rolled
   * back) is dropped. Sound because AUTOINCREMENT ids only grow past every committed one, so
   * the last entry made for an id that is in the table is the committed one, and because no transaction is open
   * while a pass reads (better-sqlite3 is synchronous). Payloads are plain JSON and nobody changes them once recorded.
   */
  private readonly remembered = new Map<number, OutboxEvent & { recordedAt: number }>();
  /** Recorded by a write of the group commit whose transaction has not ended yet. */
  private uncommitted: number[] = [];
  /** Recorded by the group commit's writes and committed since the table was last read to its end, not yet given out. */
  private committed: number[] = [];
  /**
   * A pass after this id (or a later one) needs no read of the table: the table held nothing past it when last read
   * to its end, and every event committed since is in `committed` (the group commit tells which of its transactions
   * committed). Infinity until the table has been read to its end, and again once an event is recorded outside the
   * group commit (its own transaction, whose end nobody tells) or forgotten. Why: under load a kicked pass read the
   * table once per commit, in a read transaction and file locks of its own, about 5% of the module's thread.
   */
  private floor = Infinity;

  /**
   * `commits`: the module's group commit, if it has one. A removal then waits for the next commit of the module's
   * writes (runDeferred) instead of paying a commit of its own (the relay removes what it handed over after every
   * pass, and under load that was one commit more per batch of messages). Until it commits, the relay keeps the
   * events in flight, so nothing is handed over twice meanwhile; a crash before it leaves them to be relayed again.
   */
  constructor(
    db: SqliteDatabase,
    private readonly commits?: SqliteGroupCommit,
  ) {
    super();
    commits?.onTransactionEnd((committed) => this.transactionEnded(committed));
    this.statements = {
      insert: db.prepare('INSERT INTO outbox (pattern, payload, recorded_at) VALUES (?, ?, ?)'),
      // The ids of a range of the rowid, after the id given (0: from the start), oldest first.
      pendingIds: db.prepare<[number, number], number>('SELECT id FROM outbox WHERE id > ? ORDER BY id LIMIT ?').pluck(),
      // One rowid lookup per id of the JSON array: the events recorded by another run (or forgotten).
      byIds: db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE id IN (SELECT value FROM json_each(?))'),
      remove: db.prepare('DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))'),
    };
  }

  /** Inside the caller's transaction. */
  record(events: OutboxEvent[], at = Date.now()): void {
    if (this.remembered.size + events.length > MAX_REMEMBERED) {
      // Nobody is reading (a relay stopped or far behind): keep nothing, and let the next pass read the table.
      this.remembered.clear();
      this.committed = [];
      this.floor = Infinity;
    }
    const inGroupCommit = this.commits?.writing ?? false;
    if (!inGroupCommit) this.floor = Infinity;
    for (const { pattern, payload } of events) {
      const id = Number(this.statements.insert.run(pattern, JSON.stringify(payload), at).lastInsertRowid);
      this.remembered.set(id, { pattern, payload, recordedAt: at });
      if (inGroupCommit) this.uncommitted.push(id);
    }
  }

  /** A rolled-back id is never given out from memory (and a later read of the table forgets it: forgetThrough). */
  private transactionEnded(committed: boolean): void {
    if (committed) for (const id of this.uncommitted) this.committed.push(id);
    this.uncommitted = [];
  }

  async pending(limit: number, after?: string): Promise<PendingOutboxEvent[]> {
    if (after !== undefined && Number(after) >= this.floor && this.uncommitted.length === 0) {
      const committed = this.committedAfter(Number(after), limit);
      if (committed) return committed;
    }
    const from = after === undefined ? 0 : Number(after);
    const ids = this.statements.pendingIds.all(from, limit);
    const unknown = ids.filter((id) => !this.remembered.has(id));
    const rows = new Map(unknown.length ? this.statements.byIds.all(JSON.stringify(unknown)).map((row) => [row.id, row]) : []);
    const events = ids.map((id): PendingOutboxEvent => {
      const event = this.remembered.get(id);
      if (event) return { id: String(id), ...event };
      const row = rows.get(id)!;
      return { id: String(id), pattern: row.pattern, payload: JSON.parse(row.payload), recordedAt: row.recorded_at };
    });
    if (ids.length < limit) {
      // Read to the table's end: everything committed so far is at or below the floor.
      this.forgetThrough(Infinity);
      this.floor = Math.max(from, ...ids.slice(-1));
    } else {
      this.forgetThrough(ids[ids.length - 1]);
      this.floor = Infinity;
    }
    return events;
  }

  /**
   * Entries up to `id` are read now, or were rolled back: ids only grow past committed ones, so none of them can
   * still commit. (A later pass of the poll reads an event whose delivery failed from the table.)
   */
  private forgetThrough(id: number): void {
    if (id === Infinity) {
      this.remembered.clear();
      this.committed = [];
      return;
    }
    for (const key of this.remembered.keys()) {
      if (key > id) break;
      this.remembered.delete(key);
    }
    this.committed = this.committed.filter((key) => key > id);
  }

  /**
   * The group commit's committed events after `after`, without reading the table (better-sqlite3 is synchronous, so
   * no transaction is open now). Null when a payload is no longer remembered: read the table.
   */
  private committedAfter(after: number, limit: number): PendingOutboxEvent[] | null {
    const ids = this.committed.filter((id) => id > after).slice(0, limit);
    if (!ids.every((id) => this.remembered.has(id))) return null;
    const events = ids.map((id): PendingOutboxEvent => ({ id: String(id), ...this.remembered.get(id)! }));
    if (ids.length > 0) {
      const last = ids[ids.length - 1];
      this.forgetThrough(last);
      this.floor = Math.max(this.floor, last);
    }
    return events;
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const remove = () => this.statements.remove.run(JSON.stringify(ids.map(Number)));
    if (this.commits) await this.commits.runDeferred(remove);
    else remove();
  }
}
