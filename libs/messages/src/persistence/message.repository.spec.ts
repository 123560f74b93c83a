import { openSqliteDatabase } from '@chat/platform';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { Message, MessageDraft } from '../domain/message';
import { MessageRepository } from './message.repository';
import {
  ChatSeqDocument, ChatSeqSchema, MessageChatMemberDocument, MessageChatMemberSchema, MessageChatMembershipDocument, MessageChatMembershipSchema,
  MessageDocument, MessageHideDocument, MessageHideSchema, MessagePinDocument, MessagePinSchema, MessageReactionDocument, MessageReactionSchema, MessageSchema,
  MessageUserBlockDocument, MessageUserBlockSchema,
} from './mongo/message.schemas';
import { MongoMessageRepository } from './mongo/mongo-message.repository';
import { MESSAGES_MIGRATIONS } from './sqlite/messages.migrations';
import { SqliteMessageRepository } from './sqlite/sqlite-message.repository';

interface Adapter {
  name: string;
  open(): Promise<{ repo: MessageRepository; close(): Promise<void> }>;
}

const adapters: Adapter[] = [
  {
    name: 'sqlite',
    async open() {
      const db = openSqliteDatabase(':memory:', MESSAGES_MIGRATIONS);
      return { repo: new SqliteMessageRepository(db), close: async () => void db.close() };
    },
  },
];
// MongoDB runs wherever MONGODB_URI points at one (a replica set: seq assignment uses transactions).
if (process.env.MONGODB_URI) {
  adapters.push({
    name: 'mongodb',
    async open() {
      const connection = await mongoose.createConnection(process.env.MONGODB_URI!, { dbName: `messages_contract_${randomUUID().slice(0, 8)}` }).asPromise();
      const messages = connection.model(MessageDocument.name, MessageSchema);
      const seqs = connection.model(ChatSeqDocument.name, ChatSeqSchema);
      const hides = connection.model(MessageHideDocument.name, MessageHideSchema);
      const memberships = connection.model(MessageChatMembershipDocument.name, MessageChatMembershipSchema);
      const members = connection.model(MessageChatMemberDocument.name, MessageChatMemberSchema);
      const reactions = connection.model(MessageReactionDocument.name, MessageReactionSchema);
      const pins = connection.model(MessagePinDocument.name, MessagePinSchema);
      const blocks = connection.model(MessageUserBlockDocument.name, MessageUserBlockSchema);
      await Promise.all([messages, seqs, hides, memberships, members, reactions, pins, blocks].map((model) => model.syncIndexes()));
      return {
        repo: new MongoMessageRepository(connection, messages, seqs, hides, memberships, members, reactions, pins, blocks),
        close: async () => {
          await connection.dropDatabase();
          await connection.close();
        },
      };
    },
  });
}

const draft = (chatId: string, senderId: string, clientMessageId: string = randomUUID(), text = 'hello'): MessageDraft => ({
  id: randomUUID(),
  chatId,
  senderId,
  clientMessageId,
  text,
  image: null,
  file: null,
  replyToId: null,
  createdAt: new Date(),
  editedAt: null,
  deletedAt: null,
  system: null,
  forwarded: false,
});

/** A reader who sees the whole chat (floor 0). */
const all = (userId: string) => ({ userId, visibleFromSeq: 0 });

/** No events: what most of these tests store announces nothing. */
const none = () => [];

describe.each(adapters)('MessageRepository contract ($name)', (adapter) => {
  let repo: MessageRepository;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ repo, close } = await adapter.open());
  });
  afterEach(async () => {
    await close();
  });

  it('assigns per-chat seqs with no gap, independently per chat, under concurrent sends', async () => {
    const sends = Array.from({ length: 40 }, (_, i) => repo.insertNext(draft(i % 2 ? 'chat-a' : 'chat-b', `user${i % 3}`), none));
    const results = await Promise.all(sends);
    for (const chatId of ['chat-a', 'chat-b']) {
      const seqs = results.filter((r) => r.message.chatId === chatId).map((r) => r.message.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    }
  });

  it('is idempotent by (chat, sender, client message id): concurrent retries store one message', async () => {
    const retries = await Promise.all(Array.from({ length: 5 }, () => repo.insertNext(draft('chat-a', 'ada', 'client-1', 'once'), none)));
    expect(new Set(retries.map((r) => r.message.id)).size).toBe(1);
    expect(retries.filter((r) => r.created)).toHaveLength(1);
    // The same client id from someone else, or in another chat, is another message.
    expect((await repo.insertNext(draft('chat-a', 'bob', 'client-1'), none)).message.seq).toBe(2);
    expect((await repo.insertNext(draft('chat-b', 'ada', 'client-1'), none)).message.seq).toBe(1);
    expect((await repo.findByClientId('chat-a', 'ada', 'client-1'))!.text).toBe('once');
  });

  it('leaves no gap when an insert fails', async () => {
    const first = await repo.insertNext(draft('chat-a', 'ada'), none);
    // Reusing a message id violates its unique index: the transaction rolls back, seq included.
    // Only that it rejects is asserted: each engine words its own error (and better-sqlite3 builds its errors in
    // the first Jest realm that loaded it, so they are not instances of this file's Error either).
    await expect(repo.insertNext({ ...draft('chat-a', 'ada'), id: first.message.id }, none)).rejects.toBeDefined();
    expect((await repo.insertNext(draft('chat-a', 'ada'), none)).message.seq).toBe(2);
  });

  it('pages before and after a seq, newest or oldest first, skipping what the viewer hid', async () => {
    for (let i = 0; i < 10; i++) await repo.insertNext(draft('chat-a', 'ada', `c${i}`, `text ${i + 1}`), none);
    await repo.insertNext(draft('chat-b', 'ada'), none);
    const newest = await repo.pageBefore('chat-a', all('bob'), null, 3);
    expect(newest.map((m) => m.seq)).toEqual([10, 9, 8]);
    expect((await repo.pageBefore('chat-a', all('bob'), 8, 3)).map((m) => m.seq)).toEqual([7, 6, 5]);
    expect((await repo.pageAfter('chat-a', all('bob'), 8, 5)).map((m) => m.seq)).toEqual([9, 10]);

    const six = (await repo.pageBefore('chat-a', all('bob'), 7, 1))[0];
    await repo.hideFor('bob', six);
    await repo.hideFor('bob', six);
    expect(await repo.isHiddenFor('bob', six)).toBe(true);
    expect(await repo.isHiddenFor('ada', six)).toBe(false);
    expect((await repo.pageBefore('chat-a', all('bob'), 8, 3)).map((m) => m.seq)).toEqual([7, 5, 4]);
    expect((await repo.pageAfter('chat-a', all('bob'), 4, 3)).map((m) => m.seq)).toEqual([5, 7, 8]);
    expect((await repo.pageBefore('chat-a', all('ada'), 8, 3)).map((m) => m.seq)).toEqual([7, 6, 5]);
  });

  it('edits text and tombstones a message, clearing text and image but keeping its seq', async () => {
    const image = { key: 'ab/cd.webp', url: '/media/ab/cd.webp', thumbnailUrl: '/media/ab/cd.thumb.webp', width: 10, height: 10, mimeType: 'image/webp', bytes: 100 };
    const { message } = await repo.insertNext({ ...draft('chat-a', 'ada'), image }, none);
    const editedAt = new Date();
    expect(await repo.updateText(message.id, 'changed', editedAt, none)).toMatchObject({ text: 'changed', editedAt });
    const tomb = await repo.tombstone(message.id, new Date(), none);
    expect(tomb).toMatchObject({ seq: 1, text: null, image: null });
    expect(tomb!.deletedAt).toBeInstanceOf(Date);
    // A tombstone is final: no edit brings text back, and a refused change says so with null.
    expect(await repo.updateText(message.id, 'again', new Date(), none)).toBeNull();
    expect(await repo.findById(message.id)).toMatchObject({ text: null });
    expect((await repo.findByIds([message.id, 'missing'])).map((m) => m.id)).toEqual([message.id]);
  });

  it('stores a file with its message and clears it with the tombstone', async () => {
    const file = { key: '0123456789abcdef0123456789abcdef.bin', url: '/media/files/0123456789abcdef0123456789abcdef.bin', name: 'voice.webm', mimeType: 'audio/webm', bytes: 4096, kind: 'voice' as const, durationMs: 2100 };
    const { message } = await repo.insertNext({ ...draft('chat-f', 'ada'), text: null, file }, none);
    expect(message).toMatchObject({ text: null, image: null, file });
    expect(await repo.findById(message.id)).toMatchObject({ file });
    expect((await repo.pageBefore('chat-f', { userId: 'bob', visibleFromSeq: 0 }, 100, 10))[0]).toMatchObject({ file });
    const tomb = await repo.tombstone(message.id, new Date(), none);
    expect(tomb).toMatchObject({ text: null, image: null, file: null });
    expect(await repo.findById(message.id)).toMatchObject({ file: null });
  });

  it('numbers each edit and delete per chat, and lists the messages changed after a number in change order, as they are now', async () => {
    const sent = [];
    for (let i = 1; i <= 5; i++) sent.push((await repo.insertNext(draft('chat-a', 'ada', `c${i}`, `text ${i}`), none)).message);
    const other = (await repo.insertNext(draft('chat-b', 'ada'), none)).message;
    expect(await repo.lastChangeSeq('chat-a')).toBe(0);
    expect(sent.every((m) => m.changeSeq === null)).toBe(true);
    expect(await repo.changedAfter('chat-a', all('bob'), 0, 10)).toEqual([]);

    const [one, two, three, four] = sent;
    expect((await repo.updateText(two.id, 'two, edited', new Date(), none))!.changeSeq).toBe(1);
    expect((await repo.tombstone(four.id, new Date(), none))!.changeSeq).toBe(2);
    expect((await repo.updateText(one.id, 'one, edited', new Date(), none))!.changeSeq).toBe(3);
    // Another chat counts on its own.
    expect((await repo.updateText(other.id, 'elsewhere', new Date(), none))!.changeSeq).toBe(1);
    expect(await repo.lastChangeSeq('chat-a')).toBe(3);
    expect(await repo.lastChangeSeq('chat-b')).toBe(1);
    expect(await repo.lastChangeSeq('chat-none')).toBe(0);

    const changed = await repo.changedAfter('chat-a', all('bob'), 0, 10);
    expect(changed.map((m) => [m.id, m.changeSeq])).toEqual([[two.id, 1], [four.id, 2], [one.id, 3]]);
    expect(changed[0]).toMatchObject({ text: 'two, edited', seq: two.seq, deletedAt: null });
    expect(changed[1]).toMatchObject({ text: null, image: null, seq: four.seq });
    expect(changed[1].deletedAt).toBeInstanceOf(Date);
    // After a number, and bounded by the limit, in change order.
    expect((await repo.changedAfter('chat-a', all('bob'), 1, 10)).map((m) => m.id)).toEqual([four.id, one.id]);
    expect((await repo.changedAfter('chat-a', all('bob'), 0, 2)).map((m) => m.id)).toEqual([two.id, four.id]);
    expect(await repo.changedAfter('chat-a', all('bob'), 3, 10)).toEqual([]);

    // A message changed again moves to the chat's newest number and comes once, in its current state.
    const deleted = await repo.tombstone(two.id, new Date(), none);
    expect(deleted!.changeSeq).toBe(4);
    expect((await repo.changedAfter('chat-a', all('bob'), 0, 10)).map((m) => [m.id, m.changeSeq])).toEqual([[four.id, 2], [one.id, 3], [two.id, 4]]);
    expect((await repo.changedAfter('chat-a', all('bob'), 3, 10))[0]).toMatchObject({ id: two.id, text: null });

    // Refused changes take no number: a tombstone is final.
    expect(await repo.updateText(two.id, 'back from the dead', new Date(), none)).toBeNull();
    expect(await repo.tombstone(two.id, new Date(), none)).toBeNull();
    expect((await repo.findById(two.id))!.changeSeq).toBe(4);
    expect(await repo.lastChangeSeq('chat-a')).toBe(4);

    // What a viewer hid for themselves is not theirs to catch up on.
    await repo.hideFor('bob', one);
    expect((await repo.changedAfter('chat-a', all('bob'), 0, 10)).map((m) => m.id)).toEqual([four.id, two.id]);
    expect((await repo.changedAfter('chat-a', all('bob'), 0, 2)).map((m) => m.id)).toEqual([four.id, two.id]);
    expect((await repo.changedAfter('chat-a', all('ada'), 0, 10)).map((m) => m.id)).toEqual([four.id, one.id, two.id]);
    expect(three.changeSeq).toBeNull();
  });

  it('gives concurrent changes of one chat distinct numbers', async () => {
    const sent = await Promise.all(Array.from({ length: 12 }, (_, i) => repo.insertNext(draft('chat-a', 'ada', `c${i}`), none)));
    const changed = await Promise.all(sent.map(({ message }, i) => (i % 3 ? repo.updateText(message.id, `edit ${i}`, new Date(), none) : repo.tombstone(message.id, new Date(), none))));
    expect(changed.map((m) => m!.changeSeq).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect((await repo.changedAfter('chat-a', all('bob'), 0, 100)).map((m) => m.changeSeq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('stores a forwarded copy as such, and finds the other live messages showing a media key', async () => {
    const image = { key: 'ab/cd.webp', url: '/media/ab/cd.webp', thumbnailUrl: '/media/ab/cd.thumb.webp', width: 10, height: 10, mimeType: 'image/webp', bytes: 100 };
    const original = (await repo.insertNext({ ...draft('chat-a', 'ada'), image }, none)).message;
    expect(original.forwarded).toBe(false);
    expect(await repo.mediaKeyInUse('ab/cd.webp', original.id)).toBe(false);
    const copy = (await repo.insertNext({ ...draft('chat-b', 'bob'), image, forwarded: true }, none)).message;
    expect(copy.forwarded).toBe(true);
    expect((await repo.findById(copy.id))!.forwarded).toBe(true);
    expect(await repo.mediaKeyInUse('ab/cd.webp', original.id)).toBe(true);
    await repo.tombstone(copy.id, new Date(), none);
    expect(await repo.mediaKeyInUse('ab/cd.webp', original.id)).toBe(false);
    expect(await repo.mediaKeyInUse('ab/other.webp', original.id)).toBe(false);
  });

  it('pins a message once, up to a limit, lists pins newest first and records events with each change', async () => {
    const sent: Message[] = [];
    for (let i = 0; i < 3; i++) sent.push((await repo.insertNext(draft('chat-a', 'ada'), none)).message);
    const announce = (pattern: string) => (pin: { messageId: string }) => [{ pattern, payload: pin.messageId }];
    const pinOf = (i: number, at: number) => ({ chatId: 'chat-a', messageId: sent[i].id, seq: sent[i].seq, pinnedBy: 'ada', pinnedAt: new Date(at) });
    expect(await repo.pin(pinOf(0, 1000), 2, announce('pinned'))).toBe('pinned');
    expect(await repo.pin(pinOf(0, 2000), 2, announce('pinned'))).toBe('exists');
    expect(await repo.pin(pinOf(1, 3000), 2, announce('pinned'))).toBe('pinned');
    expect(await repo.pin(pinOf(2, 4000), 2, announce('pinned'))).toBe('full');
    expect((await repo.listPins('chat-a')).map((p) => [p.messageId, p.pinnedAt.getTime()])).toEqual([[sent[1].id, 3000], [sent[0].id, 1000]]);
    expect(await repo.listPins('chat-b')).toEqual([]);
    expect(await repo.unpin('chat-a', sent[0].id, announce('unpinned'))).toBe(true);
    expect(await repo.unpin('chat-a', sent[0].id, announce('unpinned'))).toBe(false);
    expect((await repo.listPins('chat-a')).map((p) => p.messageId)).toEqual([sent[1].id]);
    expect((await repo.outbox.pending(10)).map((e) => [e.pattern, e.payload])).toEqual([
      ['pinned', sent[0].id],
      ['pinned', sent[1].id],
      ['unpinned', sent[0].id],
    ]);
  });

  it('keeps the newest block of each pair whatever the order its versions arrive in', async () => {
    expect(await repo.blocksBetween('ada', 'bob')).toEqual([]);
    expect(await repo.applyBlock({ blockerId: 'bob', blockedId: 'ada', blocked: false, version: 2 })).toBe(true);
    expect(await repo.applyBlock({ blockerId: 'bob', blockedId: 'ada', blocked: true, version: 1 })).toBe(false);
    expect(await repo.applyBlock({ blockerId: 'bob', blockedId: 'ada', blocked: true, version: 2 })).toBe(false);
    expect(await repo.blocksBetween('ada', 'bob')).toEqual([{ blockerId: 'bob', blockedId: 'ada', blocked: false, version: 2 }]);
    expect(await repo.applyBlock({ blockerId: 'bob', blockedId: 'ada', blocked: true, version: 3 })).toBe(true);
    expect(await repo.applyBlock({ blockerId: 'ada', blockedId: 'bob', blocked: true, version: 1 })).toBe(true);
    const held = await repo.blocksBetween('bob', 'ada');
    expect(held.sort((a, b) => a.blockerId.localeCompare(b.blockerId))).toEqual([
      { blockerId: 'ada', blockedId: 'bob', blocked: true, version: 1 },
      { blockerId: 'bob', blockedId: 'ada', blocked: true, version: 3 },
    ]);
    expect(await repo.blocksBetween('ada', 'cyd')).toEqual([]);
  });

  it('names the other member of a 1:1 chat from the membership projection', async () => {
    await repo.applyMembership({ chatId: 'dm', kind: 'direct', version: 1, memberIds: ['ada', 'bob'], historyVisible: true });
    expect(await repo.otherMember('dm', 'ada')).toBe('bob');
    expect(await repo.otherMember('dm', 'bob')).toBe('ada');
    expect(await repo.otherMember('unknown', 'ada')).toBeNull();
  });

  it("answers the send facts asked for together, each with its own chat's", async () => {
    await repo.applyMembership({ chatId: 'dm', kind: 'direct', version: 1, memberIds: ['ada', 'bob'], historyVisible: true });
    await repo.applyMembership({ chatId: 'team', kind: 'group', version: 1, memberIds: ['ada', 'cyd'], historyVisible: true });
    await repo.applyBlock({ blockerId: 'bob', blockedId: 'ada', blocked: true, version: 1 });
    const stored = (await repo.insertNext(draft('team', 'ada', 'sent-before'), none)).message;
    const [direct, group, retry, stranger] = await Promise.all([
      repo.sendFacts('dm', 'ada', randomUUID()),
      repo.sendFacts('team', 'ada', randomUUID()),
      repo.sendFacts('team', 'ada', 'sent-before'),
      repo.sendFacts('team', 'bob', randomUUID()),
    ]);
    expect(direct).toEqual({ kind: 'direct', stored: null, otherMemberId: 'bob', blocks: [{ blockerId: 'bob', blockedId: 'ada', blocked: true, version: 1 }] });
    expect(group).toEqual({ kind: 'group', stored: null, otherMemberId: null, blocks: [] });
    expect(retry).toEqual({ kind: 'group', stored, otherMemberId: null, blocks: [] });
    expect(stranger).toEqual({ kind: null, stored: null, otherMemberId: null, blocks: [] });
  });

  describe('membership projection, pointers and outbox', () => {
    const membership = (version: number, memberIds: string[], historyVisible = true) => ({ chatId: 'chat-a', kind: 'group' as const, version, memberIds, historyVisible });
    const applied = async (...args: Parameters<MessageRepository['applyMembership']>) => (await repo.applyMembership(...args)).applied;
    const recorded = async () => (await repo.outbox.pending(100)).map((e) => e.payload);

    it('keeps the newest membership whatever the order its versions arrive in, and repeats change nothing', async () => {
      expect(await repo.findMembership('chat-a')).toBeNull();
      expect(await applied(membership(2, ['ada', 'bob', 'cyd']))).toBe(true);
      expect(await applied(membership(1, ['ada', 'bob']))).toBe(false);
      expect(await applied(membership(2, ['ada']))).toBe(false);
      expect((await repo.findMembership('chat-a'))!.members.map((m) => m.userId).sort()).toEqual(['ada', 'bob', 'cyd']);
      expect(await applied(membership(3, ['ada', 'cyd']))).toBe(true);
      expect(await repo.findMembership('chat-a')).toMatchObject({ kind: 'group', version: 3 });
      expect(await repo.memberKind('chat-a', 'cyd')).toBe('group');
      expect(await repo.memberKind('chat-a', 'bob')).toBeNull();
      expect(await repo.memberKind('chat-b', 'ada')).toBeNull();
      expect((await repo.findMembership('chat-a'))!.members.map((m) => m.userId).sort()).toEqual(['ada', 'cyd']);
    });

    it('starts a new member at the last seq sent before them: nothing earlier is owed to them as unread', async () => {
      await repo.applyMembership(membership(1, ['ada']));
      for (let i = 0; i < 3; i++) await repo.insertNext(draft('chat-a', 'ada'), none);
      await repo.applyMembership(membership(2, ['ada', 'bob']));
      const bob = (await repo.findMembership('chat-a'))!.members.find((m) => m.userId === 'bob')!;
      expect(bob).toMatchObject({ lastReadSeq: 3, lastDeliveredSeq: 3 });
    });

    it('starts a member who joins at the next seq unless the group shows earlier history; joining again starts again', async () => {
      await repo.applyMembership(membership(1, ['ada', 'bob'], false));
      for (let i = 0; i < 3; i++) await repo.insertNext(draft('chat-a', 'ada'), none);
      await repo.applyMembership(membership(2, ['ada', 'bob', 'cyd'], false));
      await repo.applyMembership(membership(3, ['ada', 'bob', 'cyd', 'dee'], true));
      const floors = async () => Object.fromEntries((await repo.findMembership('chat-a'))!.members.map((m) => [m.userId, m.visibleFromSeq]));
      expect(await floors()).toEqual({ ada: 1, bob: 1, cyd: 4, dee: 0 });
      expect(await repo.findMember('chat-a', 'cyd')).toMatchObject({ visibleFromSeq: 4, lastReadSeq: 3 });
      expect(await repo.findMember('chat-a', 'zed')).toBeNull();
      await repo.insertNext(draft('chat-a', 'ada'), none);
      await repo.applyMembership(membership(4, ['ada', 'cyd', 'dee'], false));
      await repo.insertNext(draft('chat-a', 'ada'), none);
      await repo.applyMembership(membership(5, ['ada', 'bob', 'cyd', 'dee'], false));
      expect((await floors()).bob).toBe(6);

      // Pages, changes and their bounds leave out what came before the reader's floor.
      const bob = { userId: 'bob', visibleFromSeq: 6 };
      expect(await repo.pageBefore('chat-a', bob, null, 10)).toEqual([]);
      await repo.insertNext(draft('chat-a', 'ada'), none);
      expect((await repo.pageBefore('chat-a', bob, null, 10)).map((m) => m.seq)).toEqual([6]);
      expect((await repo.pageAfter('chat-a', bob, 0, 10)).map((m) => m.seq)).toEqual([6]);
      expect((await repo.pageBefore('chat-a', { userId: 'cyd', visibleFromSeq: 4 }, null, 10)).map((m) => m.seq)).toEqual([6, 5, 4]);
      const [old] = await repo.pageAfter('chat-a', all('ada'), 0, 1);
      await repo.updateText(old.id, 'edited before bob came back', new Date(), none);
      expect(await repo.changedAfter('chat-a', bob, 0, 10)).toEqual([]);
      expect((await repo.changedAfter('chat-a', all('ada'), 0, 10)).map((m) => m.seq)).toEqual([1]);
    });

    it('writes a change’s system message once with the next seq, after the membership it brings, whatever the deliveries', async () => {
      await repo.applyMembership(membership(1, ['ada', 'bob'], false));
      await repo.insertNext(draft('chat-a', 'ada'), none);
      const event = { type: 'members-added' as const, userIds: ['cyd'], actorId: 'ada' };
      const system = (id: string) => ({
        draft: { ...draft('chat-a', 'ada', 'system:2', ''), id, text: null, system: event },
        announce: (m: { seq: number }, members: { userId: string }[]) => [{ pattern: 'system', payload: { seq: m.seq, to: members.map((x) => x.userId).sort() } }],
      });
      const first = await repo.applyMembership(membership(2, ['ada', 'bob', 'cyd'], false), system(randomUUID()));
      expect(first).toMatchObject({ applied: true, message: { seq: 2, system: event, text: null, senderId: 'ada' } });
      // Delivered again: nothing new, in the timeline or the outbox.
      expect(await repo.applyMembership(membership(2, ['ada', 'bob', 'cyd'], false), system(randomUUID()))).toEqual({ applied: false, message: null });
      expect((await repo.findById(first.message!.id))!.system).toEqual(event);
      // The new member sees the line that adds them, and nothing before it; its actor has read it, as a sender has.
      expect(await repo.findMember('chat-a', 'cyd')).toMatchObject({ visibleFromSeq: 2 });
      expect(await repo.findMember('chat-a', 'ada')).toMatchObject({ lastReadSeq: 2 });
      expect((await repo.outbox.pending(10)).map((e) => e.payload)).toEqual([{ seq: 2, to: ['ada', 'bob', 'cyd'] }]);
    });

    it('stores a message, moves its sender to it and records its events in one step; a retry records nothing', async () => {
      await repo.applyMembership(membership(1, ['ada', 'bob']));
      const announce = (message: { seq: number; senderId: string }, members: { userId: string; lastReadSeq: number }[]) => [
        { pattern: 'test.created', payload: { seq: message.seq, readSeqs: Object.fromEntries(members.map((m) => [m.userId, m.lastReadSeq])) } },
      ];
      await repo.insertNext(draft('chat-a', 'ada', 'c1'), announce);
      await repo.insertNext(draft('chat-a', 'bob', 'c2'), announce);
      await repo.insertNext(draft('chat-a', 'ada', 'c1'), announce);
      expect(await recorded()).toEqual([
        { seq: 1, readSeqs: { ada: 1, bob: 0 } },
        { seq: 2, readSeqs: { ada: 1, bob: 2 } },
      ]);
    });

    it('records the events of an edit and a deletion with them, and none for a refused change', async () => {
      const { message } = await repo.insertNext(draft('chat-a', 'ada'), none);
      const announce = (pattern: string) => (m: { text: string | null }) => [{ pattern, payload: { text: m.text } }];
      await repo.updateText(message.id, 'edited', new Date(), announce('edited'));
      await repo.tombstone(message.id, new Date(), announce('deleted'));
      await repo.updateText(message.id, 'late', new Date(), announce('edited'));
      await repo.tombstone(message.id, new Date(), announce('deleted'));
      expect((await repo.outbox.pending(10)).map((e) => [e.pattern, e.payload])).toEqual([
        ['edited', { text: 'edited' }],
        ['deleted', { text: null }],
      ]);
    });

    it('moves pointers forward only, never past the last seq, recording an event only when they move', async () => {
      await repo.applyMembership(membership(1, ['ada', 'bob']));
      for (let i = 0; i < 3; i++) await repo.insertNext(draft('chat-a', 'ada'), none);
      const announce = (p: { userId: string; lastReadSeq: number; lastDeliveredSeq: number }) => [{ pattern: 'moved', payload: { ...p } }];
      const at = new Date();
      expect(await repo.movePointers('chat-a', 'bob', { read: false, seq: 2, at }, announce)).toMatchObject({ lastDeliveredSeq: 2, lastReadSeq: 0 });
      expect(await repo.movePointers('chat-a', 'bob', { read: true, seq: 99, at }, announce)).toMatchObject({ lastDeliveredSeq: 3, lastReadSeq: 3 });
      expect(await repo.movePointers('chat-a', 'bob', { read: true, seq: 1, at }, announce)).toMatchObject({ lastReadSeq: 3 });
      expect(await repo.movePointers('chat-a', 'zed', { read: true, seq: 1, at }, announce)).toBeNull();
      expect((await repo.outbox.pending(10)).map((e) => e.payload)).toMatchObject([
        { userId: 'bob', lastDeliveredSeq: 2, lastReadSeq: 0 },
        { userId: 'bob', lastDeliveredSeq: 3, lastReadSeq: 3 },
      ]);
    });

    it('removes relayed events and keeps the rest in recording order', async () => {
      const { message } = await repo.insertNext(draft('chat-a', 'ada'), () => [
        { pattern: 'a', payload: 1 },
        { pattern: 'b', payload: 2 },
        { pattern: 'c', payload: 3 },
      ]);
      expect(message.seq).toBe(1);
      const [first, second] = await repo.outbox.pending(2);
      await repo.outbox.remove([first.id, second.id, first.id]);
      expect((await repo.outbox.pending(10)).map((e) => e.pattern)).toEqual(['c']);
    });
  });

  describe('reactions', () => {
    const allowAll = () => true;
    const on = (userId: string, emoji: string) => ({ userId, emoji, on: true, at: new Date() });
    const off = (userId: string, emoji: string) => ({ userId, emoji, on: false, at: new Date() });
    const rows = (reactions: { emoji: string; userId: string }[]) => reactions.map((r) => `${r.emoji}:${r.userId}`).sort();

    it('adds each emoji once per member, removes it, numbers every change like an edit and announces only changes', async () => {
      const { message } = await repo.insertNext(draft('chat-a', 'ada'), none);
      const announce = (m: { changeSeq: number | null }, reactions: { emoji: string; userId: string }[]) => [{ pattern: 'reactions', payload: { version: m.changeSeq, rows: rows(reactions) } }];
      expect(await repo.setReaction(message.id, on('bob', '👍'), allowAll, announce)).toMatchObject({ kind: 'changed', message: { changeSeq: 1 } });
      expect(await repo.setReaction(message.id, on('bob', '👍'), allowAll, announce)).toMatchObject({ kind: 'unchanged' });
      expect(await repo.setReaction(message.id, on('cat', '👍'), allowAll, announce)).toMatchObject({ kind: 'changed', message: { changeSeq: 2 } });
      expect(await repo.setReaction(message.id, off('bob', '👍'), allowAll, announce)).toMatchObject({ kind: 'changed', message: { changeSeq: 3 } });
      expect(await repo.setReaction(message.id, off('bob', '👍'), allowAll, announce)).toMatchObject({ kind: 'unchanged' });
      expect((await repo.outbox.pending(10)).map((e) => e.payload)).toEqual([
        { version: 1, rows: ['👍:bob'] },
        { version: 2, rows: ['👍:bob', '👍:cat'] },
        { version: 3, rows: ['👍:cat'] },
      ]);
      // Catch-up lists it like an edit, at its last number.
      expect((await repo.changedAfter('chat-a', { userId: 'ada', visibleFromSeq: 0 }, 0, 10)).map((m) => [m.id, m.changeSeq])).toEqual([[message.id, 3]]);
      expect(rows(await repo.reactionsOf('chat-a', [message.seq]))).toEqual(['👍:cat']);
    });

    it('asks `allow` with the emojis in use before adding one, and writes nothing when refused', async () => {
      const { message } = await repo.insertNext(draft('chat-a', 'ada'), none);
      await repo.setReaction(message.id, on('bob', '👍'), allowAll, none);
      await repo.setReaction(message.id, on('cat', '👍'), allowAll, none);
      const asked: string[][] = [];
      const refuse = (inUse: string[]) => (asked.push(inUse), false);
      expect(await repo.setReaction(message.id, on('bob', '🎉'), refuse, none)).toEqual({ kind: 'refused' });
      expect(asked).toEqual([['👍']]);
      expect(rows(await repo.reactionsOf('chat-a', [message.seq]))).toEqual(['👍:bob', '👍:cat']);
      expect(await repo.lastChangeSeq('chat-a')).toBe(2);
    });

    it('keeps reactions through an edit, announcing them with it, and removes them with a deletion for everyone', async () => {
      const { message } = await repo.insertNext(draft('chat-a', 'ada'), none);
      const other = (await repo.insertNext(draft('chat-a', 'ada'), none)).message;
      await repo.setReaction(message.id, on('bob', '❤️'), allowAll, none);
      await repo.setReaction(other.id, on('bob', '😂'), allowAll, none);
      const announce = (pattern: string) => (_m: unknown, reactions: { emoji: string; userId: string }[]) => [{ pattern, payload: rows(reactions) }];
      await repo.updateText(message.id, 'edited', new Date(), announce('edited'));
      expect(rows(await repo.reactionsOf('chat-a', [message.seq]))).toEqual(['❤️:bob']);
      await repo.tombstone(message.id, new Date(), announce('deleted'));
      expect(await repo.reactionsOf('chat-a', [message.seq])).toEqual([]);
      expect(rows(await repo.reactionsOf('chat-a', [message.seq, other.seq]))).toEqual(['😂:bob']);
      expect((await repo.outbox.pending(10)).map((e) => [e.pattern, e.payload])).toEqual([
        ['edited', ['❤️:bob']],
        ['deleted', []],
      ]);
      // A tombstone takes no reaction, and a missing message neither.
      expect(await repo.setReaction(message.id, on('bob', '👍'), allowAll, none)).toEqual({ kind: 'gone' });
      expect(await repo.setReaction('missing', on('bob', '👍'), allowAll, none)).toEqual({ kind: 'gone' });
    });
  });

  describe('search', () => {
    const member = (chatId: string, ...memberIds: string[]) => repo.applyMembership({ chatId, kind: 'group', version: Date.now() + Math.random(), memberIds, historyVisible: true });
    const texts = (found: { messages: { text: string | null }[] }) => found.messages.map((m) => m.text);
    const search = (viewerId: string, terms: string[], extra: Partial<{ chatId: string | null; order: 'newest' | 'relevance'; after: number | null; limit: number }> = {}) =>
      repo.search({ viewerId, terms, chatId: null, order: 'newest', after: null, limit: 20, ...extra });

    it('finds every term as a word, newest first, in the chats the viewer is a member of, in one or all', async () => {
      await member('chat-a', 'ada', 'bob');
      await member('chat-b', 'ada');
      await member('chat-c', 'bob');
      await repo.insertNext(draft('chat-a', 'bob', 'a1', 'Lunch at the Café?'), none);
      await repo.insertNext(draft('chat-b', 'ada', 'b1', 'no lunch today, cafe closed'), none);
      await repo.insertNext(draft('chat-c', 'bob', 'c1', 'lunch in a chat Ada is not in'), none);
      await repo.insertNext(draft('chat-a', 'ada', 'a2', 'lunches are not lunch-less'), none);
      await repo.insertNext(draft('chat-a', 'ada', 'a3', 'dinner'), none);

      expect(texts(await search('ada', ['lunch']))).toEqual(['lunches are not lunch-less', 'no lunch today, cafe closed', 'Lunch at the Café?']);
      expect(texts(await search('ada', ['cafe', 'lunch']))).toEqual(['no lunch today, cafe closed', 'Lunch at the Café?']);
      expect(texts(await search('ada', ['lunch'], { chatId: 'chat-a' }))).toEqual(['lunches are not lunch-less', 'Lunch at the Café?']);
      expect(texts(await search('ada', ['lunch'], { chatId: 'chat-c' }))).toEqual([]);
      expect(texts(await search('ada', ['breakfast']))).toEqual([]);
      expect(texts(await search('bob', ['lunch']))).toEqual(['lunches are not lunch-less', 'lunch in a chat Ada is not in', 'Lunch at the Café?']);

      // Removed from a chat: none of its messages any more.
      await member('chat-a', 'bob');
      expect(texts(await search('ada', ['lunch']))).toEqual(['no lunch today, cafe closed']);
    });

    it('never finds what a member added later was not there for (their floor), unless the group shows earlier history', async () => {
      await repo.applyMembership({ chatId: 'chat-f', kind: 'group', version: 1, memberIds: ['ada'], historyVisible: false });
      await repo.insertNext(draft('chat-f', 'ada', 'f1', 'before bob joined'), none);
      await repo.applyMembership({ chatId: 'chat-f', kind: 'group', version: 2, memberIds: ['ada', 'bob'], historyVisible: false });
      await repo.insertNext(draft('chat-f', 'ada', 'f2', 'after bob joined'), none);
      expect(texts(await search('bob', ['joined']))).toEqual(['after bob joined']);
      expect(texts(await search('ada', ['joined']))).toEqual(['after bob joined', 'before bob joined']);
      await repo.applyMembership({ chatId: 'chat-g', kind: 'group', version: 1, memberIds: ['ada'], historyVisible: true });
      await repo.insertNext(draft('chat-g', 'ada', 'g1', 'open history'), none);
      await repo.applyMembership({ chatId: 'chat-g', kind: 'group', version: 2, memberIds: ['ada', 'cat'], historyVisible: true });
      expect(texts(await search('cat', ['history']))).toEqual(['open history']);
    });

    it('never finds what was deleted for everyone or hidden for the viewer, and finds an edit by its new words only', async () => {
      await member('chat-a', 'ada', 'bob');
      const gone = await repo.insertNext(draft('chat-a', 'ada', 'x1', 'secret plan one'), none);
      const hidden = await repo.insertNext(draft('chat-a', 'ada', 'x2', 'secret plan two'), none);
      const edited = await repo.insertNext(draft('chat-a', 'ada', 'x3', 'secret plan three'), none);
      await repo.insertNext(draft('chat-a', 'ada', 'x4', 'secret plan four'), none);
      await repo.tombstone(gone.message.id, new Date(), none);
      await repo.hideFor('bob', hidden.message);
      await repo.updateText(edited.message.id, 'public notice', new Date(), none);

      expect(texts(await search('bob', ['secret']))).toEqual(['secret plan four']);
      expect(texts(await search('ada', ['secret']))).toEqual(['secret plan four', 'secret plan two']);
      expect(texts(await search('bob', ['public', 'notice']))).toEqual(['public notice']);
      // The edited message keeps its place (its number) in the newest-first order.
      await repo.updateText(edited.message.id, 'secret again', new Date(), none);
      expect(texts(await search('ada', ['secret']))).toEqual(['secret plan four', 'secret again', 'secret plan two']);
    });

    it('pages newest first and by relevance without repeating or losing a result', async () => {
      await member('chat-a', 'ada');
      await member('chat-b', 'ada');
      for (let i = 0; i < 25; i++) await repo.insertNext(draft(i % 2 ? 'chat-a' : 'chat-b', 'ada', `p${i}`, `topic number ${i}${i === 7 ? ' topic topic' : ''}`), none);
      for (const order of ['newest', 'relevance'] as const) {
        const seen: string[] = [];
        let after: number | null = null;
        let pages = 0;
        do {
          const page = await search('ada', ['topic'], { order, after, limit: 10 });
          seen.push(...page.messages.map((m) => m.text!));
          after = page.next;
          pages++;
        } while (after !== null && pages < 10);
        expect(pages).toBe(3);
        expect(new Set(seen).size).toBe(25);
        if (order === 'newest') expect(seen[0]).toBe('topic number 24');
        // The one that says it three times comes first by relevance.
        else expect(seen[0]).toBe('topic number 7 topic topic');
      }
    });
  });
});

describe('SqliteMessageRepository send facts', () => {
  it('reads the facts of the sends asked for in one stretch in one read transaction', async () => {
    const db = openSqliteDatabase(':memory:', MESSAGES_MIGRATIONS);
    let transactions = 0;
    const transaction = db.transaction.bind(db);
    jest.spyOn(db, 'transaction').mockImplementation(((work: (...args: never[]) => unknown) => {
      const made = transaction(work);
      return Object.assign((...args: never[]) => (transactions++, made(...args)), { immediate: made.immediate });
    }) as never);
    const repo = new SqliteMessageRepository(db);
    await repo.applyMembership({ chatId: 'dm', kind: 'direct', version: 1, memberIds: ['ada', 'bob'], historyVisible: true });
    const before = transactions;
    const facts = await Promise.all(['ada', 'bob', 'cyd'].map((userId) => repo.sendFacts('dm', userId, randomUUID())));
    expect(facts.map((f) => [f.kind, f.otherMemberId])).toEqual([['direct', 'bob'], ['direct', 'ada'], [null, null]]);
    expect(transactions - before).toBe(1);
    await repo.sendFacts('dm', 'ada', randomUUID());
    expect(transactions - before).toBe(2);
    db.close();
  });
});
