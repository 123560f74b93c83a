import { randomUUID } from 'node:crypto';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { seedUsers } from './harness/seed';
import { ChatSocket, connectSocket, EventLog, request, sleep } from './harness/socket-client';
import { mintAccessToken } from './harness/tokens';

type Person = { id: string; email: string; displayName: string };

const opened: ChatSocket[] = [];
async function open(url: string, token: string, extra: Parameters<typeof connectSocket>[1] = {}): Promise<{ socket: ChatSocket; log: EventLog }> {
  const socket = await connectSocket(url, { token, ...extra });
  opened.push(socket);
  return { socket, log: new EventLog(socket) };
}
function closeAll(): void {
  for (const socket of opened.splice(0)) socket.close();
}

describe.each(DEPLOYMENT_MODES)('Realtime handshake (%s)', (mode) => {
  let cluster: Cluster;
  let alice: Person;
  let bob: Person;

  beforeAll(async () => {
    cluster = await Cluster.start(mode);
    [alice, bob] = seedUsers(cluster.dataDir, [
      { email: 'alice@example.com', displayName: 'Alice' },
      { email: 'bob@example.com', displayName: 'Bob' },
    ]);
  });
  afterEach(closeAll);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('refuses a missing, forged or expired token with AUTH.UNAUTHENTICATED', async () => {
    await expect(connectSocket(cluster.url, {})).rejects.toMatchObject({ data: { code: 'AUTH.UNAUTHENTICATED' } });
    const forged = mintAccessToken('x'.repeat(64), alice.id);
    await expect(connectSocket(cluster.url, { token: forged })).rejects.toMatchObject({ data: { code: 'AUTH.UNAUTHENTICATED' } });
    const expired = mintAccessToken(cluster.jwtSecret, alice.id, 's', -10);
    await expect(connectSocket(cluster.url, { token: expired })).rejects.toMatchObject({ data: { code: 'AUTH.UNAUTHENTICATED' } });
  });

  it('refuses a foreign Origin, and a cookie-only handshake without an Origin', async () => {
    const token = mintAccessToken(cluster.jwtSecret, alice.id);
    await expect(connectSocket(cluster.url, { token, origin: 'https://evil.example' })).rejects.toMatchObject({ data: { code: 'AUTH.FORBIDDEN' } });
    await expect(connectSocket(cluster.url, { cookie: `access=${token}`, origin: 'https://evil.example' })).rejects.toMatchObject({
      data: { code: 'AUTH.FORBIDDEN' },
    });
    await expect(connectSocket(cluster.url, { cookie: `access=${token}`, origin: null })).rejects.toMatchObject({ data: { code: 'AUTH.FORBIDDEN' } });
    // The same cookie from the app's own origin is fine (both cookie names are read).
    const viaCookie = await open(cluster.url, '', { cookie: `__Host-access=${token}` });
    expect(viaCookie.socket.connected).toBe(true);
  });

  it('takes the user from the token only, whatever the client claims', async () => {
    const token = mintAccessToken(cluster.jwtSecret, alice.id);
    const watcher = await open(cluster.url, mintAccessToken(cluster.jwtSecret, bob.id));
    await request(watcher.socket, 'presence:query', { userIds: [alice.id, bob.id] });
    // Alice's socket claims to be Bob in auth and query; Bob is already online, so only Alice's presence changes.
    await open(cluster.url, token, { auth: { userId: bob.id }, query: { userId: bob.id } });
    // (Bob's own "online" may reach the watcher too: its presence write can finish after the query.)
    await watcher.log.waitFor('presence', (p) => p.online && p.userId === alice.id);
  });

  it('disconnects a socket when its access token expires', async () => {
    const shortLived = mintAccessToken(cluster.jwtSecret, alice.id, 's', 2);
    const { socket, log } = await open(cluster.url, shortLived);
    const reason = await new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect(reason).toBe('io server disconnect');
    expect(log.of('auth:expired')[0]).toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
  });

  it('tracks presence across several devices: online while any is connected, lastSeen on the last disconnect', async () => {
    const watcher = await open(cluster.url, mintAccessToken(cluster.jwtSecret, alice.id));
    const before = await request<any[]>(watcher.socket, 'presence:query', { userIds: [bob.id] });
    expect(before).toMatchObject({ ok: true, data: [{ userId: bob.id, online: false }] });
    const bobToken = mintAccessToken(cluster.jwtSecret, bob.id);
    const phone = await connectSocket(cluster.url, { token: bobToken });
    const laptop = await connectSocket(cluster.url, { token: bobToken });
    await watcher.log.waitFor('presence', (p) => p.userId === bob.id && p.online);
    phone.close();
    await sleep(300);
    const during = await request<any[]>(watcher.socket, 'presence:query', { userIds: [bob.id] });
    expect(during).toEqual({ ok: true, data: [{ userId: bob.id, online: true, lastSeen: null }] });
    expect(watcher.log.of('presence').filter((p) => p.userId === bob.id && !p.online)).toHaveLength(0);
    laptop.close();
    const offline = await watcher.log.waitFor('presence', (p) => p.userId === bob.id && !p.online);
    expect(new Date(offline.lastSeen).getTime()).toBeGreaterThan(Date.now() - 10_000);
  });

  it('answers malformed events with an error ack and stays up', async () => {
    const { socket } = await open(cluster.url, mintAccessToken(cluster.jwtSecret, alice.id));
    expect(await request(socket, 'message:send', 'not an object')).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED' } });
    expect(await request(socket, 'message:send', null)).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED' } });
    expect(await request(socket, 'message:send', { chatId: 'c', clientMessageId: 'x', senderId: bob.id })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION.FAILED' },
    });
    expect(await request(socket, 'presence:query', { userIds: 'nope' })).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED' } });
    (socket as any).emit('message:read', { chatId: 1 }); // no ack callback: dropped, nothing crashes
    (socket as any).emit('no-such-event', 1, 2, 3);
    expect(await request(socket, 'sync', { chats: [{ chatId: 'c'.repeat(100), lastSeq: -1 }] })).toMatchObject({ ok: false });
    expect(socket.connected).toBe(true);
    const health = await fetch(`${cluster.url}/health`);
    expect(health.status).toBeLessThan(500);
  });

  it('caps the frame size', async () => {
    const { socket } = await open(cluster.url, mintAccessToken(cluster.jwtSecret, alice.id));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit('message:send', { chatId: 'c', clientMessageId: randomUUID(), text: 'x'.repeat(200_000) }, () => undefined);
    expect(await closed).toMatch(/transport (close|error)/);
  });
});
