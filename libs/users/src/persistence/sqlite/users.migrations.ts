import { SQLITE_OUTBOX_TABLE, SqliteMigration } from '@chat/platform';

export const USERS_MIGRATIONS: SqliteMigration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        avatar_url TEXT,
        created_at INTEGER NOT NULL
      );
      -- Search walks this index from the cursor: a bounded range scan ordered as the pages are.
      CREATE INDEX users_by_name ON users (name_key, id);
    `,
  },
  {
    // Profile changes reach the people who share a chat with the user (issue 13): user.updated is recorded in an
    // outbox with the change and relayed after the commit, instead of published after it (lost in a crash between).
    version: 2,
    sql: `
      ${SQLITE_OUTBOX_TABLE}
    `,
  },
];
