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
  {
    // Web Push: a device's subscription lives on its session, so there is one per device and it ends with the
    // session (sign-out, revocation, expiry) by construction.
    version: 2,
    sql: `
      ALTER TABLE sessions ADD COLUMN push_endpoint TEXT;
      ALTER TABLE sessions ADD COLUMN push_p256dh TEXT;
      ALTER TABLE sessions ADD COLUMN push_auth TEXT;
      -- The push service's "gone" names an endpoint, and an endpoint moves to whichever session subscribes it.
      CREATE INDEX sessions_by_push_endpoint ON sessions (push_endpoint) WHERE push_endpoint IS NOT NULL;
    `,
  },
];
