import { randomUUID } from 'node:crypto';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { eventually } from './harness/probe-deployment';
import { seedUsers } from './harness/seed';
import { ChatSocket, connectSocket, EventLog, request } from './harness/socket-client';
import { mintAccessToken } from './harness/tokens';
import { Json, userApi } from './harness/user-api';

jest.setTimeout(60_000);

const mention = (userId: string) => `@[${userId}]`;

describe.each(DEPLOYMENT_MODES)('mentions (%s)', (mode) => {
  let cluster: Cluster;
  let ann: string;
  let ben: string;
  let cat: string;
  let dan: string;
  const sockets: ChatSocket[] = [];
  const token = (userId: string) => mintAccessToken(cluster.jwtSecret, userId);
  const { call: api, ok } = userApi(() => cluster.url, token);

  beforeAll(async () => {
    cluster = await Cluster.start(mode);
    [ann, ben, cat, dan] = seedUsers(cluster.dataDir, ['ann', 'ben', 'cat', 'dan'].map((name) => ({ email: `${name}@mentions.test`, displayName: name }))).map((p) => p.id);
  }, 90_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await cluster?.stop();
  });

  async function device(userId: string): Promise<{ socket: ChatSocket; log: EventLog }> {
    const socket = await connectSocket(cluster.url, { token: token(userId) });
    sockets.push(socket);
    return { socket, log: new EventLog(socket) };
  }

  const send = (userId: string, chatId: string, text: string) => api(userId, 'POST', `/chats/${chatId}/messages`, { clientMessageId: randomUUID(), text });
  /** The user's summary of the chat, from the chat list (REST) and from the chat itself: both carry the mentions. */
  async function unreadMentions(userId: string, chatId: string): Promise<number[]> {
    const listed = (await ok(userId, 'GET', '/chats?limit=100')).items.find((c: Json) => c.id === chatId);
    const one = await ok(userId, 'GET', `/chats/${chatId}`);
    expect(one.unreadMentionSeqs).toEqual(listed.unreadMentionSeqs);
    return listed.unreadMentionSeqs;
  }

  it('mentions members over REST and the socket; each mentioned member sees the unread mention until they read it, on every device', async () => {
    const group = await ok(ann, 'POST', '/chats/groups', { title: 'Mentions', memberIds: [ben, cat] });
    const benPhone = await device(ben);
    const benLaptop = await device(ben);
    const catDevice = await device(cat);

    // Over REST: stored as the ids in the text, and listed as the message's mentions.
    const viaRest = await send(ann, group.id, `lunch, ${mention(ben)}?`);
    expect(viaRest).toMatchObject({ status: 201, body: { text: `lunch, ${mention(ben)}?`, mentions: [ben] } });
    const first = viaRest.body;
    // The frame each member gets says whom it mentions.
    expect(await benPhone.log.waitFor('message:new', (m) => m.id === first.id)).toMatchObject({ mentions: [ben], unreadCount: expect.any(Number) });
    expect(await catDevice.log.waitFor('message:new', (m) => m.id === first.id)).toMatchObject({ mentions: [ben] });
    await eventually(async () => expect(await unreadMentions(ben, group.id)).toEqual([first.seq]));
    expect(await unreadMentions(cat, group.id)).toEqual([]);
    expect(await unreadMentions(ann, group.id)).toEqual([]);

    // Over the socket: two people at once, one of them the sender herself (never unread for her).
    const viaSocket: Json = await request(catDevice.socket, 'message:send', { chatId: group.id, clientMessageId: randomUUID(), text: `${mention(ben)} ${mention(ann)} ${mention(cat)} see you` });
    expect(viaSocket).toMatchObject({ ok: true, data: { mentions: [ben, ann, cat] } });
    const second = viaSocket.data;
    await eventually(async () => expect(await unreadMentions(ben, group.id)).toEqual([first.seq, second.seq]));
    await eventually(async () => expect(await unreadMentions(ann, group.id)).toEqual([second.seq]));
    expect(await unreadMentions(cat, group.id)).toEqual([]);

    // History and catch-up carry the mentions too.
    expect((await ok(ben, 'GET', `/chats/${group.id}/messages`)).items.find((m: Json) => m.id === second.id).mentions).toEqual([ben, ann, cat]);
    const synced: Json = await request(benLaptop.socket, 'sync', { chats: [{ chatId: group.id, lastSeq: first.seq }] });
    expect(synced.data.chats[0].messages.find((m: Json) => m.id === second.id)).toMatchObject({ mentions: [ben, ann, cat] });

    // Ben reads on his phone: gone from his summary (every device's list comes from it), not from Ann's.
    const read = await request<Json>(benPhone.socket, 'message:read', { chatId: group.id, seq: second.seq });
    expect(read.ok).toBe(true);
    await benLaptop.log.waitFor('receipt:read', (r) => r.userId === ben && r.seq === second.seq);
    await eventually(async () => expect(await unreadMentions(ben, group.id)).toEqual([]));
    expect(await unreadMentions(ann, group.id)).toEqual([second.seq]);
  });

  it('refuses a mention of anyone who is not a member, over REST and the socket, and stores nothing', async () => {
    const group = await ok(ann, 'POST', '/chats/groups', { title: 'Members only', memberIds: [ben] });
    const annDevice = await device(ann);
    const stranger = await send(ann, group.id, `hey ${mention(dan)} and ${mention(ben)}`);
    expect(stranger).toMatchObject({ status: 400, body: { code: 'MESSAGE.INVALID_MENTION', details: { userIds: [dan] } } });
    const nobody = randomUUID();
    expect(await request(annDevice.socket, 'message:send', { chatId: group.id, clientMessageId: randomUUID(), text: `hi ${mention(nobody)}` })).toMatchObject({
      ok: false,
      error: { code: 'MESSAGE.INVALID_MENTION', details: { userIds: [nobody] } },
    });
    const fine = await send(ann, group.id, 'only this one');
    expect(fine.status).toBe(201);
    const history = await ok(ben, 'GET', `/chats/${group.id}/messages`);
    expect(history.items.filter((m: Json) => !m.system).map((m: Json) => m.text)).toEqual(['only this one']);
    // An edit may not bring one in either.
    expect(await api(ann, 'PATCH', `/messages/${fine.body.id}`, { text: `now ${mention(dan)}` })).toMatchObject({ status: 400, body: { code: 'MESSAGE.INVALID_MENTION' } });
    // Text that only looks like a mention is plain text.
    expect((await send(ann, group.id, 'write to me @ home or @[] or @[not an id!]')).body.mentions).toEqual([]);
  });

  it('follows an edit to the new mentions, and a deletion for everyone takes its mentions away', async () => {
    const group = await ok(ann, 'POST', '/chats/groups', { title: 'Edits', memberIds: [ben, cat] });
    const benDevice = await device(ben);
    const message = (await send(ann, group.id, `${mention(ben)} can you?`)).body;
    await eventually(async () => expect(await unreadMentions(ben, group.id)).toEqual([message.seq]));

    const edited = await ok(ann, 'PATCH', `/messages/${message.id}`, { text: `${mention(cat)} can you?` });
    expect(edited.mentions).toEqual([cat]);
    expect(await benDevice.log.waitFor('message:edited', (m) => m.id === message.id)).toMatchObject({ mentions: [cat] });
    await eventually(async () => expect(await unreadMentions(cat, group.id)).toEqual([message.seq]));
    await eventually(async () => expect(await unreadMentions(ben, group.id)).toEqual([]));

    await ok(ann, 'DELETE', `/messages/${message.id}`);
    expect(await benDevice.log.waitFor('message:deleted', (m) => m.id === message.id)).toMatchObject({ mentions: [] });
    await eventually(async () => expect(await unreadMentions(cat, group.id)).toEqual([]));
  });
});
