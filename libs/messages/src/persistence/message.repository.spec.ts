import { openSqliteDatabase } from '@chat/platform';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { MessageDraft } from '../domain/message';
import { MessageRepository } from './message.repository';
import {
  ChatSeqDocument, ChatSeqSchema, MessageChatMemberDocument, MessageChatMemberSchema, MessageChatMembershipDocument, MessageChatMembershipSchema,
  MessageDocument, MessageHideDocument, MessageHideSchema, MessageSchema,
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
      await Promise.all([messages, seqs, hides, memberships, members].map((model) => model.syncIndexes()));
      return {
        repo: new MongoMessageRepository(connection, messages, seqs, hides, memberships, members),
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
  replyToId: null,
  createdAt: new Date(),
  editedAt: null,
  deletedAt: null,
});

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
    const newest = await repo.pageBefore('chat-a', 'bob', null, 3);
    expect(newest.map((m) => m.seq)).toEqual([10, 9, 8]);
    expect((await repo.pageBefore('chat-a', 'bob', 8, 3)).map((m) => m.seq)).toEqual([7, 6, 5]);
    expect((await repo.pageAfter('chat-a', 'bob', 8, 5)).map((m) => m.seq)).toEqual([9, 10]);

    const six = (await repo.pageBefore('chat-a', 'bob', 7, 1))[0];
    await repo.hideFor('bob', six);
    await repo.hideFor('bob', six);
    expect(await repo.isHiddenFor('bob', six)).toBe(true);
    expect(await repo.isHiddenFor('ada', six)).toBe(false);
    expect((await repo.pageBefore('chat-a', 'bob', 8, 3)).map((m) => m.seq)).toEqual([7, 5, 4]);
    expect((await repo.pageAfter('chat-a', 'bob', 4, 3)).map((m) => m.seq)).toEqual([5, 7, 8]);
    expect((await repo.pageBefore('chat-a', 'ada', 8, 3)).map((m) => m.seq)).toEqual([7, 6, 5]);
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

  it('numbers each edit and delete per chat, and lists the messages changed after a number in change order, as they are now', async () => {
    const sent = [];
    for (let i = 1; i <= 5; i++) sent.push((await repo.insertNext(draft('chat-a', 'ada', `c${i}`, `text ${i}`), none)).message);
    const other = (await repo.insertNext(draft('chat-b', 'ada'), none)).message;
    expect(await repo.lastChangeSeq('chat-a')).toBe(0);
    expect(sent.every((m) => m.changeSeq === null)).toBe(true);
    expect(await repo.changedAfter('chat-a', 'bob', 0, 10)).toEqual([]);

    const [one, two, three, four] = sent;
    expect((await repo.updateText(two.id, 'two, edited', new Date(), none))!.changeSeq).toBe(1);
    expect((await repo.tombstone(four.id, new Date(), none))!.changeSeq).toBe(2);
    expect((await repo.updateText(one.id, 'one, edited', new Date(), none))!.changeSeq).toBe(3);
    // Another chat counts on its own.
    expect((await repo.updateText(other.id, 'elsewhere', new Date(), none))!.changeSeq).toBe(1);
    expect(await repo.lastChangeSeq('chat-a')).toBe(3);
    expect(await repo.lastChangeSeq('chat-b')).toBe(1);
    expect(await repo.lastChangeSeq('chat-none')).toBe(0);

    const changed = await repo.changedAfter('chat-a', 'bob', 0, 10);
    expect(changed.map((m) => [m.id, m.changeSeq])).toEqual([[two.id, 1], [four.id, 2], [one.id, 3]]);
    expect(changed[0]).toMatchObject({ text: 'two, edited', seq: two.seq, deletedAt: null });
    expect(changed[1]).toMatchObject({ text: null, image: null, seq: four.seq });
    expect(changed[1].deletedAt).toBeInstanceOf(Date);
    // After a number, and bounded by the limit, in change order.
    expect((await repo.changedAfter('chat-a', 'bob', 1, 10)).map((m) => m.id)).toEqual([four.id, one.id]);
    expect((await repo.changedAfter('chat-a', 'bob', 0, 2)).map((m) => m.id)).toEqual([two.id, four.id]);
    expect(await repo.changedAfter('chat-a', 'bob', 3, 10)).toEqual([]);

    // A message changed again moves to the chat's newest number and comes once, in its current state.
    const deleted = await repo.tombstone(two.id, new Date(), none);
    expect(deleted!.changeSeq).toBe(4);
    expect((await repo.changedAfter('chat-a', 'bob', 0, 10)).map((m) => [m.id, m.changeSeq])).toEqual([[four.id, 2], [one.id, 3], [two.id, 4]]);
    expect((await repo.changedAfter('chat-a', 'bob', 3, 10))[0]).toMatchObject({ id: two.id, text: null });

    // Refused changes take no number: a tombstone is final.
    expect(await repo.updateText(two.id, 'back from the dead', new Date(), none)).toBeNull();
    expect(await repo.tombstone(two.id, new Date(), none)).toBeNull();
    expect((await repo.findById(two.id))!.changeSeq).toBe(4);
    expect(await repo.lastChangeSeq('chat-a')).toBe(4);

    // What a viewer hid for themselves is not theirs to catch up on.
    await repo.hideFor('bob', one);
    expect((await repo.changedAfter('chat-a', 'bob', 0, 10)).map((m) => m.id)).toEqual([four.id, two.id]);
    expect((await repo.changedAfter('chat-a', 'bob', 0, 2)).map((m) => m.id)).toEqual([four.id, two.id]);
    expect((await repo.changedAfter('chat-a', 'ada', 0, 10)).map((m) => m.id)).toEqual([four.id, one.id, two.id]);
    expect(three.changeSeq).toBeNull();
  });

  it('gives concurrent changes of one chat distinct numbers', async () => {
    const sent = await Promise.all(Array.from({ length: 12 }, (_, i) => repo.insertNext(draft('chat-a', 'ada', `c${i}`), none)));
    const changed = await Promise.all(sent.map(({ message }, i) => (i % 3 ? repo.updateText(message.id, `edit ${i}`, new Date(), none) : repo.tombstone(message.id, new Date(), none))));
    expect(changed.map((m) => m!.changeSeq).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect((await repo.changedAfter('chat-a', 'bob', 0, 100)).map((m) => m.changeSeq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  describe('membership projection, pointers and outbox', () => {
    const membership = (version: number, memberIds: string[]) => ({ chatId: 'chat-a', kind: 'group' as const, version, memberIds });
    const recorded = async () => (await repo.outbox.pending(100)).map((e) => e.payload);

    it('keeps the newest membership whatever the order its versions arrive in, and repeats change nothing', async () => {
      expect(await repo.findMembership('chat-a')).toBeNull();
      expect(await repo.applyMembership(membership(2, ['ada', 'bob', 'cyd']))).toBe(true);
      expect(await repo.applyMembership(membership(1, ['ada', 'bob']))).toBe(false);
      expect(await repo.applyMembership(membership(2, ['ada']))).toBe(false);
      expect((await repo.findMembership('chat-a'))!.members.map((m) => m.userId).sort()).toEqual(['ada', 'bob', 'cyd']);
      expect(await repo.applyMembership(membership(3, ['ada', 'cyd']))).toBe(true);
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

  describe('search', () => {
    const member = (chatId: string, ...memberIds: string[]) => repo.applyMembership({ chatId, kind: 'group', version: Date.now() + Math.random(), memberIds });
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
