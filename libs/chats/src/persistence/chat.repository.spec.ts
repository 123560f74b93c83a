import { LastMessagePreview, MembersChangedEvent } from '@chat/contracts';
import { openSqliteDatabase } from '@chat/platform';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { unreadOf } from '../domain/chat-activity';
import { Chat, ChatMember, directPairKey, newMember } from '../domain/chat';
import { MentionState } from '../domain/mentions';
import { ChatRepository } from './chat.repository';
import { ChatDocument, ChatMemberDocument, ChatMemberSchema, ChatSchema, MentionDocument, MentionSchema, UserBlockDocument, UserBlockSchema } from './mongo/chat.schemas';
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
      const blocks = connection.model(UserBlockDocument.name, UserBlockSchema);
      const mentions = connection.model(MentionDocument.name, MentionSchema);
      await Promise.all([chats.syncIndexes(), members.syncIndexes(), blocks.syncIndexes(), mentions.syncIndexes()]);
      return {
        repo: new MongoChatRepository(connection, chats, members, blocks, mentions),
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
    membersVersion: 1,
    historyVisible: false,
  };
}

const members = (c: Chat, ids: string[]): ChatMember[] => ids.map((id, i) => newMember(c.id, id, i === 0 ? 'admin' : 'member', c.createdAt));

function preview(seq: number, senderId: string, minutes: number, text = `message ${seq}`): LastMessagePreview {
  return { messageId: `m${seq}-${randomUUID()}`, seq, senderId, text, hasImage: false, deleted: false, createdAt: at(minutes).toISOString(), editedAt: null };
}

/** A seeded generator (mulberry32), so a failing order can be replayed from the seed the test prints. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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

  const unread = async (chatId: string, userId: string) => unreadOf((await repo.findById(chatId))!, (await repo.findMember(chatId, userId))!);
  const membershipEvents = async () => (await repo.outbox.pending(100)).filter((e) => e.pattern === 'chat.members-changed').map((e) => e.payload as MembersChangedEvent);

  it('keeps one 1:1 chat per pair, also when created concurrently, and announces its membership once', async () => {
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
    expect(await membershipEvents()).toEqual([{ chatId: stored!.id, kind: 'direct', version: 1, memberIds: expect.arrayContaining(['ada', 'bob']), added: expect.arrayContaining(['ada', 'bob']), removed: [], historyVisible: true, change: null }]);
  });

  it('merges a new message: preview, order, the sender read up to it, unread derived for others; a redelivery changes nothing', async () => {
    const c = chat('group', null);
    await repo.createGroup(c, members(c, ['ada', 'bob', 'cy']));
    const first = preview(1, 'ada', 5);
    expect(await repo.applyMessage(c.id, 'ada', first)).toBe(true);
    const once = { chat: await repo.findById(c.id), members: await repo.listMembers(c.id) };
    expect(await repo.applyMessage(c.id, 'ada', first)).toBe(true);
    expect({ chat: await repo.findById(c.id), members: await repo.listMembers(c.id) }).toEqual(once);

    const stored = (await repo.findById(c.id))!;
    expect(stored.lastSeq).toBe(1);
    expect(stored.lastMessage).toEqual(first);
    expect(stored.lastActivityAt.toISOString()).toBe(first.createdAt);
    expect(await repo.findMember(c.id, 'ada')).toMatchObject({ lastReadSeq: 1, lastDeliveredSeq: 1 });
    expect(await unread(c.id, 'ada')).toBe(0);
    expect(await unread(c.id, 'bob')).toBe(1);
    expect(await repo.applyMessage('no-such-chat', 'ada', first)).toBe(false);
  });

  it('gives the same chat for the same events in any order and with repeats (property, seeded)', async () => {
    const c = chat('group', null);
    const people = ['ada', 'bob', 'cy'];
    type Step = { kind: 'message'; sender: string; preview: LastMessagePreview } | { kind: 'pointers'; userId: string; seq: number; minutes: number };
    const steps: Step[] = [];
    for (let seq = 1; seq <= 12; seq++) {
      const sent = preview(seq, people[seq % 3], seq);
      steps.push({ kind: 'message', sender: sent.senderId, preview: sent });
      if (seq % 4 === 0) steps.push({ kind: 'message', sender: sent.senderId, preview: { ...sent, text: 'edited', editedAt: at(seq + 0.5).toISOString() } });
      if (seq % 6 === 0) steps.push({ kind: 'message', sender: sent.senderId, preview: { ...sent, text: null, deleted: true } });
      if (seq % 5 === 0) steps.push({ kind: 'pointers', userId: people[(seq + 1) % 3], seq, minutes: seq + 0.2 });
    }
    const apply = async (chatId: string, step: Step) =>
      step.kind === 'message'
        ? repo.applyMessage(chatId, step.sender, step.preview)
        : repo.mergePointers(chatId, step.userId, { lastReadSeq: step.seq, lastReadAt: at(step.minutes), lastDeliveredSeq: step.seq, lastDeliveredAt: at(step.minutes) });
    const stateOf = async (chatId: string) => {
      const { id: _id, ...chatState } = (await repo.findById(chatId))!;
      return { chat: chatState, members: (await repo.listMembers(chatId)).map(({ chatId: _c, ...m }) => m) };
    };

    await repo.createGroup(c, members(c, people));
    for (const step of steps) await apply(c.id, step);
    const expected = await stateOf(c.id);
    expect(expected.chat.lastSeq).toBe(12);
    expect(expected.chat.lastMessage).toMatchObject({ seq: 12, deleted: true });

    const seed = Date.now() % 100_000;
    const next = random(seed);
    for (let round = 0; round < 8; round++) {
      const other = { ...chat('group', null), id: `${c.id}-${round}` };
      await repo.createGroup(other, members(other, people));
      const shuffled = [...steps, ...steps.filter(() => next() < 0.3)].sort(() => next() - 0.5);
      // Concurrently, as several consumers would.
      await Promise.all(shuffled.map((step) => apply(other.id, step)));
      const { createdAt: _a, ...got } = (await stateOf(other.id)).chat;
      const { createdAt: _b, ...want } = expected.chat;
      expect({ seed, round, chat: got, members: (await stateOf(other.id)).members.map((m) => ({ ...m, joinedAt: null })) }).toEqual({
        seed,
        round,
        chat: want,
        members: expected.members.map((m) => ({ ...m, joinedAt: null })),
      });
    }
  });

  it('never shows a last seq without the preview and pointers that go with it, to a reader polling during sends', async () => {
    const c = chat('direct', ['ada', 'bob']);
    await repo.createDirectIfAbsent(c, members(c, ['ada', 'bob']));
    let sending = true;
    const inconsistencies: string[] = [];
    const poll = (async () => {
      while (sending) {
        for (const entry of (await repo.listForUser('ada', null, 10)).entries) {
          const { chat: seen, member } = entry;
          if (seen.lastSeq === 0) continue;
          // Ada sends every message: her pointer moves in the same write as the chat's last seq.
          if (seen.lastMessage?.seq !== seen.lastSeq) inconsistencies.push(`preview ${seen.lastMessage?.seq} at last seq ${seen.lastSeq}`);
          if (member.lastReadSeq !== seen.lastSeq) inconsistencies.push(`ada read ${member.lastReadSeq} at last seq ${seen.lastSeq}`);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let seq = 1; seq <= 60; seq++) await Promise.all([repo.applyMessage(c.id, 'ada', preview(seq, 'ada', seq))]);
    sending = false;
    await poll;
    expect(inconsistencies).toEqual([]);
    expect(await unread(c.id, 'bob')).toBe(60);
  });

  it('lists a hidden chat again only once a message created after the hide arrives, whatever order events come in', async () => {
    const c = chat('direct', ['ada', 'bob']);
    await repo.createDirectIfAbsent(c, members(c, ['ada', 'bob']));
    await repo.applyMessage(c.id, 'bob', preview(1, 'bob', 1));
    // Ada saw message 2 pushed to her and hid the chat before Chats merged its event.
    await repo.hide(c.id, 'ada', at(3));
    await repo.applyMessage(c.id, 'bob', preview(2, 'bob', 2));
    expect((await repo.listForUser('ada', null, 10)).entries).toEqual([]);
    expect(await unread(c.id, 'ada')).toBe(2);
    await repo.applyMessage(c.id, 'bob', preview(3, 'bob', 4));
    expect((await repo.listForUser('ada', null, 10)).entries.map((e) => e.chat.id)).toEqual([c.id]);
    expect(await unread(c.id, 'ada')).toBe(3);
  });

  it('merges reported pointers by maximum: an older report changes nothing', async () => {
    const c = chat('direct', ['ada', 'bob']);
    await repo.createDirectIfAbsent(c, members(c, ['ada', 'bob']));
    for (let seq = 1; seq <= 4; seq++) await repo.applyMessage(c.id, 'ada', preview(seq, 'ada', seq));
    await repo.mergePointers(c.id, 'bob', { lastReadSeq: 3, lastReadAt: at(11), lastDeliveredSeq: 4, lastDeliveredAt: at(10) });
    await repo.mergePointers(c.id, 'bob', { lastReadSeq: 2, lastReadAt: at(12), lastDeliveredSeq: 2, lastDeliveredAt: at(12) });
    expect(await repo.findMember(c.id, 'bob')).toMatchObject({ lastReadSeq: 3, lastReadAt: at(11), lastDeliveredSeq: 4, lastDeliveredAt: at(10) });
    expect(await unread(c.id, 'bob')).toBe(1);
    // A report ahead of the messages heard of (its event came first) counts once they arrive.
    await repo.mergePointers(c.id, 'bob', { lastReadSeq: 5, lastReadAt: at(13), lastDeliveredSeq: 5, lastDeliveredAt: at(13) });
    expect(await unread(c.id, 'bob')).toBe(0);
    await repo.applyMessage(c.id, 'ada', preview(5, 'ada', 5));
    expect(await unread(c.id, 'bob')).toBe(0);
    await repo.mergePointers('no-such-chat', 'bob', { lastReadSeq: 1, lastReadAt: null, lastDeliveredSeq: 1, lastDeliveredAt: null });
  });

  it('lists a user’s listed chats newest first, in pages with no gap and no duplicate', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = chat('direct', ['ada', `friend${i}`], i);
      await repo.createDirectIfAbsent(c, members(c, ['ada', `friend${i}`]));
      ids.push(c.id);
    }
    // Two chats with the same activity time: the chat id breaks the tie.
    await repo.applyMessage(ids[0], 'friend0', preview(1, 'friend0', 100));
    await repo.applyMessage(ids[1], 'friend1', preview(1, 'friend1', 100));
    await repo.hide(ids[2], 'ada', at(50));

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
    expect(unreadOf(first.entries[0].chat, first.entries[0].member)).toBe(1);
    // Each entry lists everyone in the chat, in join order, as listMembers does.
    expect(first.entries[0].members).toEqual((await repo.listMembers(first.entries[0].chat.id)).map(({ userId, role, joinedAt }) => ({ userId, role, joinedAt })));
    expect(first.entries[0].member).toEqual(await repo.findMember(first.entries[0].chat.id, 'ada'));
    expect(await repo.chatIdsOf('ada')).toHaveLength(7);
  });

  it('tells which of some users share a chat with a user (contacts), hidden chats included, former members not', async () => {
    const direct = chat('direct', ['ada', 'bob']);
    await repo.createDirectIfAbsent(direct, members(direct, ['ada', 'bob']));
    const group = chat('group', null);
    await repo.createGroup(group, members(group, ['ada', 'cy', 'dee']));
    await repo.hide(direct.id, 'ada', at(0));
    await repo.removeMember(group.id, 'dee', 'ada');
    expect((await repo.contactsAmong('ada', ['bob', 'cy', 'dee', 'stranger'])).sort()).toEqual(['bob', 'cy']);
    expect(await repo.contactsAmong('stranger', ['ada', 'bob'])).toEqual([]);
    expect(await repo.contactsAmong('ada', [])).toEqual([]);
    expect((await repo.contactsOf('ada', 100)).sort()).toEqual(['bob', 'cy']);
    expect(await repo.contactsOf('ada', 1)).toHaveLength(1);
    expect(await repo.contactsOf('stranger', 100)).toEqual([]);
  });

  it('blocks and unblocks with a growing version per pair, one event per change and none for a repeat', async () => {
    await repo.outbox.remove((await repo.outbox.pending(100)).map((e) => e.id));
    expect(await repo.setBlock('ada', 'bob', false)).toBeNull();
    expect(await repo.setBlock('ada', 'bob', true)).toEqual({ blockerId: 'ada', blockedId: 'bob', blocked: true, version: 1 });
    expect(await repo.setBlock('ada', 'bob', true)).toBeNull();
    expect(await repo.setBlock('cy', 'ada', true)).toMatchObject({ version: 1 });
    expect(await repo.setBlock('ada', 'dee', true)).toMatchObject({ version: 1 });
    expect((await repo.blocksAmong('ada', ['bob', 'cy', 'zed'])).sort((a, b) => a.blockerId.localeCompare(b.blockerId))).toEqual([
      { blockerId: 'ada', blockedId: 'bob' },
      { blockerId: 'cy', blockedId: 'ada' },
    ]);
    expect((await repo.blockedBy('ada')).sort()).toEqual(['bob', 'dee']);
    expect(await repo.setBlock('ada', 'bob', false)).toEqual({ blockerId: 'ada', blockedId: 'bob', blocked: false, version: 2 });
    expect(await repo.blocksAmong('ada', ['bob'])).toEqual([]);
    expect(await repo.blockedBy('ada')).toEqual(['dee']);
    expect(await repo.blocksAmong('ada', [])).toEqual([]);
    expect((await repo.outbox.pending(100)).map((e) => e.payload)).toEqual([
      { blockerId: 'ada', blockedId: 'bob', blocked: true, version: 1 },
      { blockerId: 'cy', blockedId: 'ada', blocked: true, version: 1 },
      { blockerId: 'ada', blockedId: 'dee', blocked: true, version: 1 },
      { blockerId: 'ada', blockedId: 'bob', blocked: false, version: 2 },
    ]);
  });

  it('adds, removes and promotes members, announcing each change with the next version and what it changed; new members owe nothing for history', async () => {
    const c = chat('group', null);
    await repo.createGroup(c, members(c, ['ada', 'bob']));
    await repo.applyMessage(c.id, 'ada', preview(1, 'ada', 1));
    const added = await repo.addMembers(c.id, [newMember(c.id, 'bob', 'member', at(2)), newMember(c.id, 'cy', 'member', at(2))], 'ada');
    expect(added).toEqual(['cy']);
    expect(await repo.findMember(c.id, 'cy')).toMatchObject({ lastReadSeq: 1 });
    expect(await unread(c.id, 'cy')).toBe(0);
    expect(await repo.setRole(c.id, 'cy', true, 'ada')).toBe(true);
    expect(await repo.setRole(c.id, 'cy', true, 'ada')).toBe(false);
    expect((await repo.findMember(c.id, 'cy'))!.role).toBe('admin');
    expect(await repo.removeMember(c.id, 'bob', 'ada')).toBe(true);
    expect(await repo.removeMember(c.id, 'bob', 'ada')).toBe(false);
    expect(await repo.addMembers(c.id, [newMember(c.id, 'cy', 'member', at(3))], 'ada')).toEqual([]);
    expect((await repo.listMembers(c.id)).map((m) => m.userId)).toEqual(['ada', 'cy']);
    const base = { chatId: c.id, kind: 'group', historyVisible: false };
    expect(await membershipEvents()).toEqual([
      { ...base, version: 1, memberIds: ['ada', 'bob'], added: ['ada', 'bob'], removed: [], change: { type: 'created', title: 'Group', actorId: 'ada' } },
      { ...base, version: 2, memberIds: ['ada', 'bob', 'cy'], added: ['cy'], removed: [], change: { type: 'members-added', userIds: ['cy'], actorId: 'ada' } },
      { ...base, version: 3, memberIds: ['ada', 'bob', 'cy'], added: [], removed: [], change: { type: 'admin-made', userId: 'cy', actorId: 'ada' } },
      { ...base, version: 4, memberIds: ['ada', 'cy'], added: [], removed: ['bob'], change: { type: 'member-removed', userId: 'bob', actorId: 'ada' } },
    ]);
  });

  it('names a successor admin in the same change when the last admin leaves, as a change made by nobody', async () => {
    const c = chat('group', null);
    await repo.createGroup(c, members(c, ['ada', 'bob', 'cy']));
    expect(await repo.removeMember(c.id, 'ada', 'ada')).toBe(true);
    expect((await repo.findMember(c.id, 'bob'))!.role).toBe('admin');
    expect((await membershipEvents()).slice(1).map((e) => [e.version, e.change])).toEqual([
      [2, { type: 'member-left', userId: 'ada', actorId: 'ada' }],
      [3, { type: 'admin-made', userId: 'bob', actorId: null }],
    ]);
  });

  it('shows an edit or deletion of the previewed message, never an older state or an older message', async () => {
    const c = chat('group', null);
    await repo.createGroup(c, members(c, ['ada', 'bob']));
    const older = preview(1, 'ada', 1);
    const latest = preview(2, 'bob', 2);
    await repo.applyMessage(c.id, 'ada', older);
    await repo.applyMessage(c.id, 'bob', latest);
    await repo.applyMessage(c.id, 'ada', { ...older, text: 'edited', editedAt: at(3).toISOString() });
    expect((await repo.findById(c.id))!.lastMessage).toEqual(latest);
    await repo.applyMessage(c.id, 'bob', { ...latest, text: 'second', editedAt: at(5).toISOString() });
    await repo.applyMessage(c.id, 'bob', { ...latest, text: 'first', editedAt: at(4).toISOString() });
    expect((await repo.findById(c.id))!.lastMessage).toMatchObject({ text: 'second' });
    await repo.applyMessage(c.id, 'bob', { ...latest, text: null, deleted: true });
    await repo.applyMessage(c.id, 'bob', { ...latest, text: 'late edit', editedAt: at(6).toISOString() });
    await repo.applyMessage(c.id, 'bob', latest);
    expect((await repo.findById(c.id))!.lastMessage).toMatchObject({ messageId: latest.messageId, deleted: true, text: null });
  });

  it('updates details and per-member mute', async () => {
    const c = chat('group', null);
    await repo.createGroup(c, members(c, ['ada', 'bob']));
    expect(await repo.updateDetails(c.id, { title: 'Renamed' }, 'ada')).toBe(1);
    expect(await repo.updateDetails(c.id, { title: 'Renamed', avatarUrl: '/media/a.webp', historyVisible: true }, 'ada')).toBe(2);
    expect(await repo.updateDetails(c.id, { avatarUrl: '/media/a.webp' }, 'ada')).toBe(0);
    expect(await repo.findById(c.id)).toMatchObject({ title: 'Renamed', avatarUrl: '/media/a.webp', historyVisible: true });
    expect((await membershipEvents()).slice(1).map((e) => [e.version, e.historyVisible, e.change])).toEqual([
      [2, false, { type: 'renamed', title: 'Renamed', actorId: 'ada' }],
      [3, true, { type: 'photo-changed', removed: false, actorId: 'ada' }],
      [4, true, { type: 'history-visibility-changed', visible: true, actorId: 'ada' }],
    ]);
    await repo.setMuted(c.id, 'bob', true);
    expect((await repo.findMember(c.id, 'bob'))!.muted).toBe(true);
    expect((await repo.findMember(c.id, 'ada'))!.muted).toBe(false);
  });

  it('keeps a message’s mentions of its latest state (sent < edited < deleted) whatever order and repeats its events come in; a read drops them', async () => {
    const c = chat('group', null);
    await repo.createGroup(c, members(c, ['ada', 'bob', 'cy', 'dee']));
    const sent = preview(1, 'ada', 1);
    const edited = { ...sent, editedAt: at(2).toISOString() };
    const states: [LastMessagePreview, MentionState][] = [
      [sent, { seq: 1, state: '0', userIds: ['bob', 'cy'] }],
      [edited, { seq: 1, state: `1:${edited.editedAt}`, userIds: ['cy', 'dee'] }],
    ];
    const other = preview(2, 'bob', 3);
    // Edited after it was sent: the edit's mentions win, whichever came first, however often.
    for (const [p, m] of [states[1], states[0], states[1], states[0]]) await repo.applyMessage(c.id, 'ada', p, [], m);
    await repo.applyMessage(c.id, 'bob', other, [], { seq: 2, state: '0', userIds: ['cy'] });
    const seqs = async (userId: string) => (await repo.mentionSeqsOf(userId, [c.id])).get(c.id)?.sort() ?? [];
    expect(await seqs('bob')).toEqual([]);
    expect(await seqs('cy')).toEqual([1, 2]);
    expect(await seqs('dee')).toEqual([1]);
    expect(await repo.mentionSeqsOf('cy', [])).toEqual(new Map());

    // Deleted for everyone: gone, and a late "sent" or "edited" state does not bring them back.
    await repo.applyMessage(c.id, 'ada', { ...sent, text: null, deleted: true }, [], { seq: 1, state: '2', userIds: [] });
    for (const [p, m] of states) await repo.applyMessage(c.id, 'ada', p, [], m);
    expect(await seqs('dee')).toEqual([]);
    expect(await seqs('cy')).toEqual([2]);

    // Reading past a mention drops it for that reader only.
    await repo.mergePointers(c.id, 'cy', { lastReadSeq: 2, lastReadAt: at(4), lastDeliveredSeq: 2, lastDeliveredAt: at(4) });
    expect(await seqs('cy')).toEqual([]);
  });
});

describe('SqliteChatRepository: deferred merges', () => {
  it('commits a merge with later writes, and a read made meanwhile settles it first: the read shows the message', async () => {
    const db = openSqliteDatabase(':memory:', CHATS_MIGRATIONS);
    const repo = new SqliteChatRepository(db);
    try {
      const c = chat('direct', ['ada', 'bob']);
      await repo.createDirectIfAbsent(c, members(c, ['ada', 'bob']));
      const first = preview(1, 'ada', 5);
      const merged = repo.applyMessage(c.id, 'ada', first); // not awaited: the relay is the only one who waits
      expect((await repo.findById(c.id))!.lastMessage).toEqual(first);
      expect(await repo.findMember(c.id, 'ada')).toMatchObject({ lastReadSeq: 1 });
      const second = preview(2, 'bob', 6);
      void repo.applyMessage(c.id, 'bob', second);
      const page = await repo.listForUser('ada', null, 10);
      expect(page.entries.map((e) => [e.chat.lastSeq, e.chat.lastMessage?.messageId])).toEqual([[2, second.messageId]]);
      expect(await merged).toBe(true);
    } finally {
      db.close();
    }
  });
});
