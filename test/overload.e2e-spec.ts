import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { seedUsers } from './harness/seed';
import { connectSocket, request } from './harness/socket-client';
import { mintAccessToken } from './harness/tokens';

/**
 * Back-pressure: a gateway takes MAX_PENDING_SENDS sends at once (3 here; SEND_QUEUE_MS=0, so the count alone
 * decides, as send-admission.spec.ts tests the time bound) and turns the rest away at once with COMMON.OVERLOADED.
 * Nothing turned away is stored; sending it again stores it once, in order, with no gap.
 */
describe.each(DEPLOYMENT_MODES)('Send back-pressure (%s)', (mode) => {
  let cluster: Cluster;
  let token: string;
  let chatId: string;

  const rest = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${cluster.url}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    cluster = await Cluster.start(mode, { env: { MAX_PENDING_SENDS: '3', SEND_QUEUE_MS: '0', WS_SEND_BURST: '500', WS_SEND_PER_SECOND: '500', USER_SEND_LIMIT: '100000' } });
    const [alice, bob] = seedUsers(cluster.dataDir, [
      { email: 'alice@example.com', displayName: 'Alice' },
      { email: 'bob@example.com', displayName: 'Bob' },
    ]);
    token = mintAccessToken(cluster.jwtSecret, alice.id);
    const opened = await rest('/chats/direct', 'POST', { userId: bob.id });
    expect(opened.status).toBe(200);
    chatId = (await opened.json()).id;
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('turns sends beyond the limit away with COMMON.OVERLOADED, and a retry stores each one once', async () => {
    const socket = await connectSocket(cluster.url, { token });
    try {
      const ids = Array.from({ length: 40 }, (_, i) => `burst-${i}`);
      const acks = await Promise.all(ids.map((clientMessageId) => request<any>(socket, 'message:send', { clientMessageId, chatId, text: clientMessageId })));
      const refused = ids.filter((_, i) => !acks[i].ok);
      expect(acks.filter((a) => a.ok).length).toBeGreaterThanOrEqual(3);
      expect(refused.length).toBeGreaterThan(0);
      for (const ack of acks.filter((a) => !a.ok)) expect(ack.error).toMatchObject({ code: 'COMMON.OVERLOADED', message: expect.any(String) });

      // Over REST the answer is 201, or 503 with the same code; what was turned away is stored once on a retry.
      // (In one process a REST send finishes within a few loop turns, so 20 fetches rarely overlap beyond the
      // limit; split, each send crosses RabbitMQ twice and they do.)
      const restIds = Array.from({ length: 20 }, (_, i) => `rest-${i}`);
      const post = (clientMessageId: string) =>
        rest(`/chats/${chatId}/messages`, 'POST', { clientMessageId, text: clientMessageId }).then(async (r) => ({ status: r.status, body: await r.json() }));
      const answers = await Promise.all(restIds.map(post));
      for (const answer of answers) {
        if (answer.status !== 201) expect(answer).toMatchObject({ status: 503, body: { code: 'COMMON.OVERLOADED' } });
      }
      if (mode === 'split') expect(answers.some((a) => a.status === 503)).toBe(true);
      for (const [i, answer] of answers.entries()) if (answer.status === 503) expect((await post(restIds[i])).status).toBe(201);

      // Everything turned away goes again, one at a time, and is stored once.
      for (const clientMessageId of refused) {
        expect(await request<any>(socket, 'message:send', { clientMessageId, chatId, text: clientMessageId })).toMatchObject({ ok: true });
      }
      const history = await (await rest(`/chats/${chatId}/messages?limit=100`)).json();
      const stored = history.items.map((m: { clientMessageId: string }) => m.clientMessageId);
      expect([...stored].sort()).toEqual([...ids, ...restIds].sort());
      const seqs = history.items.map((m: { seq: number }) => m.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    } finally {
      socket.close();
    }
  });
});
