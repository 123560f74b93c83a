import { SqliteMigration } from '@chat/platform';

export const MAIL_MIGRATIONS: SqliteMigration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE captured_mails (
        job_id TEXT PRIMARY KEY,
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        captured_at INTEGER NOT NULL
      );
      CREATE INDEX captured_mails_by_time ON captured_mails (captured_at);
    `,
  },
];
