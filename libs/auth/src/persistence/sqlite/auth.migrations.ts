import { SqliteMigration } from '@chat/platform';

export const AUTH_MIGRATIONS: SqliteMigration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        refresh_token_id TEXT NOT NULL,
        user_agent TEXT,
        ip TEXT,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      -- The device list: one user's sessions, newest use first.
      CREATE INDEX sessions_by_user ON sessions (user_id, last_used_at DESC);
    `,
  },
];
