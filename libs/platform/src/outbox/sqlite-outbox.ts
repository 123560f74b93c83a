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
   * under load). The table stays the truth: a pass still reads which ids are there, and an entry whose id is not
   * (its transaction rolled back) is dropped. Sound because AUTOINCREMENT ids only grow past every committed one, so
   * the last entry made for an id that is in the table is the committed one, and because no transaction is open
   * while a pass reads (better-sqlite3 is synchronous). Payloads are plain JSON and nobody changes them once recorded.
   */
  private readonly remembered = new Map<number, OutboxEvent & { recordedAt: number }>();

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
    if (this.remembered.size + events.length > MAX_REMEMBERED) this.remembered.clear();
    for (const { pattern, payload } of events) {
      const id = Number(this.statements.insert.run(pattern, JSON.stringify(payload), at).lastInsertRowid);
      this.remembered.set(id, { pattern, payload, recordedAt: at });
    }
  }

  async pending(limit: number, after?: string): Promise<PendingOutboxEvent[]> {
    const ids = this.statements.pendingIds.all(after === undefined ? 0 : Number(after), limit);
    const unknown = ids.filter((id) => !this.remembered.has(id));
    const rows = new Map(unknown.length ? this.statements.byIds.all(JSON.stringify(unknown)).map((row) => [row.id, row]) : []);
    const events = ids.map((id): PendingOutboxEvent => {
      const event = this.remembered.get(id);
      if (event) return { id: String(id), ...event };
      const row = rows.get(id)!;
      return { id: String(id), pattern: row.pattern, payload: JSON.parse(row.payload), recordedAt: row.recorded_at };
    });
    this.forgetThrough(ids.length < limit ? Infinity : ids[ids.length - 1]);
    return events;
  }

  /**
   * Entries up to `id` are read now, or were rolled back: ids only grow past committed ones, so none of them can
   * still commit. (A later pass of the poll reads an event whose delivery failed from the table.)
   */
  private forgetThrough(id: number): void {
    if (id === Infinity) return this.remembered.clear();
    for (const key of this.remembered.keys()) {
      if (key > id) break;
      this.remembered.delete(key);
    }
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const remove = () => this.statements.remove.run(JSON.stringify(ids.map(Number)));
    if (this.commits) await this.commits.runDeferred(remove);
    else remove();
  }
}
