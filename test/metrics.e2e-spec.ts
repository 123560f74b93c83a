import { randomBytes, randomUUID } from 'node:crypto';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { scrapeMetrics } from './harness/metrics';
import { seedUsers } from './harness/seed';
import { randomClientIp } from './harness/sign-in';
import { ChatSocket, connectSocket, EventLog, request } from './harness/socket-client';
import { mintAccessToken } from './harness/tokens';

jest.setTimeout(120_000);

const METRIC_TYPES = {
  chat_messages_sent_total: 'counter',
  chat_messages_delivered_total: 'counter',
  chat_message_delivery_latency_seconds: 'histogram',
  chat_http_request_duration_seconds: 'histogram',
  chat_connected_sockets: 'gauge',
  chat_rate_limited_total: 'counter',
  chat_outbox_pending_events: 'gauge',
  chat_outbox_relay_lag_seconds: 'gauge',
  // Node's own, from prom-client's default collectors.
  process_cpu_user_seconds_total: 'counter',
  nodejs_heap_size_used_bytes: 'gauge',
};

describe.each(DEPLOYMENT_MODES)('GET /metrics (%s)', (mode) => {
  let cluster: Cluster;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    // Small limits, so a test can reach them: 2 sends at once per socket, 2 sign-in requests a minute per address.
    cluster = await Cluster.start(mode, { env: { WS_SEND_BURST: '2', WS_SEND_PER_SECOND: '1', AUTH_RATE_LIMIT_PER_MINUTE: '2' } });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.stop();
  });

  async function open(token: string): Promise<{ socket: ChatSocket; log: EventLog }> {
    const socket = await connectSocket(cluster.url, { token });
    sockets.push(socket);
    return { socket, log: new EventLog(socket) };
  }

  it('answers the Prometheus text format with every metric of the issue', async () => {
    const response = await fetch(`${cluster.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; .*version=0\.0\.4/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const types = Object.fromEntries((await scrapeMetrics(cluster.url)).types());
    expect(types).toMatchObject(METRIC_TYPES);
  });

  it('counts a real send over a socket: sent, delivered per receiving socket, latency, connected sockets, HTTP by route', async () => {
    const tag = randomBytes(3).toString('hex');
    const [alice, bob] = seedUsers(cluster.dataDir, [
      { email: `alice-${tag}@example.com`, displayName: 'Alice' },
      { email: `bob-${tag}@example.com`, displayName: 'Bob' },
    ]);
    const aliceToken = mintAccessToken(cluster.jwtSecret, alice.id);
    const opened = await fetch(`${cluster.url}/api/v1/chats/direct`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${aliceToken}` },
      body: JSON.stringify({ userId: bob.id }),
    });
    expect(opened.status).toBe(200);
    const chatId = ((await opened.json()) as { id: string }).id;
    const sender = await open(aliceToken);
    const phone = await open(mintAccessToken(cluster.jwtSecret, bob.id));
    const laptop = await open(mintAccessToken(cluster.jwtSecret, bob.id));

    const before = await scrapeMetrics(cluster.url);
    expect(before.value('chat_connected_sockets')).toBe(3);
    const clientMessageId = randomUUID();
    expect(await request(sender.socket, 'message:send', { chatId, clientMessageId, text: 'counted' })).toMatchObject({ ok: true });
    // Bob's two devices get message:new; the sending socket has the message from its ack: two frames.
    for (const { log } of [phone, laptop]) await log.waitFor('message:new', (m) => m.clientMessageId === clientMessageId);
    const after = await scrapeMetrics(cluster.url);

    expect(after.value('chat_messages_sent_total') - before.value('chat_messages_sent_total')).toBe(1);
    expect(after.value('chat_messages_delivered_total') - before.value('chat_messages_delivered_total')).toBe(2);
    expect(sender.log.of('message:new')).toEqual([]);
    expect(after.value('chat_message_delivery_latency_seconds_count') - before.value('chat_message_delivery_latency_seconds_count')).toBe(1);
    expect(after.value('chat_message_delivery_latency_seconds_bucket', { le: '+Inf' })).toBe(after.value('chat_message_delivery_latency_seconds_count'));
    // By route template, never by raw path (the chat id is not a label value).
    expect(after.value('chat_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/chats/direct', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(after.text).not.toContain(chatId);
  });

  it('counts rate-limit refusals on the socket and over HTTP, by code', async () => {
    const [carol] = seedUsers(cluster.dataDir, [{ email: `carol-${randomBytes(3).toString('hex')}@example.com`, displayName: 'Carol' }]);
    const { socket } = await open(mintAccessToken(cluster.jwtSecret, carol.id));
    const before = await scrapeMetrics(cluster.url);

    // The socket's send bucket holds 2: the third send at once is refused whatever the chat.
    const acks = await Promise.all(Array.from({ length: 4 }, () => request<unknown>(socket, 'message:send', { chatId: 'nochat', clientMessageId: randomUUID(), text: 'x' })));
    const socketRefusals = acks.filter((ack) => !ack.ok && ack.error.code === 'COMMON.RATE_LIMITED').length;
    expect(socketRefusals).toBeGreaterThanOrEqual(2);

    // Sign-in code requests from one address: 2 a minute, then 429 COMMON.RATE_LIMITED.
    const ip = randomClientIp();
    let httpRefusals = 0;
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${cluster.url}/api/v1/auth/otp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ email: `limited-${i}-${randomBytes(3).toString('hex')}@example.com` }),
      });
      if (response.status === 429) {
        expect(await response.json()).toMatchObject({ code: 'COMMON.RATE_LIMITED' });
        httpRefusals++;
      }
    }
    expect(httpRefusals).toBeGreaterThanOrEqual(2);

    const after = await scrapeMetrics(cluster.url);
    const delta = (labels: Record<string, string>) => after.value('chat_rate_limited_total', labels) - before.value('chat_rate_limited_total', labels);
    expect(delta({ transport: 'socket', code: 'COMMON.RATE_LIMITED' })).toBe(socketRefusals);
    expect(delta({ transport: 'http', code: 'COMMON.RATE_LIMITED' })).toBe(httpRefusals);
  });

  if (mode === 'single') {
    it("includes the module thread's: the outboxes of Messages and Chats, and its readiness", async () => {
      // Messages and Chats run on the process's second thread (MODULE_THREAD); one scrape still covers the process.
      const scrape = await scrapeMetrics(cluster.url);
      for (const module of ['messages', 'chats', 'users']) {
        expect({ module, line: new RegExp(`^chat_outbox_pending_events\\{module="${module}"\\} \\d+$`, 'm').test(scrape.text) }).toEqual({ module, line: true });
      }
      // Node's own metrics are the main thread's alone (the process's CPU, once).
      expect(scrape.text.match(/^process_cpu_user_seconds_total /gm)).toHaveLength(1);
      const ready = (await (await fetch(`${cluster.url}/health/ready`)).json()) as { details: Record<string, { status: string }> };
      expect(ready.details['module-thread']).toEqual({ status: 'up' });
    });
  }

  if (mode === 'split') {
    it('is served by every process of the deployment, each with its own', async () => {
      for (const [name, process] of cluster.processes) {
        const types = (await scrapeMetrics(process.url)).types();
        expect({ name, cpu: types.get('process_cpu_user_seconds_total') }).toEqual({ name, cpu: 'counter' });
      }
    });
  }
});

describe('GET /metrics outside METRICS_ALLOW', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    // Only a documentation address may scrape: this test, on loopback, may not.
    cluster = await Cluster.start('single', { env: { METRICS_ALLOW: '192.0.2.10/32' } });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('answers 404 COMMON.NOT_FOUND, whatever X-Forwarded-For or Forwarded claim', async () => {
    for (const headers of [{}, { 'x-forwarded-for': '192.0.2.10' }, { forwarded: 'for=192.0.2.10' }, { 'x-real-ip': '192.0.2.10' }] as Record<string, string>[]) {
      const response = await fetch(`${cluster.url}/metrics`, { headers });
      expect({ headers, status: response.status }).toEqual({ headers, status: 404 });
      const body = await response.json();
      expect(body).toMatchObject({ code: 'COMMON.NOT_FOUND' });
      expect(JSON.stringify(body)).not.toContain('chat_');
    }
  });
});
