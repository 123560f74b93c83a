import { CapturedMailDto } from '@chat/contracts';
import { SqliteDatabase } from '@chat/platform';
import { CAPTURED_MAIL_RETENTION_MS, CapturedMailbox } from '../captured-mailbox';

interface Row {
  job_id: string;
  recipient: string;
  subject: string;
  body: string;
  captured_at: number;
}

/** better-sqlite3 writes synchronously: once `record` returns, the mail is in the file (WAL), whatever happens next. */
export class SqliteCapturedMailbox extends CapturedMailbox {
  private readonly insert;
  private readonly prune;
  private readonly page;

  constructor(db: SqliteDatabase) {
    super();
    this.insert = db.prepare('INSERT OR IGNORE INTO captured_mails (job_id, recipient, subject, body, captured_at) VALUES (?, ?, ?, ?, ?)');
    this.prune = db.prepare('DELETE FROM captured_mails WHERE captured_at < ?');
    this.page = db.prepare<[number], Row>('SELECT * FROM captured_mails ORDER BY captured_at DESC, rowid DESC LIMIT ?');
  }

  async record(mail: CapturedMailDto): Promise<boolean> {
    const capturedAt = Date.parse(mail.capturedAt);
    const fresh = this.insert.run(mail.jobId, mail.to, mail.subject, mail.text, capturedAt).changes === 1;
    if (fresh) this.prune.run(capturedAt - CAPTURED_MAIL_RETENTION_MS);
    return fresh;
  }

  async latest(limit: number): Promise<CapturedMailDto[]> {
    return this.page.all(limit).map((row) => ({
      jobId: row.job_id,
      to: row.recipient,
      subject: row.subject,
      text: row.body,
      capturedAt: new Date(row.captured_at).toISOString(),
    }));
  }
}
