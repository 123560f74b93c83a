import { openSqliteDatabase } from '@chat/platform';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { MessageDraft } from '../domain/message';
import { MessageRepository } from './message.repository';
import { ChatSeqDocument, ChatSeqSchema, MessageDocument, MessageHideDocument, MessageHideSchema, MessageSchema } from './mongo/message.schemas';
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
      await Promise.all([messages.syncIndexes(), seqs.syncIndexes(), hides.syncIndexes()]);
      return {
        repo: new MongoMessageRepository(connection, messages, seqs, hides),
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
    const sends = Array.from({ length: 40 }, (_, i) => repo.insertNext(draft(i % 2 ? 'chat-a' : 'chat-b', `user${i % 3}`)));
    const results = await Promise.all(sends);
    for (const chatId of ['chat-a', 'chat-b']) {
      const seqs = results.filter((r) => r.message.chatId === chatId).map((r) => r.message.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    }
  });

  it('is idempotent by (chat, sender, client message id): concurrent retries store one message', async () => {
    const retries = await Promise.all(Array.from({ length: 5 }, () => repo.insertNext(draft('chat-a', 'ada', 'client-1', 'once'))));
    expect(new Set(retries.map((r) => r.message.id)).size).toBe(1);
    expect(retries.filter((r) => r.created)).toHaveLength(1);
    // The same client id from someone else, or in another chat, is another message.
    expect((await repo.insertNext(draft('chat-a', 'bob', 'client-1'))).message.seq).toBe(2);
    expect((await repo.insertNext(draft('chat-b', 'ada', 'client-1'))).message.seq).toBe(1);
    expect((await repo.findByClientId('chat-a', 'ada', 'client-1'))!.text).toBe('once');
  });

  it('leaves no gap when an insert fails', async () => {
    const first = await repo.insertNext(draft('chat-a', 'ada'));
    // Reusing a message id violates its unique index: the transaction rolls back, seq included.
    // Only that it rejects is asserted: each engine words its own error (and better-sqlite3 builds its errors in
    // the first Jest realm that loaded it, so they are not instances of this file's Error either).
    await expect(repo.insertNext({ ...draft('chat-a', 'ada'), id: first.message.id })).rejects.toBeDefined();
    expect((await repo.insertNext(draft('chat-a', 'ada'))).message.seq).toBe(2);
  });

  it('pages before and after a seq, newest or oldest first, skipping what the viewer hid', async () => {
    for (let i = 0; i < 10; i++) await repo.insertNext(draft('chat-a', 'ada', `c${i}`, `text ${i + 1}`));
    await repo.insertNext(draft('chat-b', 'ada'));
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
    const { message } = await repo.insertNext({ ...draft('chat-a', 'ada'), image });
    const editedAt = new Date();
    expect(await repo.updateText(message.id, 'changed', editedAt)).toMatchObject({ text: 'changed', editedAt });
    const tomb = await repo.tombstone(message.id, new Date());
    expect(tomb).toMatchObject({ seq: 1, text: null, image: null });
    expect(tomb!.deletedAt).toBeInstanceOf(Date);
    // A tombstone is final: no edit brings text back.
    expect(await repo.updateText(message.id, 'again', new Date())).toMatchObject({ text: null });
    expect((await repo.findByIds([message.id, 'missing'])).map((m) => m.id)).toEqual([message.id]);
  });

  it('numbers each edit and delete per chat, and lists the messages changed after a number in change order, as they are now', async () => {
    const sent = [];
    for (let i = 1; i <= 5; i++) sent.push((await repo.insertNext(draft('chat-a', 'ada', `c${i}`, `text ${i}`))).message);
    const other = (await repo.insertNext(draft('chat-b', 'ada'))).message;
    expect(await repo.lastChangeSeq('chat-a')).toBe(0);
    expect(sent.every((m) => m.changeSeq === null)).toBe(true);
    expect(await repo.changedAfter('chat-a', 'bob', 0, 10)).toEqual([]);

    const [one, two, three, four] = sent;
    expect((await repo.updateText(two.id, 'two, edited', new Date()))!.changeSeq).toBe(1);
    expect((await repo.tombstone(four.id, new Date()))!.changeSeq).toBe(2);
    expect((await repo.updateText(one.id, 'one, edited', new Date()))!.changeSeq).toBe(3);
    // Another chat counts on its own.
    expect((await repo.updateText(other.id, 'elsewhere', new Date()))!.changeSeq).toBe(1);
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
    const deleted = await repo.tombstone(two.id, new Date());
    expect(deleted!.changeSeq).toBe(4);
    expect((await repo.changedAfter('chat-a', 'bob', 0, 10)).map((m) => [m.id, m.changeSeq])).toEqual([[four.id, 2], [one.id, 3], [two.id, 4]]);
    expect((await repo.changedAfter('chat-a', 'bob', 3, 10))[0]).toMatchObject({ id: two.id, text: null });

    // Refused changes take no number: a tombstone is final.
    expect((await repo.updateText(two.id, 'back from the dead', new Date()))!.changeSeq).toBe(4);
    expect((await repo.tombstone(two.id, new Date()))!.changeSeq).toBe(4);
    expect(await repo.lastChangeSeq('chat-a')).toBe(4);

    // What a viewer hid for themselves is not theirs to catch up on.
    await repo.hideFor('bob', one);
    expect((await repo.changedAfter('chat-a', 'bob', 0, 10)).map((m) => m.id)).toEqual([four.id, two.id]);
    expect((await repo.changedAfter('chat-a', 'bob', 0, 2)).map((m) => m.id)).toEqual([four.id, two.id]);
    expect((await repo.changedAfter('chat-a', 'ada', 0, 10)).map((m) => m.id)).toEqual([four.id, one.id, two.id]);
    expect(three.changeSeq).toBeNull();
  });

  it('gives concurrent changes of one chat distinct numbers', async () => {
    const sent = await Promise.all(Array.from({ length: 12 }, (_, i) => repo.insertNext(draft('chat-a', 'ada', `c${i}`))));
    const changed = await Promise.all(sent.map(({ message }, i) => (i % 3 ? repo.updateText(message.id, `edit ${i}`, new Date()) : repo.tombstone(message.id, new Date()))));
    expect(changed.map((m) => m!.changeSeq).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect((await repo.changedAfter('chat-a', 'bob', 0, 100)).map((m) => m.changeSeq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });
});
