import { randomBytes, randomUUID } from 'node:crypto';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { eventually } from './harness/probe-deployment';
import { seedUsers } from './harness/seed';
import { mintAccessToken } from './harness/tokens';
import { Json, userApi } from './harness/user-api';

describe.each(DEPLOYMENT_MODES)('Message search over real HTTP (%s)', (mode) => {
  let cluster: Cluster;
  let ada: string, bob: string, cy: string, eve: string;
  const tokens = new Map<string, string>();
  const api = userApi(() => cluster.url, (id) => tokens.get(id)!);
  const send = (user: string, chatId: string, text: string) => api.ok(user, 'POST', `/chats/${chatId}/messages`, { clientMessageId: randomUUID(), text });
  const search = (user: string, params: Record<string, string>) => api.call(user, 'GET', `/search/messages?${new URLSearchParams(params)}`);
  const found = async (user: string, params: Record<string, string>): Promise<string[]> => {
    const reply = await search(user, params);
    if (reply.status !== 200) throw new Error(`search → ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body.items.map((hit: Json) => hit.message.text);
  };

  beforeAll(async () => {
    cluster = await Cluster.start(mode);
    [ada, bob, cy, eve] = seedUsers(cluster.dataDir, ['ada', 'bob', 'cy', 'eve'].map((n) => ({ email: `${n}@example.com`, displayName: n }))).map((u) => u.id);
    for (const id of [ada, bob, cy, eve]) tokens.set(id, mintAccessToken(cluster.jwtSecret, id));
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('finds only what each member may see, newest first, with the matched words as ranges, in one chat or all', async () => {
    // A word of this test only, so earlier tests' messages never match.
    const word = `kiwi${randomBytes(3).toString('hex')}`;
    const group = await api.ok(ada, 'POST', '/chats/groups', { title: 'Fruit', memberIds: [bob, cy] });
    const direct = await api.ok(ada, 'POST', '/chats/direct', { userId: bob });

    const first = await send(ada, group.id, `Who brought the ${word}? ${word.toUpperCase()}!`);
    const deleted = await send(ada, group.id, `deleted ${word}`);
    const hidden = await send(bob, group.id, `hidden ${word}`);
    const edited = await send(ada, group.id, `edited ${word}`);
    await send(bob, direct.id, `direct ${word} lunch`);
    await send(ada, group.id, 'nothing to see');
    await api.ok(ada, 'DELETE', `/messages/${deleted.id}`);
    await api.ok(bob, 'POST', `/messages/${hidden.id}/hide`);
    await api.ok(ada, 'PATCH', `/messages/${edited.id}`, { text: 'edited to say something else' });

    // Bob: everything of his chats but the deleted, the one he hid and the edit's old words; newest first.
    const bobs = await search(bob, { q: word });
    expect(bobs.status).toBe(200);
    expect(bobs.body.items.map((hit: Json) => hit.message.text)).toEqual([`direct ${word} lunch`, `Who brought the ${word}? ${word.toUpperCase()}!`]);
    const hit = bobs.body.items[1];
    expect(hit.message).toMatchObject({ id: first.id, chatId: group.id, seq: first.seq, senderId: ada, deletedAt: null });
    expect(hit.highlights.map((r: Json) => hit.message.text.slice(r.start, r.end))).toEqual([word, word.toUpperCase()]);
    expect(bobs.body.nextCursor).toBeNull();
    // Ada did not hide hers; the edit is found by its new words only; two words must both be there.
    expect(await found(ada, { q: word })).toEqual([`direct ${word} lunch`, `hidden ${word}`, `Who brought the ${word}? ${word.toUpperCase()}!`]);
    expect(await found(ada, { q: `something ${word}` })).toEqual([]);
    expect(await found(bob, { q: `${word} LUNCH` })).toEqual([`direct ${word} lunch`]);
    // In one chat.
    expect(await found(bob, { q: word, chatId: group.id })).toEqual([`Who brought the ${word}? ${word.toUpperCase()}!`]);
    // The result opens with the history's around-query.
    const around = await api.ok(bob, 'GET', `/chats/${group.id}/messages?around=${hit.message.id}&limit=3`);
    expect(around.items.map((m: Json) => m.id)).toContain(first.id);

    // Not a member: nothing over all chats; a chat of others is "not found", as for one that does not exist.
    expect(await found(eve, { q: word })).toEqual([]);
    expect(await search(eve, { q: word, chatId: group.id })).toMatchObject({ status: 404, body: { code: 'CHAT.NOT_FOUND' } });

    // Cy is removed: once Messages knows (his search in the chat is refused), the chat's messages are gone from his results.
    expect(await found(cy, { q: word })).toEqual([`hidden ${word}`, `Who brought the ${word}? ${word.toUpperCase()}!`]);
    await api.ok(ada, 'DELETE', `/chats/${group.id}/members/${cy}`);
    await eventually(async () => expect((await search(cy, { q: word, chatId: group.id })).status).toBe(404));
    expect(await found(cy, { q: word })).toEqual([]);

    // Added back: only what was sent since (the group does not show earlier history); Eve, added late, the same.
    await api.ok(ada, 'POST', `/chats/${group.id}/members`, { memberIds: [cy, eve] });
    const since = await send(ada, group.id, `since ${word}`);
    await eventually(async () => expect(await found(cy, { q: word })).toEqual([since.text]));
    expect(await found(eve, { q: word, chatId: group.id })).toEqual([since.text]);
  });

  it('pages newest first and by relevance with an opaque cursor of that search only', async () => {
    const word = `fig${randomBytes(3).toString('hex')}`;
    const group = await api.ok(ada, 'POST', '/chats/groups', { title: 'Pages', memberIds: [bob] });
    for (let i = 1; i <= 7; i++) await send(ada, group.id, i === 3 ? `${word} ${word} ${word} number ${i}` : `${word} number ${i} with some other words around it`);

    for (const order of ['newest', 'relevance']) {
      const first = await search(bob, { q: word, order, limit: '3' });
      expect(first.status).toBe(200);
      const texts: string[] = first.body.items.map((h: Json) => h.message.text);
      let cursor = first.body.nextCursor as string | null;
      while (cursor) {
        const next = await search(bob, { q: word, order, limit: '3', cursor });
        texts.push(...next.body.items.map((h: Json) => h.message.text));
        cursor = next.body.nextCursor;
      }
      expect(new Set(texts).size).toBe(7);
      expect(texts[0]).toContain(order === 'newest' ? 'number 7' : 'number 3');
    }
    // A cursor continues its own search only.
    const page = await search(bob, { q: word, limit: '3' });
    expect(await search(bob, { q: 'other', limit: '3', cursor: page.body.nextCursor })).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
  });

  it('answers bad queries with a validation error or an empty result, never a 500', async () => {
    for (const q of ['', '   ', 'x'.repeat(201)]) expect(await search(ada, { q })).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
    expect(await api.call(ada, 'GET', '/search/messages')).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
    expect(await search(ada, { q: 'x', order: 'oldest' })).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
    expect(await search(ada, { q: 'x', limit: '51' })).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
    expect(await search(ada, { q: 'x', cursor: 'junk' })).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
    expect(await search(ada, { q: 'x', chatId: 'c'.repeat(65) })).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
    // FTS syntax is plain text: these are searches like any other.
    for (const q of ['"', '*', '"*', 'NEAR', 'NEAR(a b)', '-', 'a -b', 'a OR b', 'text:x', '^x', '((', "'; DROP TABLE messages; --", '!!!']) {
      const reply = await search(ada, { q });
      expect({ q, status: reply.status }).toEqual({ q, status: 200 });
      expect(Array.isArray(reply.body.items)).toBe(true);
    }
  });
});
