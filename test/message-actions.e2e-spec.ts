import { randomUUID } from 'node:crypto';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { eventually } from './harness/probe-deployment';
import { seedUsers } from './harness/seed';
import { ChatSocket, connectSocket, EventLog, request } from './harness/socket-client';
import { mintAccessToken } from './harness/tokens';
import { Json, userApi } from './harness/user-api';
import * as corpus from './support/image-corpus';

/**
 * The message actions of issue 13 through real HTTP and real sockets, in both deployment modes: delete for me,
 * forward (text and image), pins (who may, live, after a reconnect), blocks (both directions, presence hidden, the
 * send refused with a stable code) and a profile change seen live and at catch-up by a contact.
 */
describe.each(DEPLOYMENT_MODES)('message actions (%s)', (mode) => {
  let cluster: Cluster;
  let ada: string, bob: string, cyd: string, eve: string;
  const token = (userId: string) => mintAccessToken(cluster.jwtSecret, userId);
  const { call: api, ok } = userApi(() => cluster.url, token);
  const sockets: { userId: string; socket: ChatSocket }[] = [];
  const connect = async (userId: string) => {
    const socket = await connectSocket(cluster.url, { token: token(userId) });
    sockets.push({ userId, socket });
    return { socket, log: new EventLog(socket) };
  };
  const disconnectAll = (userId: string) => sockets.filter((s) => s.userId === userId).forEach((s) => s.socket.close());
  const send = (userId: string, chatId: string, text: string) => ok(userId, 'POST', `/chats/${chatId}/messages`, { clientMessageId: randomUUID(), text });
  const direct = async (userId: string, otherUserId: string) => (await ok(userId, 'POST', '/chats/direct', { userId: otherUserId })).id as string;

  beforeAll(async () => {
    cluster = await Cluster.start(mode);
    [ada, bob, cyd, eve] = seedUsers(cluster.dataDir, ['Ada', 'Bob', 'Cyd', 'Eve'].map((name) => ({ email: `${name.toLowerCase()}@actions.test`, displayName: name }))).map((p) => p.id);
  }, 90_000);

  afterAll(async () => {
    for (const { socket } of sockets) socket.close();
    await cluster?.stop();
  });

  it('deletes a message for me only', async () => {
    const chatId = await direct(ada, bob);
    const sent = await send(ada, chatId, 'only bob forgets this');
    await ok(bob, 'POST', `/messages/${sent.id}/hide`);
    expect((await ok(bob, 'GET', `/chats/${chatId}/messages`)).items.map((m: Json) => m.id)).not.toContain(sent.id);
    expect((await ok(ada, 'GET', `/chats/${chatId}/messages`)).items.map((m: Json) => m.id)).toContain(sent.id);
    expect(await api(bob, 'GET', `/messages/${sent.id}`)).toMatchObject({ status: 404, body: { code: 'MESSAGE.NOT_FOUND' } });
  });

  it('forwards text and an image to another chat, marked forwarded; only a message one can see, only into a chat one is in', async () => {
    const adaBob = await direct(ada, bob);
    const adaCyd = await direct(ada, cyd);
    const cydLive = await connect(cyd);
    const original = await send(bob, adaBob, 'worth passing on');
    expect(original.forwarded).toBe(false);

    const clientMessageId = randomUUID();
    const copy = await ok(ada, 'POST', `/messages/${original.id}/forward`, { chatId: adaCyd, clientMessageId });
    expect(copy).toMatchObject({ chatId: adaCyd, senderId: ada, text: 'worth passing on', forwarded: true, replyTo: null });
    expect(await cydLive.log.waitFor('message:new', (m) => m.id === copy.id)).toMatchObject({ forwarded: true, text: 'worth passing on' });
    // A retry is the same copy; the socket route does the same.
    expect((await ok(ada, 'POST', `/messages/${original.id}/forward`, { chatId: adaCyd, clientMessageId })).id).toBe(copy.id);
    const adaSocket = (await connect(ada)).socket;
    const bySocket = await request<Json>(adaSocket, 'message:forward', { messageId: original.id, toChatId: adaCyd, clientMessageId: randomUUID() });
    expect(bySocket).toMatchObject({ ok: true, data: { forwarded: true, chatId: adaCyd } });

    // Cyd cannot see bob's message; bob is not in ada and cyd's chat.
    expect(await api(cyd, 'POST', `/messages/${original.id}/forward`, { chatId: adaCyd, clientMessageId: randomUUID() })).toMatchObject({ status: 404, body: { code: 'MESSAGE.NOT_FOUND' } });
    expect(await api(bob, 'POST', `/messages/${original.id}/forward`, { chatId: adaCyd, clientMessageId: randomUUID() })).toMatchObject({ status: 404, body: { code: 'CHAT.NOT_FOUND' } });

    // An image: the copy shows the same file, which stays while any message shows it.
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await corpus.png())], { type: 'image/png' }), 'photo.png');
    const uploaded = await fetch(`${cluster.url}/api/v1/uploads`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token(bob)}` } });
    expect(uploaded.status).toBe(201);
    const image = await uploaded.json();
    const photo = await ok(bob, 'POST', `/chats/${adaBob}/messages`, { clientMessageId: randomUUID(), imageKey: image.key, text: 'a photo' });
    const photoCopy = await ok(ada, 'POST', `/messages/${photo.id}/forward`, { chatId: adaCyd, clientMessageId: randomUUID() });
    expect(photoCopy).toMatchObject({ forwarded: true, text: 'a photo', image: { key: image.key } });
    await ok(bob, 'DELETE', `/messages/${photo.id}`);
    // The deletion's event is handled (the gateway's marker: bob's own frame for it), and the copy's file is still served.
    const bobLive = await connect(bob);
    await ok(bob, 'DELETE', `/messages/${original.id}`);
    await bobLive.log.waitFor('message:deleted', (m) => m.id === original.id);
    expect((await fetch(`${cluster.url}${photoCopy.image.url}`)).status).toBe(200);
    // A deleted message is not forwarded.
    expect(await api(ada, 'POST', `/messages/${original.id}/forward`, { chatId: adaCyd, clientMessageId: randomUUID() })).toMatchObject({ status: 410, body: { code: 'MESSAGE.DELETED' } });
  });

  it('pins and unpins: admins in a group, anyone in a 1:1 chat; live to every member, listed, and in sync after a reconnect', async () => {
    const group = await ok(ada, 'POST', '/chats/groups', { title: 'Pins', memberIds: [bob, cyd] });
    const bobLive = await connect(bob);
    const first = await send(bob, group.id, 'the plan');
    await send(cyd, group.id, 'something else');

    expect(await api(bob, 'PUT', `/chats/${group.id}/pins/${first.id}`)).toMatchObject({ status: 403, body: { code: 'CHAT.NOT_ADMIN' } });
    const pin = await ok(ada, 'PUT', `/chats/${group.id}/pins/${first.id}`);
    expect(pin).toMatchObject({ chatId: group.id, messageId: first.id, seq: first.seq, pinnedBy: ada, message: { text: 'the plan' } });
    expect(await bobLive.log.waitFor('pin:changed', (p) => p.pin.messageId === first.id)).toMatchObject({ pinned: true });
    // Pinning again changes nothing; the list has it once; the jump goes through the around-query.
    await ok(ada, 'PUT', `/chats/${group.id}/pins/${first.id}`);
    expect((await ok(cyd, 'GET', `/chats/${group.id}/pins`)).map((p: Json) => p.messageId)).toEqual([first.id]);
    expect((await ok(cyd, 'GET', `/chats/${group.id}/messages?around=${first.id}`)).items.map((m: Json) => m.id)).toContain(first.id);
    expect(await api(eve, 'GET', `/chats/${group.id}/pins`)).toMatchObject({ status: 404, body: { code: 'CHAT.NOT_FOUND' } });

    // A client that was away gets the chat's pins with its catch-up.
    const cydLive = await connect(cyd);
    const synced = await request<Json>(cydLive.socket, 'sync', { chats: [{ chatId: group.id, lastSeq: 2 }] });
    expect(synced).toMatchObject({ ok: true });
    expect((synced as Json).data.chats[0].pins.map((p: Json) => p.messageId)).toEqual([first.id]);

    await ok(ada, 'DELETE', `/chats/${group.id}/pins/${first.id}`);
    expect(await bobLive.log.waitFor('pin:changed', (p) => p.pin.messageId === first.id && !p.pinned)).toBeDefined();
    expect(await ok(bob, 'GET', `/chats/${group.id}/pins`)).toEqual([]);

    // In a 1:1 chat either member pins.
    const chatId = await direct(bob, cyd);
    const said = await send(cyd, chatId, 'remember this');
    expect(await ok(bob, 'PUT', `/chats/${chatId}/pins/${said.id}`)).toMatchObject({ pinnedBy: bob });
    expect(await cydLive.log.waitFor('pin:changed', (p) => p.pin.messageId === said.id)).toMatchObject({ pinned: true });
  });

  it('blocks: no new chat and no 1:1 message either way, presence and last seen hidden both ways, and unblocks', async () => {
    const chatId = await direct(ada, bob);
    const adaLive = await connect(ada);
    const bobLive = await connect(bob);
    expect(await request<Json>(bobLive.socket, 'presence:query', { userIds: [ada] })).toMatchObject({ ok: true, data: [{ userId: ada, online: true }] });
    expect(await request<Json>(adaLive.socket, 'presence:query', { userIds: [bob] })).toMatchObject({ ok: true, data: [{ userId: bob, online: true }] });

    await ok(ada, 'PUT', `/users/${bob}/block`);
    expect(await ok(ada, 'GET', '/users/me/blocks')).toEqual([expect.objectContaining({ id: bob, displayName: 'Bob' })]);
    expect(await adaLive.log.waitFor('block:changed', (b) => b.userId === bob)).toMatchObject({ blocked: true });
    // Bob's presence subscription to ada ends, and ada goes dark for him.
    expect(await bobLive.log.waitFor('presence', (p) => p.userId === ada && !p.online)).toEqual({ userId: ada, online: false, lastSeen: null });
    expect(await request<Json>(bobLive.socket, 'presence:query', { userIds: [ada] })).toEqual({ ok: true, data: [] });
    expect(await request<Json>(adaLive.socket, 'presence:query', { userIds: [bob] })).toEqual({ ok: true, data: [] });

    // The send path learns of the block from its projection (a moment after the answer): then refused both ways.
    await eventually(async () => {
      const refused = await api(bob, 'POST', `/chats/${chatId}/messages`, { clientMessageId: randomUUID(), text: 'hello?' });
      expect(refused).toMatchObject({ status: 403, body: { code: 'CHAT.BLOCKED', message: 'You cannot send messages to this person' } });
    });
    expect(await api(ada, 'POST', `/chats/${chatId}/messages`, { clientMessageId: randomUUID(), text: 'hi' })).toMatchObject({
      status: 403,
      body: { code: 'CHAT.BLOCKED', message: 'You blocked this person; unblock them to send messages' },
    });
    const bySocket = await request<Json>(bobLive.socket, 'message:send', { chatId, clientMessageId: randomUUID(), text: 'over the socket' });
    expect(bySocket).toMatchObject({ ok: false, error: { code: 'CHAT.BLOCKED' } });
    // Bob's going offline is not told to ada (she had asked for it before the block): the marker (cyd's message)
    // arrives after his last socket closed, with no presence of bob before it.
    const cydChat = await direct(cyd, ada);
    const cydLive = await connect(cyd);
    expect(await request<Json>(cydLive.socket, 'presence:query', { userIds: [bob] })).toMatchObject({ ok: true, data: [{ userId: bob, online: true }] });
    disconnectAll(bob);
    // Cyd, a contact of bob's, hears he left; the same frame went to everyone still subscribed.
    await cydLive.log.waitFor('presence', (p) => p.userId === bob && !p.online && p.lastSeen !== null);
    const marker = await send(cyd, cydChat, 'marker');
    await adaLive.log.waitFor('message:new', (m) => m.id === marker.id);
    expect(adaLive.log.of('presence').filter((p) => p.userId === bob && p.lastSeen)).toEqual([]);

    // No new chat with someone who blocked you, nor with someone you blocked; a group cannot take in its blocker.
    await ok(eve, 'PUT', `/users/${bob}/block`);
    expect(await api(bob, 'POST', '/chats/direct', { userId: eve })).toMatchObject({ status: 403, body: { code: 'CHAT.BLOCKED' } });
    expect(await api(eve, 'POST', '/chats/direct', { userId: bob })).toMatchObject({ status: 403, body: { code: 'CHAT.BLOCKED' } });
    expect(await api(bob, 'POST', '/chats/groups', { title: 'With eve', memberIds: [eve] })).toMatchObject({ status: 403, body: { code: 'CHAT.BLOCKED' } });
    expect(await api(ada, 'PUT', `/users/${ada}/block`)).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });

    // Unblocked: the list is empty, messages flow again, and presence is back.
    await ok(ada, 'DELETE', `/users/${bob}/block`);
    expect(await ok(ada, 'GET', '/users/me/blocks')).toEqual([]);
    await eventually(async () => expect(await api(bob, 'POST', `/chats/${chatId}/messages`, { clientMessageId: randomUUID(), text: 'friends again' })).toMatchObject({ status: 201 }));
    expect(await request<Json>(adaLive.socket, 'presence:query', { userIds: [bob] })).toMatchObject({ ok: true, data: [{ userId: bob, online: false }] });
  });

  it('tells a changed name to the people who share a chat with the user, live and at catch-up', async () => {
    await direct(cyd, eve);
    const eveLive = await connect(eve);
    await ok(cyd, 'PATCH', '/users/me', { displayName: 'Cyd Charisse' });
    expect(await eveLive.log.waitFor('user:updated', (u) => u.id === cyd)).toEqual(expect.objectContaining({ id: cyd, displayName: 'Cyd Charisse' }));
    expect(eveLive.log.of('user:updated').some((u) => 'email' in u)).toBe(false);
    const synced = await request<Json>(eveLive.socket, 'sync', { chats: [], userIds: [cyd] });
    expect((synced as Json).data.users).toEqual([expect.objectContaining({ id: cyd, displayName: 'Cyd Charisse' })]);
  });
});
