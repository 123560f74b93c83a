import { randomUUID } from 'node:crypto';
import { MAX_GROUP_MEMBERS } from '../libs/contracts/src';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { eventually } from './harness/probe-deployment';
import { seedUsers } from './harness/seed';
import { connectSocket, EventLog, request } from './harness/socket-client';
import { mintAccessToken } from './harness/tokens';
import { Json, userApi } from './harness/user-api';

/** What docs/message-path.md promises a just-removed member at most: this long to keep acting in the chat. */
const REMOVAL_BOUND_MS = 2_000;

describe.each(DEPLOYMENT_MODES)('a group of %s members (%s)'.replace('%s', String(MAX_GROUP_MEMBERS)), (mode) => {
  let cluster: Cluster;
  let ids: string[];
  const token = (userId: string) => mintAccessToken(cluster.jwtSecret, userId);

  beforeAll(async () => {
    cluster = await Cluster.start(mode);
    ids = seedUsers(cluster.dataDir, Array.from({ length: MAX_GROUP_MEMBERS }, (_, i) => ({ email: `m${i}@group.test`, displayName: `Member ${i}` }))).map((p) => p.id);
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  const { call: api, ok } = userApi(() => cluster.url, token);

  it('sends, counts unread, takes read receipts and removes a member, over the API and the socket', async () => {
    const [admin, reader, leaver, bystander] = ids;
    const group = await ok(admin, 'POST', '/chats/groups', { title: 'Everyone', memberIds: ids.slice(1) });
    expect(group.members).toHaveLength(MAX_GROUP_MEMBERS);
    // One more is one too many.
    const overfull = await api(admin, 'POST', `/chats/${group.id}/members`, { memberIds: [randomUUID()] });
    expect(overfull.body).toMatchObject({ code: 'CHAT.INVALID_MEMBERS' });
    expect(overfull.status).toBe(400);

    const sockets = await Promise.all([reader, leaver, bystander].map((id) => connectSocket(cluster.url, { token: token(id) })));
    const [readerLog, leaverLog, bystanderLog] = sockets.map((s) => new EventLog(s));

    // Seq 1 is the group's creation, read by everyone it brought in.
    const sent = await ok(admin, 'POST', `/chats/${group.id}/messages`, { clientMessageId: randomUUID(), text: 'hello, all of you' });
    for (const log of [readerLog, leaverLog, bystanderLog]) {
      expect(await log.waitFor('message:new', (m) => m.id === sent.id)).toMatchObject({ seq: 2, unreadCount: 1 });
    }
    await eventually(async () => expect(await ok(ids[MAX_GROUP_MEMBERS - 1], 'GET', `/chats/${group.id}`)).toMatchObject({ lastSeq: 2, unreadCount: 1 }));

    // A read in a group this large is told live to the reader's own devices only; everyone sees it on demand.
    expect(await request(sockets[0], 'message:read', { chatId: group.id, seq: 2 })).toMatchObject({ ok: true, data: { seq: 2 } });
    await readerLog.waitFor('receipt:read', (r) => r.userId === reader && r.seq === 2);
    const page = await ok(admin, 'GET', `/chats/${group.id}/messages`);
    expect(page.items.find((m: Json) => m.id === sent.id).readBy).toEqual([reader]);
    const states: Json[] = await ok(admin, 'GET', `/chats/${group.id}/read-states`);
    expect(states).toHaveLength(MAX_GROUP_MEMBERS);
    expect(states.find((s) => s.userId === reader)).toMatchObject({ lastReadSeq: 2 });
    await eventually(async () => expect(await ok(reader, 'GET', `/chats/${group.id}`)).toMatchObject({ unreadCount: 0 }));
    // The marker that the reader's receipt did not go to the others: the bystander's next frame comes first.
    const marker = await ok(admin, 'POST', `/chats/${group.id}/messages`, { clientMessageId: randomUUID(), text: 'marker' });
    await bystanderLog.waitFor('message:new', (m) => m.id === marker.id);
    expect(bystanderLog.of('receipt:read')).toEqual([]);

    // Removal: the member is told at once, and can act in the chat for at most the documented bound.
    const removedAt = Date.now();
    await ok(admin, 'DELETE', `/chats/${group.id}/members/${leaver}`);
    await leaverLog.waitFor('chat:removed', (r) => r.chatId === group.id);
    let refusedAfter: number | null = null;
    while (refusedAfter === null && Date.now() - removedAt < REMOVAL_BOUND_MS + 3_000) {
      const attempt = await api(leaver, 'POST', `/chats/${group.id}/messages`, { clientMessageId: randomUUID(), text: 'still here?' });
      if (attempt.status === 404) {
        expect(attempt.body.code).toBe('CHAT.NOT_FOUND');
        refusedAfter = Date.now() - removedAt;
      }
    }
    expect(refusedAfter).not.toBeNull();
    expect(refusedAfter!).toBeLessThanOrEqual(REMOVAL_BOUND_MS);
    // From then on nothing: no history, no sends, no frames.
    expect(await api(leaver, 'GET', `/chats/${group.id}/messages`)).toMatchObject({ status: 404, body: { code: 'CHAT.NOT_FOUND' } });
    const after = await ok(admin, 'POST', `/chats/${group.id}/messages`, { clientMessageId: randomUUID(), text: 'without them' });
    await bystanderLog.waitFor('message:new', (m) => m.id === after.id);
    expect(leaverLog.of('message:new').map((m) => m.id)).not.toContain(after.id);
    for (const socket of sockets) socket.close();
  }, 120_000);
});
