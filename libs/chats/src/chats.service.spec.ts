import { MessagesClient, UsersClient } from '@chat/contracts';
import { BusClient, openSqliteDatabase, SqliteDatabase } from '@chat/platform';
import { ChatsService } from './chats.service';
import { newMember } from './domain/chat';
import { CHATS_MIGRATIONS } from './persistence/sqlite/chats.migrations';
import { SqliteChatRepository } from './persistence/sqlite/sqlite-chat.repository';

describe('ChatsService read pointers', () => {
  let db: SqliteDatabase;
  let repo: SqliteChatRepository;
  let chats: ChatsService;
  /** What Messages says is the newest seq: one message more than Chats has applied (its event is on the way). */
  let messagesLastSeq: number;

  beforeEach(async () => {
    db = openSqliteDatabase(':memory:', CHATS_MIGRATIONS);
    repo = new SqliteChatRepository(db);
    const messages = { lastSeq: async ({ chatId }: { chatId: string }) => ({ chatId, lastSeq: messagesLastSeq }) } as unknown as MessagesClient;
    const bus = { publish: async () => undefined } as unknown as BusClient;
    chats = new ChatsService(repo, {} as UsersClient, messages, bus);
    const now = new Date();
    await repo.createGroup(
      { id: 'c1', kind: 'group', pairKey: null, title: 'G', avatarUrl: null, createdBy: 'ada', createdAt: now, lastSeq: 0, lastActivityAt: now, lastMessage: null },
      [newMember('c1', 'ada', 'admin', now), newMember('c1', 'bob', 'member', now)],
    );
    for (const seq of [1, 2]) {
      const preview = { messageId: `m${seq}`, seq, senderId: 'ada', text: 'hi', hasImage: false, deleted: false, createdAt: now.toISOString() };
      await repo.applyNewMessage({ chatId: 'c1', senderId: 'ada', preview });
    }
    messagesLastSeq = 3;
  });
  afterEach(() => db.close());

  it('never moves a pointer past the newest message (no read receipts for messages not yet sent)', async () => {
    await expect(chats.markRead({ userId: 'bob', chatId: 'c1', seq: Number.MAX_SAFE_INTEGER })).resolves.toMatchObject({ lastReadSeq: 3, lastDeliveredSeq: 3 });
    await expect(chats.markDelivered({ userId: 'ada', chatId: 'c1', seq: 1_000_000 })).resolves.toMatchObject({ lastDeliveredSeq: 3 });
    // The next message still counts as unread for bob.
    messagesLastSeq = 4;
    const preview = { messageId: 'm4', seq: 4, senderId: 'ada', text: 'hi', hasImage: false, deleted: false, createdAt: new Date().toISOString() };
    await repo.applyNewMessage({ chatId: 'c1', senderId: 'ada', preview });
    expect(await repo.findMember('c1', 'bob')).toMatchObject({ lastReadSeq: 3, unreadCount: 1 });
  });

  it('accepts a seq Chats has not applied yet when Messages has it, and never moves back', async () => {
    await expect(chats.markRead({ userId: 'bob', chatId: 'c1', seq: 3 })).resolves.toMatchObject({ lastReadSeq: 3 });
    await expect(chats.markRead({ userId: 'bob', chatId: 'c1', seq: 1 })).resolves.toMatchObject({ lastReadSeq: 3 });
  });
});
