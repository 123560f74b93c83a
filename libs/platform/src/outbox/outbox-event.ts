/** An event a module recorded in its own store, in the same transaction as the change it reports. */
export interface OutboxEvent {
  pattern: string;
  /** Plain JSON: it is stored as text and crosses a boundary when relayed. */
  payload: unknown;
}

/** An event waiting in the outbox, in the order it was recorded. */
export interface PendingOutboxEvent extends OutboxEvent {
  /** Store-made, increasing in recording order (SQLite rowid; MongoDB ObjectId). */
  id: string;
  recordedAt: number;
}

/**
 * Where a module's outbox lives (its own SQLite file or MongoDB collection). Recording happens inside the module's
 * own write transactions (each adapter has its own way to do that); the relay only reads and removes.
 */
export abstract class OutboxStore {
  /** The oldest recorded events, in recording order; with `after`, those recorded after that id. */
  abstract pending(limit: number, after?: string): Promise<PendingOutboxEvent[]>;
  /** Removes events once every subscriber has them (relayed). Removing an id twice is harmless. */
  abstract remove(ids: string[]): Promise<void>;

  /** Orders two ids as recorded: SQLite rowids (decimal, no leading zeros) and ObjectIds (hex of one length) alike. */
  compareIds(a: string, b: string): number {
    return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  }
}
