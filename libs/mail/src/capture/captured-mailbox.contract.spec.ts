import 'reflect-metadata';
import { openSqliteDatabase } from '@chat/platform';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { CapturedMailbox } from './captured-mailbox';
import { CapturedMailDocument, CapturedMailSchema } from './mongo/captured-mail.schema';
import { MongoCapturedMailbox } from './mongo/mongo-captured-mailbox';
import { MAIL_MIGRATIONS } from './sqlite/mail.migrations';
import { SqliteCapturedMailbox } from './sqlite/sqlite-captured-mailbox';

interface Adapter {
  name: string;
  /** `reopen` gives a new mailbox over the same data: what a restarted process sees. */
  create(): Promise<{ mailbox: CapturedMailbox; reopen(): Promise<CapturedMailbox>; cleanup(): Promise<void> }>;
}

const ADAPTERS: Adapter[] = [
  {
    name: 'sqlite',
    create: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mailbox-'));
      const file = join(dir, 'mail.sqlite');
      const dbs = [openSqliteDatabase(file, MAIL_MIGRATIONS)];
      return {
        mailbox: new SqliteCapturedMailbox(dbs[0]),
        reopen: async () => {
          dbs.push(openSqliteDatabase(file, MAIL_MIGRATIONS));
          return new SqliteCapturedMailbox(dbs[dbs.length - 1]);
        },
        cleanup: async () => {
          for (const db of dbs) db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

// MongoDB runs wherever MONGODB_URI points at one (none can be installed on this project's machines).
if (process.env.MONGODB_URI) {
  const uri = process.env.MONGODB_URI;
  ADAPTERS.push({
    name: 'mongodb',
    create: async () => {
      const connection = await mongoose.createConnection(uri, { dbName: `mail_contract_${randomBytes(4).toString('hex')}` }).asPromise();
      const model = connection.model<CapturedMailDocument>(CapturedMailDocument.name, CapturedMailSchema);
      await model.init();
      return {
        mailbox: new MongoCapturedMailbox(model),
        reopen: async () => new MongoCapturedMailbox(model),
        cleanup: async () => {
          await connection.dropDatabase();
          await connection.close();
        },
      };
    },
  });
}

const mail = (jobId: string, at: number, to = 'ada@example.com') => ({
  jobId,
  to,
  subject: `Your sign-in code: ${jobId}`,
  text: `Your sign-in code: ${jobId}`,
  capturedAt: new Date(at).toISOString(),
});

describe.each(ADAPTERS)('CapturedMailbox contract ($name)', (adapter) => {
  let subject: Awaited<ReturnType<Adapter['create']>>;

  beforeEach(async () => {
    subject = await adapter.create();
  });

  afterEach(async () => {
    await subject.cleanup();
  });

  it('records a job once, lists the newest first, and keeps them for the next process', async () => {
    const now = Date.now();
    expect(await subject.mailbox.record(mail('job-1', now - 2000))).toBe(true);
    expect(await subject.mailbox.record(mail('job-2', now - 1000, 'bob@example.com'))).toBe(true);
    // A redelivered job: nothing changes, not even its time.
    expect(await subject.mailbox.record(mail('job-1', now))).toBe(false);

    const reopened = await subject.reopen();
    expect(await reopened.latest(10)).toEqual([mail('job-2', now - 1000, 'bob@example.com'), mail('job-1', now - 2000)]);
    expect(await reopened.latest(1)).toEqual([mail('job-2', now - 1000, 'bob@example.com')]);
  });
});
