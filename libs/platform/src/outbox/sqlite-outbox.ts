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

/**
 * A module's outbox in its own SQLite file. `record` must be called inside the transaction of the change the events
 * report (better-sqlite3 is synchronous, so the relay, on the same connection, never reads an uncommitted row).
 */
export class SqliteOutbox extends OutboxStore {
  private readonly statements;

  /**
   * `commits`: the module's group commit, if it has one. A removal then shares the next commit of the module's
   * writes instead of paying a commit of its own (the relay removes what it handed over after every pass, and
   * under load that was one commit more per batch of messages).
   */
  constructor(
    db: SqliteDatabase,
    private readonly commits?: SqliteGroupCommit,
  ) {
    super();
    this.statements = {
      insert: db.prepare('INSERT INTO outbox (pattern, payload, recorded_at) VALUES (?, ?, ?)'),
      // A range of the rowid from the start: the oldest first.
      pending: db.prepare<[number], OutboxRow>('SELECT * FROM outbox ORDER BY id LIMIT ?'),
      // The same range, from just after the id given.
      pendingAfter: db.prepare<[number, number], OutboxRow>('SELECT * FROM outbox WHERE id > ? ORDER BY id LIMIT ?'),
      remove: db.prepare('DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))'),
    };
  }

  /** Inside the caller's transaction. */
  record(events: OutboxEvent[], at = Date.now()): void {
    for (const event of events) this.statements.insert.run(event.pattern, JSON.stringify(event.payload), at);
  }

  async pending(limit: number, after?: string): Promise<PendingOutboxEvent[]> {
    const rows = after === undefined ? this.statements.pending.all(limit) : this.statements.pendingAfter.all(Number(after), limit);
    return rows.map((row) => ({
      id: String(row.id),
      pattern: row.pattern,
      payload: JSON.parse(row.payload),
      recordedAt: row.recorded_at,
    }));
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const remove = () => this.statements.remove.run(JSON.stringify(ids.map(Number)));
    if (this.commits) await this.commits.run(remove);
    else remove();
  }
}
