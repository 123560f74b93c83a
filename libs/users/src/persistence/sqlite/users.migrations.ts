import { SqliteMigration } from '@chat/platform';

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
];
