import { randomUUID } from 'node:crypto';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { eventually } from './harness/probe-deployment';
import { seedUsers } from './harness/seed';
import { ChatSocket, connectSocket, EventLog, request } from './harness/socket-client';
import { mintAccessToken } from './harness/tokens';
import { Json, userApi } from './harness/user-api';

/**
 * Groups: who sees which messages (a member sees the chat from the moment they last joined, unless the admins let new
 * members see earlier history) through every read route and the socket, and the timeline's system lines.
 */
describe.each(DEPLOYMENT_MODES)('group history and system messages (%s)', (mode) => {
  let cluster: Cluster;
  let people: Record<'ada' | 'bob' | 'cy' | 'dee' | 'eve' | 'fay', string>;
  const sockets: ChatSocket[] = [];
  const token = (userId: string) => mintAccessToken(cluster.jwtSecret, userId);

  beforeAll(async () => {
    cluster = await Cluster.start(mode);
    const names = ['ada', 'bob', 'cy', 'dee', 'eve', 'fay'] as const;
    const seeded = seedUsers(cluster.dataDir, names.map((n) => ({ email: `${n}@history.test`, displayName: n })));
    people = Object.fromEntries(names.map((n, i) => [n, seeded[i].id])) as typeof people;
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.stop();
  });

  const { call: api, ok } = userApi(() => cluster.url, token);
  const send = (userId: string, chatId: string, text: string, replyToId?: string) =>
    ok(userId, 'POST', `/chats/${chatId}/messages`, { clientMessageId: randomUUID(), text, ...(replyToId ? { replyToId } : {}) });
  const history = async (userId: string, chatId: string, query = ''): Promise<Json> => ok(userId, 'GET', `/chats/${chatId}/messages${query}`);
  const ids = (items: Json[]) => items.map((m) => m.id);
  async function listen(userId: string): Promise<{ socket: ChatSocket; log: EventLog }> {
    const socket = await connectSocket(cluster.url, { token: token(userId) });
    sockets.push(socket);
    return { socket, log: new EventLog(socket) };
  }
  /** The line a change wrote, once Messages has applied it (the marker that the change reached the timeline). */
  async function systemLine(userId: string, chatId: string, matches: (system: Json) => boolean): Promise<Json> {
    let found: Json;
    await eventually(async () => {
      found = (await history(userId, chatId, '?limit=100')).items.find((m: Json) => m.system && matches(m.system));
      expect(found).toBeDefined();
    });
    return found;
  }
  const sync = async (socket: ChatSocket, chatId: string, lastSeq: number, changeCursor?: string): Promise<Json> => {
    const ack: Json = await request(socket, 'sync', { chats: [{ chatId, lastSeq, ...(changeCursor ? { changeCursor } : {}) }] });
    expect(ack.ok).toBe(true);
    return ack.data.chats.find((c: Json) => c.chatId === chatId);
  };

  it('shows a re-added and a late member only what came after they joined, on every route and the socket; with the setting on, everything', async () => {
    const { ada, bob, cy, dee, eve } = people;
    const [cyLive, deeLive, adaLive] = await Promise.all([listen(cy), listen(dee), listen(ada)]);
    const group = await ok(ada, 'POST', '/chats/groups', { title: 'Hike', memberIds: [bob, cy] });
    expect(group.historyVisible).toBe(false);
    const created = await systemLine(ada, group.id, (s) => s.type === 'created');
    expect(created).toMatchObject({ seq: 1, senderId: ada, text: null, system: { type: 'created', title: 'Hike', actorId: ada } });

    const early = await send(ada, group.id, 'early secret');
    await cyLive.log.waitFor('message:new', (m) => m.id === early.id);

    // cy is removed; once the removal is in the timeline, nothing sent reaches cy, now or later.
    await ok(ada, 'DELETE', `/chats/${group.id}/members/${cy}`);
    const removed = await systemLine(ada, group.id, (s) => s.type === 'member-removed' && s.userId === cy);
    const whileOut = await send(bob, group.id, 'sent while cy was out');
    const replyWhileOut = await send(bob, group.id, 'a reply while out', early.id);
    await ok(ada, 'POST', `/chats/${group.id}/members`, { memberIds: [cy] });
    const cyBack = await cyLive.log.waitFor('message:new', (m) => m.system?.type === 'members-added' && m.system.userIds.includes(cy));
    expect(cyBack.seq).toBe(replyWhileOut.seq + 1);
    await ok(ada, 'POST', `/chats/${group.id}/members`, { memberIds: [dee] });
    const deeJoined = await deeLive.log.waitFor('message:new', (m) => m.system?.type === 'members-added' && m.system.userIds.includes(dee));

    // A reply quoting what they may not see, an edit of it and a marker, live.
    const quote = await send(bob, group.id, 'quoting the early one', early.id);
    await ok(ada, 'PATCH', `/messages/${early.id}`, { text: 'early secret, edited' });
    const marker = await send(ada, group.id, 'marker');
    for (const live of [cyLive, deeLive]) {
      const frame = await live.log.waitFor('message:new', (m) => m.id === quote.id);
      expect(frame.replyTo).toEqual({ id: early.id, seq: early.seq, senderId: '', text: null, hasImage: false, deleted: false, unavailable: true });
      await live.log.waitFor('message:new', (m) => m.id === marker.id);
    }
    expect((await adaLive.log.waitFor('message:new', (m) => m.id === quote.id)).replyTo).toMatchObject({ text: 'early secret', senderId: ada });
    await adaLive.log.waitFor('message:edited', (m) => m.id === early.id);
    expect(cyLive.log.of('message:new').map((m) => m.id)).not.toContain(whileOut.id);
    expect(cyLive.log.of('message:new').map((m) => m.id)).not.toContain(replyWhileOut.id);
    for (const live of [cyLive, deeLive]) expect(live.log.of('message:edited').map((m) => m.id)).not.toContain(early.id);

    for (const [member, joined] of [[cy, cyBack], [dee, deeJoined]] as const) {
      // History: from the line that added them; nothing older, and nothing older to page to.
      const page = await history(member, group.id);
      expect(page.items[0].id).toBe(joined.id);
      expect(page.hasOlder).toBe(false);
      expect(ids(page.items)).not.toEqual(expect.arrayContaining([early.id]));
      for (const hidden of [early, whileOut, replyWhileOut, removed, created]) expect(ids(page.items)).not.toContain(hidden.id);
      expect(page.items.find((m: Json) => m.id === quote.id).replyTo).toMatchObject({ unavailable: true, text: null, senderId: '' });
      expect((await history(member, group.id, `?before=${joined.seq}`)).items).toEqual([]);
      expect(ids((await history(member, group.id, '?after=0')).items)).toEqual(ids(page.items));
      // Around, one message, a reply to it, hiding it: as if it were not there.
      for (const hidden of [early, whileOut]) {
        expect(await api(member, 'GET', `/chats/${group.id}/messages?around=${hidden.id}`)).toMatchObject({ status: 404, body: { code: 'MESSAGE.NOT_FOUND' } });
        expect(await api(member, 'GET', `/messages/${hidden.id}`)).toMatchObject({ status: 404, body: { code: 'MESSAGE.NOT_FOUND' } });
        expect(await api(member, 'POST', `/messages/${hidden.id}/hide`)).toMatchObject({ status: 404 });
        const reply = await api(member, 'POST', `/chats/${group.id}/messages`, { clientMessageId: randomUUID(), text: 'about that', replyToId: hidden.id });
        expect(reply).toMatchObject({ status: 400, body: { code: 'MESSAGE.INVALID_REPLY' } });
      }
      expect((await ok(member, 'GET', `/messages/${quote.id}`)).replyTo).toMatchObject({ unavailable: true, text: null });
      // Catch-up from nothing and from before the edit: neither the messages nor the edit.
      const caughtUp = await sync(member === cy ? cyLive.socket : deeLive.socket, group.id, 0, page.changeCursor);
      expect(ids(caughtUp.messages)).toEqual(ids(page.items));
      expect(caughtUp.changed).toEqual([]);
    }
    // ada, there all along, sees it all, the edit included.
    const adaSync = await sync(adaLive.socket, group.id, 0);
    expect(ids(adaSync.messages)).toEqual(expect.arrayContaining([early.id, whileOut.id, replyWhileOut.id, created.id]));
    expect(adaSync.messages.find((m: Json) => m.id === early.id).text).toBe('early secret, edited');

    // The setting on: a member who joins from now on sees everything, replies included.
    const updated = await ok(ada, 'PATCH', `/chats/${group.id}`, { historyVisible: true });
    expect(updated.historyVisible).toBe(true);
    await systemLine(ada, group.id, (s) => s.type === 'history-visibility-changed' && s.visible === true);
    await ok(ada, 'POST', `/chats/${group.id}/members`, { memberIds: [eve] });
    await systemLine(ada, group.id, (s) => s.type === 'members-added' && s.userIds.includes(eve));
    const evePage = await history(eve, group.id, '?limit=100');
    expect(evePage.items[0].id).toBe(created.id);
    expect(ids(evePage.items)).toEqual(expect.arrayContaining([early.id, whileOut.id, replyWhileOut.id]));
    expect(evePage.items.find((m: Json) => m.id === quote.id).replyTo).toMatchObject({ text: 'early secret, edited', senderId: ada });
    expect((await ok(eve, 'GET', `/chats/${group.id}/messages?around=${early.id}`)).items[0].id).toBe(created.id);
    // Members who joined before the setting keep the floor they joined with.
    expect(ids((await history(cy, group.id, '?limit=100')).items)).not.toContain(early.id);
    // Removed and added back while it is on: everything, what was sent while out included.
    await ok(ada, 'DELETE', `/chats/${group.id}/members/${bob}`);
    await systemLine(ada, group.id, (s) => s.type === 'member-removed' && s.userId === bob);
    const whileBobOut = await send(ada, group.id, 'sent while bob was out');
    await ok(ada, 'POST', `/chats/${group.id}/members`, { memberIds: [bob] });
    await systemLine(bob, group.id, (s) => s.type === 'members-added' && s.userIds.includes(bob));
    expect(ids((await history(bob, group.id, '?limit=100')).items)).toEqual(expect.arrayContaining([created.id, early.id, whileBobOut.id]));
  });

  it('writes one line per change of the group, carried by history, catch-up and the chat list; 1:1 chats have none', async () => {
    const { ada, bob, cy, fay } = people;
    const bobLive = await listen(bob);
    const group = await ok(ada, 'POST', '/chats/groups', { title: 'Book club', memberIds: [bob, cy] });
    await systemLine(ada, group.id, (s) => s.type === 'created');
    const held = (await history(bob, group.id)).items;
    expect(held.map((m: Json) => m.seq)).toEqual([1]);
    // The line that brings bob in is read for him; a message after it is his one unread.
    const hello = await send(ada, group.id, 'hello');
    await eventually(async () => expect(await ok(bob, 'GET', `/chats/${group.id}`)).toMatchObject({ lastSeq: hello.seq, unreadCount: 1 }));

    await ok(ada, 'PATCH', `/chats/${group.id}`, { title: 'Book club' }); // no change, no line
    await ok(ada, 'PATCH', `/chats/${group.id}`, { title: 'Readers' });
    await ok(ada, 'PATCH', `/chats/${group.id}`, { avatarUrl: 'https://img.example.com/readers.webp' });
    await ok(ada, 'POST', `/chats/${group.id}/admins/${bob}`);
    await ok(ada, 'DELETE', `/chats/${group.id}/admins/${bob}`);
    await ok(ada, 'POST', `/chats/${group.id}/members`, { memberIds: [fay] });
    await ok(cy, 'POST', `/chats/${group.id}/leave`);
    // The last admin leaves: the longest-standing member is made admin, by nobody.
    await ok(ada, 'POST', `/chats/${group.id}/leave`);
    const last = await bobLive.log.waitFor('message:new', (m) => m.system?.type === 'admin-made' && m.system.actorId === null);
    expect(last).toMatchObject({ senderId: 'system', system: { userId: bob } });

    const expected = [
      { type: 'renamed', title: 'Readers', actorId: ada },
      { type: 'photo-changed', removed: false, actorId: ada },
      { type: 'admin-made', userId: bob, actorId: ada },
      { type: 'admin-removed', userId: bob, actorId: ada },
      { type: 'members-added', userIds: [fay], actorId: ada },
      { type: 'member-left', userId: cy, actorId: cy },
      { type: 'member-left', userId: ada, actorId: ada },
      { type: 'admin-made', userId: bob, actorId: null },
    ];
    const page = await history(bob, group.id);
    expect(page.items.map((m: Json) => m.seq)).toEqual(page.items.map((_: Json, i: number) => i + 1));
    expect(page.items.filter((m: Json) => m.system && m.system.type !== 'created').map((m: Json) => m.system)).toEqual(expected);
    // Catch-up from what bob held carries the same lines, each once.
    const { socket } = bobLive;
    const caughtUp = await sync(socket, group.id, held[0].seq);
    expect(caughtUp.messages.filter((m: Json) => m.system).map((m: Json) => m.system)).toEqual(expected);
    // The chat list's preview is the last line.
    await eventually(async () => expect((await ok(bob, 'GET', `/chats/${group.id}`)).lastMessage).toMatchObject({ seq: last.seq, system: { type: 'admin-made', userId: bob } }));
    // Clients may not write system lines.
    const forged = await api(bob, 'POST', `/chats/${group.id}/messages`, { clientMessageId: 'system:99', text: 'forged' });
    expect(forged).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });

    const direct = await ok(ada, 'POST', '/chats/direct', { userId: bob });
    const first = await send(ada, direct.id, 'just us');
    expect(first.seq).toBe(1);
    expect(direct.historyVisible).toBe(true);
    expect(await api(ada, 'PATCH', `/chats/${direct.id}`, { historyVisible: false })).toMatchObject({ status: 400, body: { code: 'CHAT.NOT_GROUP' } });
  });
});
