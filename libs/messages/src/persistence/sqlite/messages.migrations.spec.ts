import { openSqliteDatabase } from '@chat/platform';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MESSAGES_MIGRATIONS } from './messages.migrations';
import { SqliteMessageRepository } from './sqlite-message.repository';

describe('messages migrations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'messages-migrations-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('numbers the edits and deletes a version-1 database already holds, in the order they happened, and new changes after them', async () => {
    const file = join(dir, 'messages.sqlite');
    // A version-1 database: messages edited and deleted before change numbers existed (times out of seq order).
    const v1 = openSqliteDatabase(file, MESSAGES_MIGRATIONS.filter((m) => m.version === 1));
    const insert = v1.prepare(
      'INSERT INTO messages (chat_id, seq, id, sender_id, client_message_id, text, image, reply_to_id, created_at, edited_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)',
    );
    insert.run('c1', 1, 'm1', 'ada', 'k1', 'edited late', 1_000, 9_000, null);
    insert.run('c1', 2, 'm2', 'ada', 'k2', null, 2_000, 3_000, 5_000); // edited, then deleted
    insert.run('c1', 3, 'm3', 'ada', 'k3', 'untouched', 3_000, null, null);
    insert.run('c1', 4, 'm4', 'ada', 'k4', 'edited early', 4_000, 4_500, null);
    insert.run('c2', 1, 'n1', 'bob', 'k1', null, 1_000, null, 2_000);
    v1.close();

    const db = openSqliteDatabase(file, MESSAGES_MIGRATIONS);
    expect(db.pragma('user_version', { simple: true })).toBe(MESSAGES_MIGRATIONS.length);
    const repo = new SqliteMessageRepository(db);
    // By the time of the change: m4's edit (4,500), m2's delete (5,000), m1's edit (9,000).
    expect((await repo.changedAfter('c1', { userId: 'bob', visibleFromSeq: 0 }, 0, 10)).map((m) => [m.id, m.changeSeq])).toEqual([['m4', 1], ['m2', 2], ['m1', 3]]);
    expect((await repo.changedAfter('c2', { userId: 'ada', visibleFromSeq: 0 }, 0, 10)).map((m) => [m.id, m.changeSeq])).toEqual([['n1', 1]]);
    expect((await repo.findById('m3'))!.changeSeq).toBeNull();
    expect(await repo.lastChangeSeq('c1')).toBe(3);

    const edited = await repo.updateText('m3', 'touched now', new Date(), () => []);
    expect(edited).toMatchObject({ text: 'touched now', changeSeq: 4 });
    expect((await repo.changedAfter('c1', { userId: 'bob', visibleFromSeq: 0 }, 3, 10)).map((m) => m.id)).toEqual(['m3']);
    // The history the version-1 rows hold is as it was.
    expect((await repo.pageAfter('c1', { userId: 'bob', visibleFromSeq: 0 }, 0, 10)).map((m) => m.text)).toEqual(['edited late', null, 'touched now', 'edited early']);
    db.close();
  });

  it('indexes for search the live texts a version-3 database already holds, in the order they were sent', async () => {
    const file = join(dir, 'messages-v3.sqlite');
    const v3 = openSqliteDatabase(file, MESSAGES_MIGRATIONS.filter((m) => m.version <= 3));
    const insert = v3.prepare(
      'INSERT INTO messages (chat_id, seq, id, sender_id, client_message_id, text, image, reply_to_id, created_at, edited_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL, ?)',
    );
    insert.run('c-1', 1, 'm1', 'ada', 'k1', 'old lunch plans', 1_000, null);
    insert.run('c-1', 2, 'm2', 'ada', 'k2', null, 2_000, 2_500); // deleted for everyone
    insert.run('c-2', 1, 'n1', 'bob', 'k1', 'lunch?', 1_500, null);
    v3.prepare("INSERT INTO chat_memberships (chat_id, kind, version) VALUES ('c-1', 'group', 1), ('c-2', 'group', 1)").run();
    v3.prepare("INSERT INTO chat_members (chat_id, user_id, last_read_seq, last_delivered_seq) VALUES ('c-1', 'ada', 0, 0), ('c-2', 'ada', 0, 0)").run();
    v3.close();

    const db = openSqliteDatabase(file, MESSAGES_MIGRATIONS);
    const repo = new SqliteMessageRepository(db);
    const found = await repo.search({ viewerId: 'ada', terms: ['lunch'], chatId: null, order: 'newest', after: null, limit: 10 });
    expect(found.messages.map((m) => m.id)).toEqual(['n1', 'm1']);
    // New messages number after the old ones.
    await repo.insertNext({ id: 'm3', chatId: 'c-1', senderId: 'ada', clientMessageId: 'k3', text: 'new lunch', image: null, file: null, system: null, forwarded: false, replyToId: null, createdAt: new Date(), editedAt: null, deletedAt: null }, () => []);
    expect((await repo.search({ viewerId: 'ada', terms: ['lunch'], chatId: null, order: 'newest', after: null, limit: 10 })).messages.map((m) => m.id)).toEqual(['m3', 'n1', 'm1']);
    db.close();
  });

  it('keeps each message its search number in its row from version 9, so an edit of an older message reindexes it under that number', async () => {
    const file = join(dir, 'messages-v8.sqlite');
    const v3 = openSqliteDatabase(file, MESSAGES_MIGRATIONS.filter((m) => m.version <= 3));
    const insert = v3.prepare(
      'INSERT INTO messages (chat_id, seq, id, sender_id, client_message_id, text, image, reply_to_id, created_at, edited_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL, NULL)',
    );
    insert.run('c-1', 1, 'm1', 'ada', 'k1', 'old lunch plans', 1_000);
    insert.run('c-1', 2, 'm2', 'ada', 'k2', 'more lunch', 2_000);
    v3.prepare("INSERT INTO chat_memberships (chat_id, kind, version) VALUES ('c-1', 'group', 1)").run();
    v3.prepare("INSERT INTO chat_members (chat_id, user_id, last_read_seq, last_delivered_seq) VALUES ('c-1', 'ada', 0, 0)").run();
    v3.close();
    openSqliteDatabase(file, MESSAGES_MIGRATIONS.filter((m) => m.version <= 8)).close(); // numbered by version 8

    const db = openSqliteDatabase(file, MESSAGES_MIGRATIONS);
    const numbers = db.prepare('SELECT m.id, m.search_id AS kept, r.id AS numbered FROM messages m JOIN message_search_rows r ON r.chat_id = m.chat_id AND r.seq = m.seq ORDER BY m.seq').all();
    expect(numbers).toEqual([{ id: 'm1', kept: 1, numbered: 1 }, { id: 'm2', kept: 2, numbered: 2 }]);
    const repo = new SqliteMessageRepository(db);
    const search = async (term: string) => (await repo.search({ viewerId: 'ada', terms: [term], chatId: null, order: 'newest', after: null, limit: 10 })).messages.map((m) => m.id);
    await repo.updateText('m1', 'dinner plans instead', new Date(), () => []);
    expect(await search('lunch')).toEqual(['m2']);
    expect(await search('dinner')).toEqual(['m1']);
    // A new message takes the next number, in its row and in message_search_rows alike.
    await repo.insertNext({ id: 'm3', chatId: 'c-1', senderId: 'ada', clientMessageId: 'k3', text: 'dinner too', image: null, file: null, system: null, forwarded: false, replyToId: null, createdAt: new Date(), editedAt: null, deletedAt: null }, () => []);
    expect(db.prepare("SELECT search_id FROM messages WHERE id = 'm3'").pluck().get()).toBe(3);
    expect(db.prepare("SELECT id FROM message_search_rows WHERE chat_id = 'c-1' AND seq = 3").pluck().get()).toBe(3);
    expect(await search('dinner')).toEqual(['m3', 'm1']);
    db.close();
  });
});
