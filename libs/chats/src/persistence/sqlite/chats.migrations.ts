import { SqliteMigration } from '@chat/platform';

export const CHATS_MIGRATIONS: SqliteMigration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE chats (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
        -- Unique: one 1:1 chat per pair, also when two requests race to create it. NULL (groups) never collides.
        pair_key TEXT UNIQUE,
        title TEXT,
        avatar_url TEXT,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0,
        last_activity_at INTEGER NOT NULL,
        last_message TEXT
      );
      CREATE TABLE chat_members (
        chat_id TEXT NOT NULL REFERENCES chats (id),
        user_id TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
        joined_at INTEGER NOT NULL,
        last_delivered_seq INTEGER NOT NULL DEFAULT 0,
        last_delivered_at INTEGER,
        last_read_seq INTEGER NOT NULL DEFAULT 0,
        last_read_at INTEGER,
        unread_count INTEGER NOT NULL DEFAULT 0,
        hidden INTEGER NOT NULL DEFAULT 0,
        muted INTEGER NOT NULL DEFAULT 0,
        -- The chat's last activity, copied here so one index orders a user's chat list.
        activity_at INTEGER NOT NULL,
        PRIMARY KEY (chat_id, user_id)
      ) WITHOUT ROWID;
      -- The chat list walks this index from the cursor: a bounded range scan in page order.
      CREATE INDEX chat_members_by_user_activity ON chat_members (user_id, hidden, activity_at, chat_id);
    `,
  },
];
