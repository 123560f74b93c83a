import { SQLITE_OUTBOX_TABLE, SqliteMigration } from '@chat/platform';

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
  {
    // Catch-up of edits and deletes. Each edit or delete-for-everyone gives the message its chat's next change
    // number (MAX + 1 under the write lock, so numbers commit in order); a client that has seen every change up
    // to N asks for change_seq > N. Numbers are the server's: client clocks never matter.
    version: 2,
    sql: `
      ALTER TABLE messages ADD COLUMN change_seq INTEGER;
      -- Messages changed before this step are numbered per chat in the order they changed, so every edited or
      -- deleted message has a number and new changes number after them.
      UPDATE messages AS m SET change_seq = numbered.n
      FROM (
        SELECT chat_id, seq, ROW_NUMBER() OVER (PARTITION BY chat_id ORDER BY COALESCE(deleted_at, edited_at), seq) AS n
        FROM messages WHERE edited_at IS NOT NULL OR deleted_at IS NOT NULL
      ) AS numbered
      WHERE m.chat_id = numbered.chat_id AND m.seq = numbered.seq;
      -- Only changed messages are in it. "Changed after N" is a bounded range scan of it in change order, and
      -- the chat's newest number one seek to the end of its range. Unique: one number, one change.
      CREATE UNIQUE INDEX messages_by_change ON messages (chat_id, change_seq) WHERE change_seq IS NOT NULL;
    `,
  },
  {
    // Messages keeps what a send needs without asking Chats: each chat's membership (a projection of Chats'
    // chat.members-changed, newest version wins) and each member's pointers, which Messages owns: only it knows a
    // chat's true last seq, so only it can stop a pointer there. And the outbox: events recorded with their change.
    version: 3,
    sql: `
      CREATE TABLE chat_memberships (
        chat_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        version INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE chat_members (
        chat_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        last_read_seq INTEGER NOT NULL,
        last_read_at INTEGER,
        last_delivered_seq INTEGER NOT NULL,
        last_delivered_at INTEGER,
        PRIMARY KEY (chat_id, user_id)
      ) WITHOUT ROWID;
      ${SQLITE_OUTBOX_TABLE}
    `,
  },
  {
    // Files and voice messages: the FileRef as JSON beside the image column (a message carries one or the other).
    version: 4,
    sql: `
      ALTER TABLE messages ADD COLUMN file TEXT;
    `,
  },
  {
    // Groups: the timeline's system lines (created, renamed, member added...) are messages with a `system` JSON
    // and no text; each member has a floor, the first seq they may see (set when they join; 0 for the members
    // there before this step, who keep seeing everything they saw).
    version: 5,
    sql: `
      ALTER TABLE messages ADD COLUMN system TEXT;
      ALTER TABLE chat_members ADD COLUMN visible_from_seq INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    // Reactions: one row per (message, emoji, member), so a member has each emoji once and adding one writes one
    // row whatever the group's size. Keyed by the message's (chat_id, seq): a page's reactions are one range per
    // message of the primary key, and a message's are removed with it when deleted for everyone.
    version: 6,
    sql: `
      CREATE TABLE message_reactions (
        chat_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        emoji TEXT NOT NULL,
        user_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (chat_id, seq, emoji, user_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    // Message actions (issue 13): forwarded copies, pins, and a projection of Chats' blocks (so a 1:1 send learns of
    // a block without asking Chats). A forwarded copy shares its original's media file: the expression index finds
    // the other messages that still show a key, so the file goes only with the last of them.
    version: 7,
    sql: `
      ALTER TABLE messages ADD COLUMN forwarded INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX messages_by_media_key ON messages (json_extract(image, '$.key')) WHERE image IS NOT NULL;
      CREATE INDEX messages_by_file_key ON messages (json_extract(file, '$.key')) WHERE file IS NOT NULL;
      -- A chat's pins are one range of the primary key (a handful per chat).
      CREATE TABLE message_pins (
        chat_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        pinned_by TEXT NOT NULL,
        pinned_at INTEGER NOT NULL,
        PRIMARY KEY (chat_id, message_id)
      ) WITHOUT ROWID;
      -- Newest version per (blocker, blocked) pair; a lifted block stays as blocked = 0 so a late older event loses.
      CREATE TABLE user_blocks (
        blocker_id TEXT NOT NULL,
        blocked_id TEXT NOT NULL,
        blocked INTEGER NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (blocker_id, blocked_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    // Full-text search. message_search_rows numbers messages in the order they were stored (its rowid), and
    // message_search (FTS5, contentless: the text stays in messages only) indexes each live text under that
    // number, with its chat's token (fts-query.ts) so a search in one chat intersects two lists instead of scanning
    // every match. Newest-first is FTS5's own descending rowid order: the first page reads only as many matches
    // as it needs. Kept in step in the transaction of every insert, edit and delete for everyone.
    version: 8,
    sql: `
      CREATE TABLE message_search_rows (
        id INTEGER PRIMARY KEY,
        chat_id TEXT NOT NULL,
        seq INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX message_search_rows_by_message ON message_search_rows (chat_id, seq);
      CREATE VIRTUAL TABLE message_search USING fts5(
        text, chat,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2'
      );
      INSERT INTO message_search_rows (chat_id, seq) SELECT chat_id, seq FROM messages ORDER BY created_at, chat_id, seq;
      INSERT INTO message_search (rowid, text, chat)
        SELECT r.id, m.text, 'c' || replace(replace(m.chat_id, '-', ''), '_', '')
        FROM message_search_rows r JOIN messages m ON m.chat_id = r.chat_id AND m.seq = r.seq
        WHERE m.deleted_at IS NULL AND m.text IS NOT NULL;
    `,
  },
  {
    // A message's search number kept in its own row, where an edit or a delete for everyone finds it, instead of in
    // an index on (chat_id, seq): every new message wrote a page of that index (a random one: its chat's), about
    // one WAL page in six of an insert. The row is written anyway, and message_search_rows only grows at its end.
    version: 9,
    sql: `
      ALTER TABLE messages ADD COLUMN search_id INTEGER;
      UPDATE messages SET search_id = (SELECT r.id FROM message_search_rows r WHERE r.chat_id = messages.chat_id AND r.seq = messages.seq);
      DROP INDEX message_search_rows_by_message;
    `,
  },
];
