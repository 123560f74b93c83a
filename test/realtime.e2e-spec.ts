import { randomUUID } from 'node:crypto';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { seedUsers } from './harness/seed';
import { signIn } from './harness/sign-in';
import { SmtpCapture } from './harness/smtp';
import { eventually } from './harness/probe-deployment';
import { ChatSocket, connectSocket, EventLog, request, sleep } from './harness/socket-client';
import { mintAccessToken } from './harness/tokens';
import { png } from './support/image-corpus';
import { SendMessageDto } from '../libs/gateway/src/realtime/socket-payloads.dto';
import { createValidationPipe } from '../libs/platform/src/validation/validation.pipe';

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
  let carol: Person;
  let aliceAndBob: string;

  beforeAll(async () => {
    // The default burst of 30 sends, refilled at 1 a second instead of 10: the rate-limit test's 40 sends then
    // find the bucket as empty as it counts on however slowly a busy machine handles them (at 10 a second, every
    // 100 ms they take gives one back).
    cluster = await Cluster.start(mode, { env: { WS_SEND_PER_SECOND: '1' } });
    [alice, bob, carol] = seedUsers(cluster.dataDir, [
      { email: 'alice@example.com', displayName: 'Alice' },
      { email: 'bob@example.com', displayName: 'Bob' },
      { email: 'carol@example.com', displayName: 'Carol' },
    ]);
    // Alice and Bob talk, so each may see the other's presence; Carol shares no chat with either.
    const opened = await fetch(`${cluster.url}/api/v1/chats/direct`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mintAccessToken(cluster.jwtSecret, alice.id)}` },
      body: JSON.stringify({ userId: bob.id }),
    });
    expect(opened.status).toBe(200);
    aliceAndBob = ((await opened.json()) as { id: string }).id;
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

  it('keeps the presence of people one shares no chat with private', async () => {
    const watcher = await open(cluster.url, mintAccessToken(cluster.jwtSecret, alice.id));
    // Only Bob (a contact) and Alice herself are answered; Carol is left out, as if unknown.
    const answer = await request<any[]>(watcher.socket, 'presence:query', { userIds: [carol.id, bob.id, alice.id] });
    expect(answer).toMatchObject({ ok: true });
    expect(answer.ok && answer.data.map((p) => p.userId).sort()).toEqual([alice.id, bob.id].sort());
    // Nor do Carol's comings and goings reach Alice; Bob's do.
    const carolSocket = await open(cluster.url, mintAccessToken(cluster.jwtSecret, carol.id));
    await open(cluster.url, mintAccessToken(cluster.jwtSecret, bob.id));
    await watcher.log.waitFor('presence', (p) => p.userId === bob.id && p.online);
    carolSocket.socket.close();
    await sleep(300);
    expect(watcher.log.of('presence').filter((p) => p.userId === carol.id)).toHaveLength(0);
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
    expect(await request(socket, 'no-such-event' as any, {})).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED' } });
    expect(await request(socket, 'sync', { chats: [{ chatId: 'c'.repeat(100), lastSeq: -1 }] })).toMatchObject({ ok: false });
    expect(await request(socket, 'sync', { chats: [{ chatId: 'c', lastSeq: 0, changeCursor: '{"seq":1}' }] })).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED' } });
    expect(socket.connected).toBe(true);
    const health = await fetch(`${cluster.url}/health`);
    expect(health.status).toBeLessThan(500);
  });

  it('answers message:send as the validation pipe would: the pipe\'s own error for every malformed payload, and a send for the rest', async () => {
    // message:send is served outside Nest's pipeline (DirectSocketEvents), validated once; these are the acks the
    // pipeline gave, computed here by the same pipe.
    const pipe = createValidationPipe();
    const pipeError = (payload: unknown) =>
      pipe.transform(payload, { type: 'body', metatype: SendMessageDto }).then(
        () => null,
        (error: { toPayload(): unknown }) => error.toPayload(),
      );
    const { socket } = await open(cluster.url, mintAccessToken(cluster.jwtSecret, bob.id));
    const chatId = aliceAndBob;
    const malformed: unknown[] = [
      'text', 42, [], {}, { chatId }, { clientMessageId: randomUUID() },
      { clientMessageId: '', chatId }, { clientMessageId: 'x'.repeat(65), chatId }, { clientMessageId: 'a b', chatId },
      { clientMessageId: randomUUID(), chatId: 'not an id!' },
      { clientMessageId: randomUUID(), chatId, text: 5 },
      { clientMessageId: randomUUID(), chatId, text: 'x'.repeat(4001) },
      { clientMessageId: randomUUID(), chatId, text: 'lone \ud800 surrogate' },
      { clientMessageId: randomUUID(), chatId, imageKey: 'k'.repeat(257) },
      { clientMessageId: randomUUID(), chatId, replyToId: 'no/such/id' },
      { clientMessageId: randomUUID(), chatId, text: 'hi', senderId: alice.id },
      { clientMessageId: randomUUID(), chatId, text: 'hi', extra: true },
    ];
    for (const payload of malformed) {
      const error = await pipeError(payload);
      expect(error).not.toBeNull();
      expect(await request(socket, 'message:send', payload)).toEqual({ ok: false, error });
    }
    // What the pipe takes is sent, by the token's user: plain text at the limit, and text with emoji (which the pipe
    // counts in its own way).
    for (const text of ['x'.repeat(4000), 'hello 👋🏽 there']) {
      const payload = { clientMessageId: randomUUID(), chatId, text, replyToId: null };
      expect(await pipeError(payload)).toBeNull();
      expect(await request(socket, 'message:send', payload)).toMatchObject({ ok: true, data: { chatId, senderId: bob.id, text, seq: expect.any(Number) } });
    }
    // A stranger's send and a send to no chat: the module's answer, as before.
    const stranger = await open(cluster.url, mintAccessToken(cluster.jwtSecret, carol.id));
    expect(await request(stranger.socket, 'message:send', { clientMessageId: randomUUID(), chatId, text: 'hi' })).toEqual({
      ok: false,
      error: { code: 'CHAT.NOT_FOUND', message: 'Chat not found' },
    });
  });

  it('rate-limits sends and typing per socket', async () => {
    const { socket } = await open(cluster.url, mintAccessToken(cluster.jwtSecret, alice.id));
    // The default burst of 30 sends. The chat does not exist, which costs a token all the same.
    const sends = await Promise.all(
      Array.from({ length: 40 }, () => request<any>(socket, 'message:send', { clientMessageId: randomUUID(), chatId: 'nochat', text: 'hi' })),
    );
    const codes = sends.map((ack: any) => ack.error?.code);
    expect(codes.filter((c) => c === 'COMMON.RATE_LIMITED').length).toBeGreaterThanOrEqual(9);
    expect(codes.filter((c) => c === 'CHAT.NOT_FOUND').length).toBeLessThanOrEqual(31);
    const typing = await Promise.all(Array.from({ length: 8 }, () => request<any>(socket, 'typing:start', { chatId: 'nochat' })));
    expect(typing.map((ack: any) => ack.error?.code)).toContain('COMMON.RATE_LIMITED');
    // Another socket of the same user has its own budget.
    const other = await open(cluster.url, mintAccessToken(cluster.jwtSecret, alice.id));
    expect(await request(other.socket, 'message:send', { clientMessageId: randomUUID(), chatId: 'nochat', text: 'hi' })).toMatchObject({
      ok: false,
      error: { code: 'CHAT.NOT_FOUND' },
    });
  });

  it('caps the frame size', async () => {
    const { socket } = await open(cluster.url, mintAccessToken(cluster.jwtSecret, alice.id));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit('message:send', { chatId: 'c', clientMessageId: randomUUID(), text: 'x'.repeat(200_000) }, () => undefined);
    expect(await closed).toMatch(/transport (close|error)/);
  });
});

const TOPOLOGIES: [string, 'single' | 'split', number][] = [
  ['single process', 'single', 1],
  ['split', 'split', 1],
  ['split, two gateways', 'split', 2],
];

describe.each(TOPOLOGIES)('Realtime messaging (%s)', (_name, mode, gateways) => {
  let cluster: Cluster;
  let alice: Person;
  let bob: Person;
  let mallory: Person;
  let aliceUrl: string;
  let bobUrl: string;
  let chatId: string;
  const tokenOf = (person: Person) => mintAccessToken(cluster.jwtSecret, person.id);

  beforeAll(async () => {
    cluster = await Cluster.start(mode, { gateways, env: { WS_SEND_BURST: '500', WS_SEND_PER_SECOND: '500', USER_SEND_LIMIT: '100000' } });
    [alice, bob, mallory] = seedUsers(cluster.dataDir, [
      { email: 'alice@example.com', displayName: 'Alice' },
      { email: 'bob@example.com', displayName: 'Bob' },
      { email: 'mallory@example.com', displayName: 'Mallory' },
    ]);
    const urls = cluster.gatewayUrls();
    aliceUrl = urls[0];
    bobUrl = urls[urls.length - 1]; // with two gateways, each user is on a different one
    const response = await fetch(`${aliceUrl}/api/v1/chats/direct`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(alice)}` },
      body: JSON.stringify({ userId: bob.id }),
    });
    expect(response.status).toBe(200);
    chatId = (await response.json()).id;
  });
  afterEach(closeAll);
  afterAll(async () => {
    await cluster?.stop();
  });

  const send = (socket: ChatSocket, text: string, clientMessageId: string = randomUUID(), target = chatId) =>
    request<any>(socket, 'message:send', { clientMessageId, chatId: target, text });

  it('sends with an ack, delivers to every device of every member, and never duplicates a retry', async () => {
    const a = await open(aliceUrl, tokenOf(alice));
    const b = await open(bobUrl, tokenOf(bob));
    const bOther = await open(aliceUrl, tokenOf(bob)); // Bob's second device, on the other gateway
    const aOther = await open(bobUrl, tokenOf(alice)); // Alice's second device
    const clientMessageId = randomUUID();
    const ack = await send(a.socket, 'hello bob', clientMessageId);
    expect(ack).toMatchObject({ ok: true, data: { chatId, senderId: alice.id, text: 'hello bob', clientMessageId } });
    const stored = (ack as any).data;
    expect(stored.seq).toBeGreaterThan(0);
    expect(typeof stored.id).toBe('string');
    expect(new Date(stored.createdAt).toISOString()).toBe(stored.createdAt);

    // One frame per member carries the message and what that member's chat list needs: their unread count.
    for (const log of [b.log, bOther.log]) {
      const frame = await log.waitFor('message:new', (m) => m.id === stored.id);
      expect(frame).toMatchObject({ seq: stored.seq, text: 'hello bob' });
      expect(frame.unreadCount).toBeGreaterThanOrEqual(1);
    }
    // The sender's other device hears of it with the rest; the socket it was sent from has it from the ack alone.
    expect(await aOther.log.waitFor('message:new', (m) => m.id === stored.id)).toMatchObject({ seq: stored.seq, unreadCount: 0 });
    expect(a.log.of('message:new').map((m) => m.id)).not.toContain(stored.id);
    const listed = await (await fetch(`${bobUrl}/api/v1/chats/${chatId}`, { headers: { authorization: `Bearer ${tokenOf(bob)}` } })).json();
    const bobsFrame = b.log.of('message:new').find((m) => m.id === stored.id)!;
    expect(listed).toMatchObject({ lastSeq: stored.seq, unreadCount: bobsFrame.unreadCount, lastMessage: { messageId: stored.id } });
    // No separate chat:updated per message any more.
    expect(b.log.of('chat:updated').filter((u) => u.chat.lastMessage?.messageId === stored.id)).toEqual([]);

    const retry = await send(a.socket, 'hello bob', clientMessageId);
    expect(retry).toMatchObject({ ok: true, data: { id: stored.id, seq: stored.seq } });
    await sleep(500);
    const ids = new Set(b.log.of('message:new').filter((m) => m.clientMessageId === clientMessageId).map((m) => m.id));
    expect([...ids]).toEqual([stored.id]);
  });

  it('sends an uploaded image over the socket, once: the key cannot go on a second message', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await png(40, 30))], { type: 'image/png' }), 'pic.png');
    const uploaded = await fetch(`${aliceUrl}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${tokenOf(alice)}` }, body: form });
    expect(uploaded.status).toBe(201);
    const image = await uploaded.json();

    const a = await open(aliceUrl, tokenOf(alice));
    const b = await open(bobUrl, tokenOf(bob));
    const ack: any = await request<any>(a.socket, 'message:send', { clientMessageId: randomUUID(), chatId, imageKey: image.key, text: 'look' });
    expect(ack).toMatchObject({ ok: true, data: { text: 'look', image: { key: image.key, width: 40, height: 30 } } });
    expect(await b.log.waitFor('message:new', (m) => m.id === ack.data.id)).toMatchObject({ image: { key: image.key } });

    // Someone else's upload, or this one on another message, is refused like an unknown key.
    const reused = await request<any>(a.socket, 'message:send', { clientMessageId: randomUUID(), chatId, imageKey: image.key });
    expect(reused).toMatchObject({ ok: false, error: { code: 'MEDIA.NOT_FOUND' } });
    const stolen = await request<any>(b.socket, 'message:send', { clientMessageId: randomUUID(), chatId, imageKey: image.key });
    expect(stolen).toMatchObject({ ok: false, error: { code: 'MEDIA.NOT_FOUND' } });
  });

  it('pushes edits and deletions (made over REST) to every member, and a new chat to its members', async () => {
    const a = await open(aliceUrl, tokenOf(alice));
    const b = await open(bobUrl, tokenOf(bob));
    const sent = (await send(a.socket, 'tpyo')) as any;
    const rest = (path: string, method: string, body?: unknown, person = alice) =>
      fetch(`${aliceUrl}/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(person)}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await rest(`/messages/${sent.data.id}`, 'PATCH', { text: 'typo' })).status).toBe(200);
    expect(await b.log.waitFor('message:edited', (m) => m.id === sent.data.id)).toMatchObject({ text: 'typo', editedAt: expect.any(String) });
    expect((await rest(`/messages/${sent.data.id}`, 'DELETE')).status).toBe(200);
    expect(await b.log.waitFor('message:deleted', (m) => m.id === sent.data.id)).toMatchObject({ text: null, deletedAt: expect.any(String) });
    await a.log.waitFor('message:deleted', (m) => m.id === sent.data.id);

    // Mallory opens a chat with Bob: it shows up in Bob's list at once; Alice hears nothing of it.
    const opened = await rest('/chats/direct', 'POST', { userId: bob.id }, mallory);
    expect(opened.status).toBe(200);
    const newChatId = (await opened.json()).id;
    expect(await b.log.waitFor('chat:updated', (u) => u.chat.id === newChatId)).toMatchObject({ reason: 'members' });
    await sleep(300);
    expect(a.log.events.filter((e) => JSON.stringify(e.payload).includes(newChatId))).toEqual([]);
  });

  it('relays typing start and stop, and ends a typing indicator nobody stopped', async () => {
    const a = await open(aliceUrl, tokenOf(alice));
    const b = await open(bobUrl, tokenOf(bob));
    expect(await request(b.socket, 'typing:start', { chatId })).toEqual({ ok: true, data: null });
    expect(await a.log.waitFor('typing', (t) => t.state === 'start')).toMatchObject({ chatId, userId: bob.id, expiresInMs: 5000 });
    // Fire-and-forget, as a client may send it: no ack callback at all.
    b.socket.emit('typing:stop', { chatId });
    expect(await a.log.waitFor('typing', (t) => t.state === 'stop')).toMatchObject({ chatId, userId: bob.id });
    expect(b.log.of('typing')).toHaveLength(0); // not echoed to the typist

    const started = Date.now();
    await request(a.socket, 'typing:start', { chatId });
    await b.log.waitFor('typing', (t) => t.state === 'start' && t.userId === alice.id);
    await b.log.waitFor('typing', (t) => t.state === 'stop' && t.userId === alice.id, 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
  });

  it('sends delivery and read receipts to the sender when the recipient acknowledges and reads', async () => {
    const a = await open(aliceUrl, tokenOf(alice));
    const b = await open(bobUrl, tokenOf(bob));
    const sent = (await send(a.socket, 'did you get this?')) as any;
    const received = await b.log.waitFor('message:new', (m) => m.id === sent.data.id);

    const delivered = await request<any>(b.socket, 'message:delivered', { chatId, seq: received.seq });
    expect(delivered).toMatchObject({ ok: true, data: { chatId, userId: bob.id, seq: received.seq } });
    expect(await a.log.waitFor('receipt:delivered', (r) => r.userId === bob.id && r.seq >= received.seq)).toMatchObject({ chatId });

    const read = await request<any>(b.socket, 'message:read', { chatId, seq: received.seq });
    expect(read).toMatchObject({ ok: true, data: { chatId, userId: bob.id, seq: received.seq } });
    expect(await a.log.waitFor('receipt:read', (r) => r.userId === bob.id && r.seq >= received.seq)).toMatchObject({ chatId });
    // Bob's other devices learn the pointer moved (their unread badge follows from it), and so does his chat list.
    expect(await b.log.waitFor('receipt:read', (r) => r.userId === bob.id && r.seq >= received.seq)).toMatchObject({ chatId });
    await eventually(async () => {
      const listed = await (await fetch(`${bobUrl}/api/v1/chats/${chatId}`, { headers: { authorization: `Bearer ${tokenOf(bob)}` } })).json();
      expect(listed.lastReadSeq).toBeGreaterThanOrEqual(received.seq);
    });
  });

  it('shows presence across gateways', async () => {
    const a = await open(aliceUrl, tokenOf(alice));
    await request(a.socket, 'presence:query', { userIds: [bob.id] });
    const b = await open(bobUrl, tokenOf(bob));
    await a.log.waitFor('presence', (p) => p.userId === bob.id && p.online);
    expect(await request(a.socket, 'presence:query', { userIds: [bob.id] })).toEqual({ ok: true, data: [{ userId: bob.id, online: true, lastSeen: null }] });
    b.socket.close();
    const offline = await a.log.waitFor('presence', (p) => p.userId === bob.id && !p.online);
    expect(typeof offline.lastSeen).toBe('string');
  });

  it('refuses a non-member everything about a chat, and tells them nothing of it', async () => {
    const a = await open(aliceUrl, tokenOf(alice));
    const m = await open(bobUrl, tokenOf(mallory), { auth: { userId: alice.id } });
    const refused = { ok: false, error: { code: 'CHAT.NOT_FOUND' } };
    expect(await send(m.socket, 'let me in')).toMatchObject(refused);
    expect(await request(m.socket, 'typing:start', { chatId })).toMatchObject(refused);
    expect(await request(m.socket, 'message:read', { chatId, seq: 1 })).toMatchObject(refused);
    expect(await request(m.socket, 'message:delivered', { chatId, seq: 1 })).toMatchObject(refused);
    const synced = (await request<any>(m.socket, 'sync', { chats: [{ chatId, lastSeq: 0 }] })) as any;
    expect(synced).toMatchObject({ ok: true, data: { chats: [], notFoundChatIds: [chatId] } });
    // Claiming to be Alice, or to send as her, changes nothing.
    const spoofed = await request(m.socket, 'message:send', { clientMessageId: randomUUID(), chatId, text: 'as alice', senderId: alice.id });
    expect(spoofed).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED' } });

    const sent = (await send(a.socket, 'private')) as any;
    await request(a.socket, 'typing:start', { chatId });
    await sleep(800);
    expect(sent.ok).toBe(true);
    const leaked = m.log.events.filter((e) => JSON.stringify(e.payload).includes(chatId));
    expect(leaked).toEqual([]);
  });

  it('after a dropped connection, recovery plus sync give all 100 messages once each, in order', async () => {
    const a = await open(aliceUrl, tokenOf(alice));
    const b = await open(bobUrl, tokenOf(bob), { reconnection: true });
    const first = (await send(a.socket, 'before the drop')) as any;
    await b.log.waitFor('message:new', (m) => m.id === first.data.id);
    const heldSeq = first.data.seq;

    const sentIds: string[] = [];
    for (let i = 0; i < 100; i++) {
      if (i === 20) (b.socket.io as any).engine.close(); // the network drops mid-stream; the client reconnects by itself
      const ack = (await send(a.socket, `burst ${i}`)) as any;
      expect(ack.ok).toBe(true);
      sentIds.push(ack.data.id);
    }
    if (!b.socket.connected) await new Promise<void>((resolve) => b.socket.once('connect', () => resolve()));
    // A short drop resumes the session (connection state recovery: the in-memory log on one gateway, Redis with several).
    expect(b.socket.recovered).toBe(true);

    // Live events (replayed by recovery or not) must never repeat a message.
    const live = b.log.of('message:new').filter((m) => m.chatId === chatId && m.seq > heldSeq);
    expect(new Set(live.map((m) => m.id)).size).toBe(live.length);

    // The client syncs from the last seq it holds without a gap; sync returns only what it is missing.
    const have = new Map<number, any>(live.map((m) => [m.seq, m]));
    let contiguous = heldSeq;
    while (have.has(contiguous + 1)) contiguous++;
    const synced = (await request<any>(b.socket, 'sync', { chats: [{ chatId, lastSeq: contiguous }] })) as any;
    expect(synced.ok).toBe(true);
    const caughtUp = synced.data.chats[0];
    expect(caughtUp).toMatchObject({ chatId, complete: true });
    expect(caughtUp.messages.every((m: any) => m.seq > contiguous)).toBe(true);
    for (const message of caughtUp.messages) have.set(message.seq, message);

    const timeline = [...have.values()].sort((x, y) => x.seq - y.seq);
    expect(timeline.map((m) => m.id)).toEqual(sentIds);
    expect(timeline.map((m) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => heldSeq + 1 + i));
  });

  it('a client that was away (no recovery possible) gets every missed message from sync, in pages, in order', async () => {
    const a = await open(aliceUrl, tokenOf(alice));
    const start = (await send(a.socket, 'checkpoint')) as any;
    const lastSeq = start.data.seq;
    const sentIds: string[] = [];
    for (let i = 0; i < 150; i++) sentIds.push(((await send(a.socket, `while away ${i}`)) as any).data.id);

    const b = await open(bobUrl, tokenOf(bob));
    const synced = (await request<any>(b.socket, 'sync', { chats: [{ chatId, lastSeq }] })) as any;
    expect(synced.ok).toBe(true);
    const [caughtUp] = synced.data.chats;
    expect(caughtUp.complete).toBe(true);
    expect(caughtUp.messages.map((m: any) => m.id)).toEqual(sentIds);
    expect(caughtUp.messages.map((m: any) => m.seq)).toEqual(Array.from({ length: 150 }, (_, i) => lastSeq + 1 + i));
    // Chats Bob has but did not list (the one Mallory opened in an earlier test) are named, the listed one is not.
    expect(synced.data.unknownChatIds).not.toContain(chatId);
  });

  it('a client that was away gets the edits and deletions of messages it had, with the new ones, once each', async () => {
    const rest = (path: string, method: string, body?: unknown) =>
      fetch(`${aliceUrl}/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(alice)}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const a = await open(aliceUrl, tokenOf(alice));
    const kept = ((await send(a.socket, 'see you at noon')) as any).data;
    const doomed = ((await send(a.socket, 'oops, wrong chat')) as any).data;

    // Bob loads the chat as the web app does: a history page, whose changeCursor is where his catch-up of
    // changes starts; he has both messages.
    const away = await open(bobUrl, tokenOf(bob));
    const page = await (await fetch(`${bobUrl}/api/v1/chats/${chatId}/messages?limit=10`, { headers: { authorization: `Bearer ${tokenOf(bob)}` } })).json();
    expect(page.items.slice(-2).map((m: any) => m.id)).toEqual([kept.id, doomed.id]);
    expect(typeof page.changeCursor).toBe('string');
    const held = new Map<string, any>(page.items.map((m: any) => [m.id, m]));
    const lastSeq = doomed.seq;
    away.socket.close(); // gone for good: a new socket later, so connection state recovery replays nothing

    expect((await rest(`/messages/${kept.id}`, 'PATCH', { text: 'see you at one' })).status).toBe(200);
    expect((await rest(`/messages/${doomed.id}`, 'DELETE')).status).toBe(200);
    const fresh = ((await send(a.socket, 'did you see my edit?')) as any).data;
    // A message sent and edited while Bob was away comes once, as a new message in its current state.
    const fixed = ((await send(a.socket, 'tpyo')) as any).data;
    expect((await rest(`/messages/${fixed.id}`, 'PATCH', { text: 'typo' })).status).toBe(200);

    const b = await open(bobUrl, tokenOf(bob));
    const synced = (await request<any>(b.socket, 'sync', { chats: [{ chatId, lastSeq, changeCursor: page.changeCursor }] })) as any;
    expect(synced.ok).toBe(true);
    const [caughtUp] = synced.data.chats;
    expect(caughtUp).toMatchObject({ chatId, complete: true });
    expect(caughtUp.messages.map((m: any) => [m.id, m.text])).toEqual([[fresh.id, 'did you see my edit?'], [fixed.id, 'typo']]);
    // Current state, in change order: the edit, then the tombstone.
    expect(caughtUp.changed.map((m: any) => m.id)).toEqual([kept.id, doomed.id]);
    expect(caughtUp.changed[0]).toMatchObject({ text: 'see you at one', editedAt: expect.any(String), deletedAt: null, seq: kept.seq });
    expect(caughtUp.changed[1]).toMatchObject({ text: null, image: null, deletedAt: expect.any(String), seq: doomed.seq });

    // Applied as the web app does: replace held copies, append the new ones. Each message once.
    for (const m of caughtUp.changed) if (held.has(m.id)) held.set(m.id, m);
    for (const m of caughtUp.messages) held.set(m.id, m);
    const timeline = [...held.values()].sort((x, y) => x.seq - y.seq);
    expect(timeline.slice(-4).map((m) => [m.id, m.text, m.deletedAt !== null])).toEqual([
      [kept.id, 'see you at one', false],
      [doomed.id, null, true],
      [fresh.id, 'did you see my edit?', false],
      [fixed.id, 'typo', false],
    ]);
    expect(new Set(timeline.map((m) => m.seq)).size).toBe(timeline.length);

    // From the cursor just handed back, nothing has changed and nothing is new.
    const again = (await request<any>(b.socket, 'sync', { chats: [{ chatId, lastSeq: fixed.seq, changeCursor: caughtUp.changeCursor }] })) as any;
    expect(again).toMatchObject({ ok: true, data: { chats: [{ chatId, messages: [], changed: [], complete: true }] } });
    expect(again.data.chats[0].changeCursor).toBe(caughtUp.changeCursor);

    // An older client sends no cursor: no changes, and a cursor to start from. A cursor the server did not
    // make is refused; a non-member learns nothing, cursor or not.
    const legacy = (await request<any>(b.socket, 'sync', { chats: [{ chatId, lastSeq: fixed.seq }] })) as any;
    expect(legacy).toMatchObject({ ok: true, data: { chats: [{ chatId, messages: [], changed: [], complete: true, changeCursor: expect.any(String) }] } });
    expect(await request(b.socket, 'sync', { chats: [{ chatId, lastSeq: 0, changeCursor: 'bm90LWEtY3Vyc29y' }] })).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED' } });
    const m = await open(bobUrl, tokenOf(mallory));
    const snooped = (await request<any>(m.socket, 'sync', { chats: [{ chatId, lastSeq: 0, changeCursor: page.changeCursor }] })) as any;
    expect(snooped).toMatchObject({ ok: true, data: { chats: [], notFoundChatIds: [chatId] } });
  });

  it('catches up more changes than one page holds, in the order they were made, each once', async () => {
    const a = await open(aliceUrl, tokenOf(alice));
    const sent: any[] = [];
    for (let i = 0; i < 130; i++) sent.push(((await send(a.socket, `draft ${i}`)) as any).data);
    const b = await open(bobUrl, tokenOf(bob));
    const lastSeq = sent[sent.length - 1].seq;
    // A cursor from a sync (what a client that never loaded history starts from).
    const start = (await request<any>(b.socket, 'sync', { chats: [{ chatId, lastSeq }] })) as any;
    const changeCursor = start.data.chats[0].changeCursor;

    // Edited from the last to the first, so change order is not seq order.
    const order = [...sent].reverse();
    for (const m of order) {
      const edited = await fetch(`${aliceUrl}/api/v1/messages/${m.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(alice)}` },
        body: JSON.stringify({ text: `final ${m.text}` }),
      });
      expect(edited.status).toBe(200);
    }
    const synced = (await request<any>(b.socket, 'sync', { chats: [{ chatId, lastSeq, changeCursor }] })) as any;
    const [caughtUp] = synced.data.chats;
    expect(caughtUp).toMatchObject({ messages: [], complete: true });
    expect(caughtUp.changed.map((m: any) => m.id)).toEqual(order.map((m) => m.id));
    expect(caughtUp.changed.every((m: any) => m.text.startsWith('final draft '))).toBe(true);
  });
});

describe.each(DEPLOYMENT_MODES)('Realtime session revocation (%s)', (mode) => {
  let cluster: Cluster;
  let smtp: SmtpCapture;

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    cluster = await Cluster.start(mode, { gateways: mode === 'split' ? 2 : 1, env: { SMTP_URL: smtp.url } });
  });
  afterEach(closeAll);
  afterAll(async () => {
    await cluster?.stop();
    await smtp?.stop();
  });

  it('closes every socket of a signed-out session on every gateway, keeps other sessions, and refuses its token', async () => {
    const urls = cluster.gatewayUrls();
    const rita = await signIn(cluster, 'rita@example.com', smtp);
    const sam = await signIn(cluster, 'sam@example.com', smtp);
    const phone = await open(urls[0], rita.accessToken);
    const laptop = await open(urls[urls.length - 1], rita.accessToken);
    const bystander = await open(urls[urls.length - 1], sam.accessToken);
    const closed = [phone, laptop].map((device) => new Promise<string>((resolve) => device.socket.once('disconnect', resolve)));

    const logout = await fetch(`${urls[0]}/api/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${rita.accessToken}` } });
    expect(logout.status).toBe(204);
    expect(await Promise.all(closed)).toEqual(['io server disconnect', 'io server disconnect']);
    for (const device of [phone, laptop]) expect(device.log.of('auth:expired')).toEqual([expect.objectContaining({ code: 'AUTH.SESSION_REVOKED' })]);

    await sleep(300);
    expect(bystander.socket.connected).toBe(true);
    await expect(connectSocket(urls[0], { token: rita.accessToken })).rejects.toMatchObject({ data: { code: 'AUTH.SESSION_REVOKED' } });
  });
});
