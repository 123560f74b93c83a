import { Cluster } from './harness/cluster';
import { seedUsers } from './harness/seed';
import { ChatSocket, connectSocket, EventLog, request } from './harness/socket-client';
import { mintAccessToken } from './harness/tokens';

const PRESENCE_TTL_MS = 3000;
/** A dead gateway's users go offline within 4/3 of the TTL; the rest is slack for a busy machine (the promise is 60 s). */
const OFFLINE_WITHIN_MS = 15_000;

/**
 * Split mode only: presence across gateways lives in Redis. A gateway killed with SIGKILL runs no disconnect
 * handler, so only its expired heartbeat can take its users offline.
 */
describe('Presence when a gateway dies (split, two gateways)', () => {
  let cluster: Cluster;
  let alice: { id: string };
  let bob: { id: string };
  const opened: ChatSocket[] = [];

  const open = async (url: string, userId: string) => {
    const socket = await connectSocket(url, { token: mintAccessToken(cluster.jwtSecret, userId) });
    opened.push(socket);
    return { socket, log: new EventLog(socket) };
  };

  beforeAll(async () => {
    cluster = await Cluster.start('split', { gateways: 2, env: { PRESENCE_TTL_MS: String(PRESENCE_TTL_MS) } });
    [alice, bob] = seedUsers(cluster.dataDir, [
      { email: 'alice@example.com', displayName: 'Alice' },
      { email: 'bob@example.com', displayName: 'Bob' },
    ]);
    // They share a chat, so each may see the other's presence.
    const chat = await fetch(`${cluster.url}/api/v1/chats/direct`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mintAccessToken(cluster.jwtSecret, alice.id)}` },
      body: JSON.stringify({ userId: bob.id }),
    });
    expect(chat.status).toBe(200);
  });

  afterAll(async () => {
    for (const socket of opened) socket.close();
    await cluster?.stop();
  });

  it("shows a killed gateway's user offline to the other gateway's users, and online again after it restarts", async () => {
    const [gatewayA, gatewayB] = cluster.gatewayUrls();
    const a = await open(gatewayA, alice.id);
    expect(await request(a.socket, 'presence:query', { userIds: [bob.id] })).toEqual({ ok: true, data: [{ userId: bob.id, online: false, lastSeen: null }] });

    const b = await open(gatewayB, bob.id);
    await a.log.waitFor('presence', (p) => p.userId === bob.id && p.online);

    await cluster.process('gateway2').kill();
    const offline = await a.log.waitFor('presence', (p) => p.userId === bob.id && !p.online, OFFLINE_WITHIN_MS);
    expect(offline).toEqual({ userId: bob.id, online: false, lastSeen: expect.any(String) });
    expect(await request(a.socket, 'presence:query', { userIds: [bob.id] })).toEqual({ ok: true, data: [offline] });
    expect(b.socket.connected).toBe(false);

    await cluster.process('gateway2').start();
    const onlineEvents = a.log.of('presence').filter((p) => p.userId === bob.id && p.online).length;
    await open(cluster.gatewayUrls()[1], bob.id);
    await a.log.waitFor('presence', () => a.log.of('presence').filter((p) => p.userId === bob.id && p.online).length > onlineEvents);
    expect(await request(a.socket, 'presence:query', { userIds: [bob.id] })).toEqual({ ok: true, data: [{ userId: bob.id, online: true, lastSeen: null }] });
  });
});
