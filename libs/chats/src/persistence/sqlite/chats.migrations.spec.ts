import { openSqliteDatabase } from '@chat/platform';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHATS_MIGRATIONS } from './chats.migrations';
import { SqliteChatRepository } from './sqlite-chat.repository';

describe('chats migrations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chats-migrations-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('treats messages applied before per-seq tracking as applied (a late redelivery adds no unread)', async () => {
    const file = join(dir, 'chats.sqlite');
    const now = new Date();
    const preview = (seq: number) => ({ messageId: `m${seq}`, seq, senderId: 'ada', text: 'hi', hasImage: false, deleted: false, createdAt: now.toISOString() });
    // A version-1 database where messages 1 to 3 were applied (the statements of today need version 2).
    const v1 = openSqliteDatabase(file, CHATS_MIGRATIONS.filter((m) => m.version === 1));
    v1.prepare("INSERT INTO chats (id, kind, created_by, created_at, last_seq, last_activity_at) VALUES ('c1', 'group', 'ada', 0, 3, 0)").run();
    v1.prepare("INSERT INTO chat_members (chat_id, user_id, role, joined_at, last_read_seq, unread_count, activity_at) VALUES ('c1', 'ada', 'admin', 0, 3, 0, 0), ('c1', 'bob', 'member', 0, 0, 3, 0)").run();
    v1.close();

    const repo = new SqliteChatRepository(openSqliteDatabase(file, CHATS_MIGRATIONS));
    expect(await repo.applyNewMessage({ chatId: 'c1', senderId: 'ada', preview: preview(2) })).toBeNull();
    expect(await repo.applyNewMessage({ chatId: 'c1', senderId: 'ada', preview: preview(4) })).not.toBeNull();
    expect(await repo.findMember('c1', 'bob')).toMatchObject({ unreadCount: 4 });
  });

  it('lets the next message bring back a chat hidden before hide times were kept', async () => {
    const file = join(dir, 'hidden.sqlite');
    const preview = (seq: number) => ({ messageId: `m${seq}`, seq, senderId: 'ada', text: 'hi', hasImage: false, deleted: false, createdAt: new Date(1000).toISOString(), editedAt: null });
    const v2 = openSqliteDatabase(file, CHATS_MIGRATIONS.filter((m) => m.version <= 2));
    v2.prepare("INSERT INTO chats (id, kind, created_by, created_at, last_seq, last_activity_at) VALUES ('c1', 'direct', 'ada', 0, 0, 0)").run();
    v2.prepare("INSERT INTO chat_members (chat_id, user_id, role, joined_at, hidden, activity_at) VALUES ('c1', 'ada', 'member', 0, 0, 0), ('c1', 'bob', 'member', 0, 1, 0)").run();
    v2.close();

    const repo = new SqliteChatRepository(openSqliteDatabase(file, CHATS_MIGRATIONS));
    expect(await repo.findMember('c1', 'bob')).toMatchObject({ hidden: true });
    await repo.applyNewMessage({ chatId: 'c1', senderId: 'ada', preview: preview(1) });
    expect(await repo.findMember('c1', 'bob')).toMatchObject({ hidden: false, unreadCount: 1 });
  });
});
