import type { SqliteDatabase } from '../persistence/sqlite-database';
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

  constructor(db: SqliteDatabase) {
    super();
    this.statements = {
      insert: db.prepare('INSERT INTO outbox (pattern, payload, recorded_at) VALUES (?, ?, ?)'),
      // A range of the rowid from the start: the oldest first.
      pending: db.prepare<[number], OutboxRow>('SELECT * FROM outbox ORDER BY id LIMIT ?'),
      remove: db.prepare('DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))'),
    };
  }

  /** Inside the caller's transaction. */
  record(events: OutboxEvent[], at = Date.now()): void {
    for (const event of events) this.statements.insert.run(event.pattern, JSON.stringify(event.payload), at);
  }

  async pending(limit: number): Promise<PendingOutboxEvent[]> {
    return this.statements.pending.all(limit).map((row) => ({
      id: String(row.id),
      pattern: row.pattern,
      payload: JSON.parse(row.payload),
      recordedAt: row.recorded_at,
    }));
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length) this.statements.remove.run(JSON.stringify(ids.map(Number)));
  }
}
