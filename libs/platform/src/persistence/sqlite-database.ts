import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqliteDatabase = Database.Database;

/** One schema step. Versions are applied in order, each once, recorded in PRAGMA user_version. */
export interface SqliteMigration {
  version: number;
  sql: string;
}

/**
 * Opens (creating if needed) one module's database file and brings its schema up to date.
 * Each module owns its own file, so a module split into its own process takes its data with it.
 */
export function openSqliteDatabase(file: string, migrations: SqliteMigration[]): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

function migrate(db: SqliteDatabase, migrations: SqliteMigration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const pending = [...migrations].sort((a, b) => a.version - b.version).filter((m) => m.version > current);
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
