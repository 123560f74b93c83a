import { SQLITE_OUTBOX_TABLE, SqliteMigration } from '@chat/platform';

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
  {
    // Message events may arrive out of order (concurrent consumers, a redelivery after a later message), so
    // "applied" is remembered per seq, not as "everything up to last_seq". Seqs up to applied_floor (the chats'
    // last_seq when this step ran) count as applied: they were handled by the in-order rule of version 1.
    version: 2,
    sql: `
      ALTER TABLE chats ADD COLUMN applied_floor INTEGER NOT NULL DEFAULT 0;
      UPDATE chats SET applied_floor = last_seq;
      CREATE TABLE chat_applied_messages (
        chat_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (chat_id, seq)
      ) WITHOUT ROWID;
      -- Pointers stop at last_seq. A read beyond it (a message pushed to the client before Chats applied its
      -- event) is kept here and honoured by the events of messages created before that read, and no others.
      ALTER TABLE chat_members ADD COLUMN read_ahead_seq INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE chat_members ADD COLUMN read_ahead_at INTEGER;
    `,
  },
  {
    // When the member hid the chat. Only a message created after it brings the chat back: the event of a message
    // the member saw before hiding may be applied after the hide. NULL (chats hidden before this step): any newer
    // message brings it back, as before.
    version: 3,
    sql: 'ALTER TABLE chat_members ADD COLUMN hidden_at INTEGER;',
  },
  {
    // Counters are derived, not kept: unread is the chat's last seq less the member's read pointer, and a hidden
    // chat is listed again once its last activity passes hidden_at. So a new message writes the chat row and its
    // sender's row only, whatever the size of the group, and its events merge by maximum in any order: the
    // applied-seq table, the read-ahead columns and the per-member activity copy go. Membership changes carry a
    // version and are recorded in the outbox; every chat's current membership is recorded once here, so Messages
    // builds its projection from it.
    version: 4,
    sql: `
      ALTER TABLE chats ADD COLUMN members_version INTEGER NOT NULL DEFAULT 1;
      UPDATE chat_members SET hidden_at = (SELECT c.last_activity_at FROM chats c WHERE c.id = chat_members.chat_id)
        WHERE hidden = 1 AND hidden_at IS NULL;
      UPDATE chat_members SET hidden_at = NULL WHERE hidden = 0;
      DROP INDEX chat_members_by_user_activity;
      ALTER TABLE chat_members DROP COLUMN hidden;
      ALTER TABLE chat_members DROP COLUMN unread_count;
      ALTER TABLE chat_members DROP COLUMN activity_at;
      ALTER TABLE chat_members DROP COLUMN read_ahead_seq;
      ALTER TABLE chat_members DROP COLUMN read_ahead_at;
      DROP TABLE chat_applied_messages;
      ALTER TABLE chats DROP COLUMN applied_floor;
      -- A user's chats: a range of this index; then, for the chat list's order, each chat's activity from a covering
      -- index (the chat row, with its preview, is read for the page's rows only).
      CREATE INDEX chat_members_by_user ON chat_members (user_id, chat_id);
      CREATE INDEX chats_by_id_activity ON chats (id, last_activity_at);
      ${SQLITE_OUTBOX_TABLE}
      INSERT INTO outbox (pattern, payload, recorded_at)
        SELECT 'chat.members-changed',
          json_object('chatId', c.id, 'kind', c.kind, 'version', 1,
            'memberIds', (SELECT json_group_array(m.user_id) FROM chat_members m WHERE m.chat_id = c.id),
            'added', json('[]'), 'removed', json('[]')),
          c.created_at
        FROM chats c ORDER BY c.created_at;
    `,
  },
  {
    // Groups: whether new members see the messages sent before they joined (an admin setting, off by default). A
    // group that existed before this step keeps showing its members everything, as it did (Messages keeps the
    // floors of its existing members at 0; only members who join from now on start at their join).
    version: 5,
    sql: 'ALTER TABLE chats ADD COLUMN history_visible INTEGER NOT NULL DEFAULT 0;',
  },
  {
    // Blocks (issue 13): one row per (blocker, blocked) pair, kept when lifted so the version keeps growing; the
    // change and its chat.block-changed event commit together.
    version: 6,
    sql: `
      CREATE TABLE user_blocks (
        blocker_id TEXT NOT NULL,
        blocked_id TEXT NOT NULL,
        blocked INTEGER NOT NULL,
        version INTEGER NOT NULL,
        changed_at INTEGER NOT NULL,
        PRIMARY KEY (blocker_id, blocked_id)
      ) WITHOUT ROWID;
      -- Who blocked a user: the other direction of the pair.
      CREATE INDEX user_blocks_by_blocked ON user_blocks (blocked_id, blocker_id);
    `,
  },
  {
    // Mentions (issue 14): per message with mentions, the state they were last set from (sent, edited, deleted), so
    // its events merge in any order; per mentioned member, a row while it is past their read pointer (a read drops
    // the rows it passes). Nothing per other member.
    version: 7,
    sql: `
      CREATE TABLE mention_states (
        chat_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        state TEXT NOT NULL,
        PRIMARY KEY (chat_id, seq)
      ) WITHOUT ROWID;
      CREATE TABLE unread_mentions (
        user_id TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (user_id, chat_id, seq)
      ) WITHOUT ROWID;
      -- A message's rows, replaced when an edit or a deletion changes its mentions.
      CREATE INDEX unread_mentions_by_message ON unread_mentions (chat_id, seq);
    `,
  },
];
