import { SqliteMigration } from '@chat/platform';

export const MESSAGES_MIGRATIONS: SqliteMigration[] = [
  {
    version: 1,
    sql: `
      -- Clustered on (chat_id, seq): a history page is one contiguous range of the table itself,
      -- as fast at seq 1 as at the newest message.
      CREATE TABLE messages (
        chat_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        sender_id TEXT NOT NULL,
        client_message_id TEXT NOT NULL,
        text TEXT,
        image TEXT,
        reply_to_id TEXT,
        created_at INTEGER NOT NULL,
        edited_at INTEGER,
        deleted_at INTEGER,
        PRIMARY KEY (chat_id, seq)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX messages_by_id ON messages (id);
      -- Idempotent sends: a retry of one client message id finds the stored message; two racing inserts cannot both commit.
      CREATE UNIQUE INDEX messages_by_client_id ON messages (chat_id, sender_id, client_message_id);
      -- Delete for me: one row per (user, message), probed by primary key for each message of a page.
      CREATE TABLE message_hides (
        user_id TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        hidden_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, chat_id, seq)
      ) WITHOUT ROWID;
    `,
  },
];
