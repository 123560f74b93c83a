import { LastMessagePreview } from '@chat/contracts';
import { openSqliteDatabase } from '@chat/platform';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { Chat, ChatMember, directPairKey, newMember } from '../domain/chat';
import { ChatRepository } from './chat.repository';
import { ChatDocument, ChatMemberDocument, ChatMemberSchema, ChatSchema } from './mongo/chat.schemas';
import { MongoChatRepository } from './mongo/mongo-chat.repository';
import { CHATS_MIGRATIONS } from './sqlite/chats.migrations';
import { SqliteChatRepository } from './sqlite/sqlite-chat.repository';

interface Adapter {
  name: string;
  open(): Promise<{ repo: ChatRepository; close(): Promise<void> }>;
}

const adapters: Adapter[] = [
  {
    name: 'sqlite',
    async open() {
      const db = openSqliteDatabase(':memory:', CHATS_MIGRATIONS);
      return { repo: new SqliteChatRepository(db), close: async () => void db.close() };
    },
  },
];
// MongoDB runs wherever MONGODB_URI points at one (none can be installed on the development machines).
if (process.env.MONGODB_URI) {
  adapters.push({
    name: 'mongodb',
    async open() {
      const connection = await mongoose.createConnection(process.env.MONGODB_URI!, { dbName: `chats_contract_${randomUUID().slice(0, 8)}` }).asPromise();
      const chats = connection.model(ChatDocument.name, ChatSchema);
      const members = connection.model(ChatMemberDocument.name, ChatMemberSchema);
      await Promise.all([chats.syncIndexes(), members.syncIndexes()]);
      return {
        repo: new MongoChatRepository(chats, members),
        close: async () => {
          await connection.dropDatabase();
          await connection.close();
        },
      };
    },
  });
}

const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

function chat(kind: 'direct' | 'group', pair: [string, string] | null, minutes = 0): Chat {
  return {
    id: randomUUID(),
    kind,
    pairKey: pair ? directPairKey(...pair) : null,
    title: kind === 'group' ? 'Group' : null,
    avatarUrl: null,
    createdBy: pair?.[0] ?? 'ada',
    createdAt: at(minutes),
    lastSeq: 0,
    lastActivityAt: at(minutes),
    lastMessage: null,
  };
}

const members = (c: Chat, ids: string[]): ChatMember[] => ids.map((id, i) => newMember(c.id, id, i === 0 ? 'admin' : 'member', c.createdAt));

function preview(seq: number, senderId: string, minutes: number, text = `message ${seq}`): LastMessagePreview {
  return { messageId: `m${seq}-${randomUUID()}`, seq, senderId, text, hasImage: false, deleted: false, createdAt: at(minutes).toISOString() };
}

describe.each(adapters)('ChatRepository contract ($name)', (adapter) => {
  let repo: ChatRepository;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ repo, close } = await adapter.open());
  });
  afterEach(async () => {
    await close();
  });

  it('keeps one 1:1 chat per pair, also when created concurrently', async () => {
    const attempts = Array.from({ length: 5 }, (_, i) => {
      const c = chat('direct', i % 2 ? ['ada', 'bob'] : ['bob', 'ada']);
      return repo.createDirectIfAbsent(c, members(c, ['ada', 'bob']));
    });
    const results = await Promise.all(attempts);
    expect(new Set(results.map((r) => r.chat.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const stored = await repo.findByPairKey(directPairKey('ada', 'bob'));
    expect(stored?.id).toBe(results[0].chat.id);
    expect((await repo.listMembers(stored!.id)).map((m) => m.userId).sort()).toEqual(['ada', 'bob']);
  });

  it('applies a new message once: preview, order, unread for others, unhide; a redelivery changes nothing', async () => {
    const c = chat('group', null);
    await repo.createGroup(c, members(c, ['ada', 'bob', 'cy']));
    await repo.hide(c.id, 'cy', at(0));

    const first = preview(1, 'ada', 5);
    const state = await repo.applyNewMessage({ chatId: c.id, senderId: 'ada', preview: first });
    expect(await repo.applyNewMessage({ chatId: c.id, senderId: 'ada', preview: first })).toBeNull();
    // What the write returns is what a read finds afterwards: the chat.updated snapshot is built from it.
    expect(state).toEqual({ chat: await repo.findById(c.id), members: await repo.listMembers(c.id) });

    const stored = (await repo.findById(c.id))!;
    expect(stored.lastSeq).toBe(1);
    expect(stored.lastMessage).toEqual(first);
    expect(stored.lastActivityAt.toISOString()).toBe(first.createdAt);
    const byId = new Map((await repo.listMembers(c.id)).map((m) => [m.userId, m]));
    expect(byId.get('ada')).toMatchObject({ unreadCount: 0, lastReadSeq: 1, lastDeliveredSeq: 1 });
    expect(byId.get('bob')).toMatchObject({ unreadCount: 1, lastReadSeq: 0, hidden: false });
    expect(byId.get('cy')).toMatchObject({ unreadCount: 1, hidden: false });
  });

  it('applies messages whose events arrive out of order, each once (a later seq first, then the earlier one)', async () => {
    const c = chat('group', null);
    await repo.createGroup(c, members(c, ['ada', 'bob', 'cy']));
    const [one, two, three] = [preview(1, 'ada', 1), preview(2, 'bob', 2), preview(3, 'ada', 3)];
    expect(await repo.applyNewMessage({ chatId: c.id, senderId: 'ada', preview: three })).not.toBeNull();
    expect(await repo.applyNewMessage({ chatId: c.id, senderId: 'ada', preview: one })).not.toBeNull();
    expect(await repo.applyNewMessage({ chatId: c.id, senderId: 'bob', preview: two })).not.toBeNull();
    // Redeliveries of each, in any order, change nothing.
    for (const [sender, p] of [['bob', two], ['ada', one], ['ada', three]] as const) {
      expect(await repo.applyNewMessage({ chatId: c.id, senderId: sender, preview: p })).toBeNull();
    }

    const stored = (await repo.findById(c.id))!;
    expect(stored.lastSeq).toBe(3);
    expect(stored.lastMessage).toEqual(three);
    expect(stored.lastActivityAt.toISOString()).toBe(three.createdAt);
    const byId = new Map((await repo.listMembers(c.id)).map((m) => [m.userId, m]));
    // ada sent 1 and 3 (read up to 3): bob's 2 came later but lies before her pointer. bob sent 2, so he read 1.
    expect(byId.get('ada')).toMatchObject({ unreadCount: 0, lastReadSeq: 3 });
    expect(byId.get('bob')).toMatchObject({ unreadCount: 1, lastReadSeq: 2 });
    expect(byId.get('cy')).toMatchObject({ unreadCount: 3, lastReadSeq: 0 });
    const page = await repo.listForUser('cy', null, 10);
    expect(page.entries[0].chat.id).toBe(c.id);
    // Each entry lists everyone in the chat, in join order, as listMembers does.
    expect(page.entries[0].members).toEqual((await repo.listMembers(c.id)).map(({ userId, role, joinedAt }) => ({ userId, role, joinedAt })));
    expect(page.entries[0].member).toEqual(byId.get('cy'));
    expect((await repo.moveReadPointer(c.id, 'cy', 3, at(9)))!.unreadCount).toBe(0);
  });

  it('lets only a newer message resurface a hidden chat, not a late event of an older one', async () => {
    const c = chat('group', null);
    await repo.createGroup(c, members(c, ['ada', 'cy']));
    await repo.applyNewMessage({ chatId: c.id, senderId: 'ada', preview: preview(2, 'ada', 2) });
    await repo.hide(c.id, 'cy', at(2.5));
    await repo.applyNewMessage({ chatId: c.id, senderId: 'ada', preview: preview(1, 'ada', 1) });
    expect(await repo.findMember(c.id, 'cy')).toMatchObject({ hidden: true, unreadCount: 2 });
    await repo.applyNewMessage({ chatId: c.id, senderId: 'ada', preview: preview(3, 'ada', 3) });
    expect(await repo.findMember(c.id, 'cy')).toMatchObject({ hidden: false, unreadCount: 3 });
  });

  it('keeps a chat hidden when the newest message was created before the hide but applied after it', async () => {
    const c = chat('direct', ['ada', 'bob']);
    await repo.createDirectIfAbsent(c, members(c, ['ada', 'bob']));
    await repo.applyNewMessage({ chatId: c.id, senderId: 'bob', preview: preview(1, 'bob', 1) });
    // Ada saw message 2 pushed to her and hid the chat before Chats applied its event.
    await repo.hide(c.id, 'ada', at(3));
    await repo.applyNewMessage({ chatId: c.id, senderId: 'bob', preview: preview(2, 'bob', 2) });
    expect(await repo.findMember(c.id, 'ada')).toMatchObject({ hidden: true, unreadCount: 2 });
    expect((await repo.listForUser('ada', null, 10)).entries).toEqual([]);
    await repo.applyNewMessage({ chatId: c.id, senderId: 'bob', preview: preview(3, 'bob', 4) });
    expect(await repo.findMember(c.id, 'ada')).toMatchObject({ hidden: false, unreadCount: 3 });
    expect((await repo.listForUser('ada', null, 10)).entries.map((e) => e.chat.id)).toEqual([c.id]);
  });

  it('moves read and delivered pointers forward only and lowers unread', async () => {
    const c = chat('direct', ['ada', 'bob']);
    await repo.createDirectIfAbsent(c, members(c, ['ada', 'bob']));
    for (let seq = 1; seq <= 4; seq++) await repo.applyNewMessage({ chatId: c.id, senderId: 'ada', preview: preview(seq, 'ada', seq) });
    expect((await repo.findMember(c.id, 'bob'))!.unreadCount).toBe(4);

    const delivered = await repo.moveDeliveredPointer(c.id, 'bob', 3, at(10));
    expect(delivered).toMatchObject({ lastDeliveredSeq: 3, lastReadSeq: 0, unreadCount: 4 });
    const read = await repo.moveReadPointer(c.id, 'bob', 2, at(11));
    expect(read).toMatchObject({ lastReadSeq: 2, lastDeliveredSeq: 3, unreadCount: 2 });
    const back = await repo.moveReadPointer(c.id, 'bob', 1, at(12));
    expect(back).toMatchObject({ lastReadSeq: 2, unreadCount: 2 });
    const all = await repo.moveReadPointer(c.id, 'bob', 4, at(13));
    expect(all).toMatchObject({ lastReadSeq: 4, lastDeliveredSeq: 4, unreadCount: 0 });
    expect(all!.lastReadAt?.toISOString()).toBe(at(13).toISOString());

    // Read before Chats applied the message's event (the client got it pushed): the pointer stops at the
    // newest applied message, and the event, when it comes, counts as read and moves the pointer.
    expect(await repo.moveReadPointer(c.id, 'bob', 5, at(14))).toMatchObject({ lastReadSeq: 4, unreadCount: 0 });
    await repo.applyNewMessage({ chatId: c.id, senderId: 'ada', preview: preview(5, 'ada', 13) });
    expect(await repo.findMember(c.id, 'bob')).toMatchObject({ lastReadSeq: 5, lastDeliveredSeq: 5, unreadCount: 0 });
    expect((await repo.findMember(c.id, 'bob'))!.lastReadAt?.toISOString()).toBe(at(14).toISOString());
  });

  it('never moves a pointer past the newest message: a read far ahead covers only messages that existed then', async () => {
    const c = chat('direct', ['ada', 'bob']);
    await repo.createDirectIfAbsent(c, members(c, ['ada', 'bob']));
    for (let seq = 1; seq <= 2; seq++) await repo.applyNewMessage({ chatId: c.id, senderId: 'ada', preview: preview(seq, 'ada', seq) });
    expect(await repo.moveReadPointer(c.id, 'bob', Number.MAX_SAFE_INTEGER, at(10))).toMatchObject({ lastReadSeq: 2, lastDeliveredSeq: 2, unreadCount: 0 });
    expect(await repo.moveDeliveredPointer(c.id, 'bob', 1_000_000, at(10))).toMatchObject({ lastDeliveredSeq: 2 });
    // Sent (created) before the read, applied after it: read. Created after the read: unread, no false receipt.
    await repo.applyNewMessage({ chatId: c.id, senderId: 'ada', preview: preview(3, 'ada', 9) });
    await repo.applyNewMessage({ chatId: c.id, senderId: 'ada', preview: preview(4, 'ada', 11) });
    expect(await repo.findMember(c.id, 'bob')).toMatchObject({ lastReadSeq: 3, lastDeliveredSeq: 3, unreadCount: 1 });
  });

  it('lists a user’s visible chats newest first, in pages with no gap and no duplicate', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = chat('direct', ['ada', `friend${i}`], i);
      await repo.createDirectIfAbsent(c, members(c, ['ada', `friend${i}`]));
      ids.push(c.id);
    }
    // Two chats with the same activity time: the chat id breaks the tie.
    await repo.applyNewMessage({ chatId: ids[0], senderId: 'friend0', preview: preview(1, 'friend0', 100) });
    await repo.applyNewMessage({ chatId: ids[1], senderId: 'friend1', preview: preview(1, 'friend1', 100) });
    await repo.hide(ids[2], 'ada', at(0));

    const seen: string[] = [];
    let cursor = null;
    do {
      const page = await repo.listForUser('ada', cursor, 2);
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries.map((e) => e.chat.id));
      cursor = page.next;
    } while (cursor);
    const tied = [ids[0], ids[1]].sort().reverse();
    expect(seen).toEqual([...tied, ids[6], ids[5], ids[4], ids[3]]);
    const first = await repo.listForUser('ada', null, 1);
    expect(first.entries[0].member).toMatchObject({ userId: 'ada', unreadCount: 1 });
    expect(await repo.chatIdsOf('ada')).toHaveLength(7);
  });

  it('tells which of some users share a chat with a user (contacts), hidden chats included, former members not', async () => {
    const direct = chat('direct', ['ada', 'bob']);
    await repo.createDirectIfAbsent(direct, members(direct, ['ada', 'bob']));
    const group = chat('group', null);
    await repo.createGroup(group, members(group, ['ada', 'cy', 'dee']));
    await repo.hide(direct.id, 'ada', at(0));
    await repo.removeMember(group.id, 'dee');
    expect((await repo.contactsAmong('ada', ['bob', 'cy', 'dee', 'stranger'])).sort()).toEqual(['bob', 'cy']);
    expect(await repo.contactsAmong('stranger', ['ada', 'bob'])).toEqual([]);
    expect(await repo.contactsAmong('ada', [])).toEqual([]);
  });

  it('adds, removes and promotes members; new members owe nothing for history', async () => {
    const c = chat('group', null);
    await repo.createGroup(c, members(c, ['ada', 'bob']));
    await repo.applyNewMessage({ chatId: c.id, senderId: 'ada', preview: preview(1, 'ada', 1) });
    const added = await repo.addMembers(c.id, [newMember(c.id, 'bob', 'member', at(2)), newMember(c.id, 'cy', 'member', at(2))]);
    expect(added).toEqual(['cy']);
    expect(await repo.findMember(c.id, 'cy')).toMatchObject({ unreadCount: 0, lastReadSeq: 1 });
    await repo.setRole(c.id, 'cy', 'admin');
    expect((await repo.findMember(c.id, 'cy'))!.role).toBe('admin');
    expect(await repo.removeMember(c.id, 'bob')).toBe(true);
    expect(await repo.removeMember(c.id, 'bob')).toBe(false);
    expect((await repo.listMembers(c.id)).map((m) => m.userId)).toEqual(['ada', 'cy']);
  });

  it('refreshes the preview only for the message it shows, and never revives a deleted one', async () => {
    const c = chat('group', null);
    await repo.createGroup(c, members(c, ['ada', 'bob']));
    const older = preview(1, 'ada', 1);
    const latest = preview(2, 'bob', 2);
    await repo.applyNewMessage({ chatId: c.id, senderId: 'ada', preview: older });
    await repo.applyNewMessage({ chatId: c.id, senderId: 'bob', preview: latest });
    expect(await repo.refreshPreview(c.id, { ...older, text: 'edited' })).toBe(false);
    expect(await repo.refreshPreview(c.id, { ...latest, text: null, deleted: true })).toBe(true);
    expect(await repo.refreshPreview(c.id, { ...latest, text: 'late edit' })).toBe(false);
    expect((await repo.findById(c.id))!.lastMessage).toMatchObject({ messageId: latest.messageId, deleted: true, text: null });
  });

  it('keeps the later of two edits whose events arrive in the wrong order', async () => {
    const c = chat('direct', ['ada', 'bob']);
    await repo.createDirectIfAbsent(c, members(c, ['ada', 'bob']));
    const shown = preview(1, 'ada', 1);
    await repo.applyNewMessage({ chatId: c.id, senderId: 'ada', preview: shown });
    expect(await repo.refreshPreview(c.id, { ...shown, text: 'second', editedAt: at(3).toISOString() })).toBe(true);
    expect(await repo.refreshPreview(c.id, { ...shown, text: 'first', editedAt: at(2).toISOString() })).toBe(false);
    expect((await repo.findById(c.id))!.lastMessage).toMatchObject({ text: 'second' });
    expect(await repo.refreshPreview(c.id, { ...shown, text: null, deleted: true, editedAt: at(3).toISOString() })).toBe(true);
  });

  it('updates details and per-member mute', async () => {
    const c = chat('group', null);
    await repo.createGroup(c, members(c, ['ada', 'bob']));
    await repo.updateDetails(c.id, { title: 'Renamed' });
    await repo.updateDetails(c.id, { avatarUrl: '/media/a.webp' });
    expect(await repo.findById(c.id)).toMatchObject({ title: 'Renamed', avatarUrl: '/media/a.webp' });
    await repo.setMuted(c.id, 'bob', true);
    expect((await repo.findMember(c.id, 'bob'))!.muted).toBe(true);
    expect((await repo.findMember(c.id, 'ada'))!.muted).toBe(false);
  });
});
