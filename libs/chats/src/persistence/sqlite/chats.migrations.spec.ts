import { openSqliteDatabase } from '@chat/platform';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unreadOf } from '../../domain/chat-activity';
import { CHATS_MIGRATIONS } from './chats.migrations';
import { SqliteChatRepository } from './sqlite-chat.repository';

describe('chats migrations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chats-migrations-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const preview = (seq: number, minutes: number) => ({
    messageId: `m${seq}`, seq, senderId: 'ada', text: 'hi', hasImage: false, deleted: false, createdAt: new Date(minutes * 60_000).toISOString(), editedAt: null,
  });

  it('keeps unread counts (now derived from the pointers), hidden chats and every membership, handed to Messages through the outbox', async () => {
    const file = join(dir, 'chats.sqlite');
    // A version-3 database: bob has 3 unread, cy hid the chat (no hide time yet), dee hid it at minute 5.
    const v3 = openSqliteDatabase(file, CHATS_MIGRATIONS.filter((m) => m.version <= 3));
    v3.prepare("INSERT INTO chats (id, kind, created_by, created_at, last_seq, last_activity_at, applied_floor) VALUES ('c1', 'group', 'ada', 0, 3, 180000, 3)").run();
    v3.prepare(
      `INSERT INTO chat_members (chat_id, user_id, role, joined_at, last_read_seq, unread_count, hidden, hidden_at, activity_at) VALUES
       ('c1', 'ada', 'admin', 0, 3, 0, 0, NULL, 180000), ('c1', 'bob', 'member', 0, 0, 3, 0, NULL, 180000),
       ('c1', 'cy', 'member', 0, 0, 3, 1, NULL, 180000), ('c1', 'dee', 'member', 0, 0, 3, 1, 300000, 180000)`,
    ).run();
    v3.close();

    const repo = new SqliteChatRepository(openSqliteDatabase(file, CHATS_MIGRATIONS));
    const chat = (await repo.findById('c1'))!;
    expect(unreadOf(chat, (await repo.findMember('c1', 'bob'))!)).toBe(3);
    expect((await repo.listForUser('cy', null, 10)).entries).toEqual([]);
    expect((await repo.outbox.pending(10)).map((e) => e.payload)).toEqual([
      { chatId: 'c1', kind: 'group', version: 1, memberIds: ['ada', 'bob', 'cy', 'dee'], added: [], removed: [] },
    ]);

    // The next message brings back the chat hidden before hide times were kept; dee hid it after that message.
    await repo.applyMessage('c1', 'ada', preview(4, 4));
    expect((await repo.listForUser('cy', null, 10)).entries.map((e) => e.chat.id)).toEqual(['c1']);
    expect((await repo.listForUser('dee', null, 10)).entries).toEqual([]);
    await repo.applyMessage('c1', 'ada', preview(5, 6));
    expect((await repo.listForUser('dee', null, 10)).entries.map((e) => e.chat.id)).toEqual(['c1']);
  });
});
