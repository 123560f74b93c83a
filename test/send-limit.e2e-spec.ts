import { randomBytes, randomUUID } from 'node:crypto';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { signIn, SignedIn } from './harness/sign-in';
import { SmtpCapture } from './harness/smtp';
import { ChatSocket, connectSocket, request } from './harness/socket-client';

const LIMIT = 40;

describe.each(DEPLOYMENT_MODES)('One send budget per user, over every socket and REST (%s)', (mode) => {
  let cluster: Cluster;
  let smtp: SmtpCapture;
  let ada: SignedIn;
  let bob: SignedIn;
  let chatId: string;
  const sockets: ChatSocket[] = [];

  const post = (as: SignedIn, path: string, body: unknown) =>
    fetch(`${cluster.url}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${as.accessToken}` },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    // A window longer than the test, and per-socket buckets out of the way: only the per-user budget counts.
    cluster = await Cluster.start(mode, {
      gateways: mode === 'split' ? 2 : 1,
      env: { SMTP_URL: smtp.url, USER_SEND_LIMIT: String(LIMIT), USER_SEND_WINDOW_SECONDS: '300', WS_SEND_BURST: '500', WS_SEND_PER_SECOND: '500' },
    });
    const tag = randomBytes(3).toString('hex');
    [ada, bob] = await Promise.all(['ada', 'bob'].map((name) => signIn(cluster, `${name}.${tag}@example.com`, smtp)));
    chatId = (await (await post(ada, '/chats/direct', { userId: bob.user.id })).json()).id;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.stop();
    await smtp?.stop();
  });

  it('takes USER_SEND_LIMIT sends from 10 sockets (on every gateway) and REST together, refuses the rest with COMMON.RATE_LIMITED, and leaves others alone', async () => {
    const gateways = cluster.gatewayUrls();
    for (let i = 0; i < 10; i++) sockets.push(await connectSocket(gateways[i % gateways.length], { token: ada.accessToken }));

    const viaSockets = sockets.flatMap((socket) =>
      Array.from({ length: 10 }, async () => {
        const ack = await request<{ id: string }>(socket, 'message:send', { clientMessageId: randomUUID(), chatId, text: 'socket' });
        return ack.ok ? 'accepted' : ack.error.code;
      }),
    );
    const viaRest = Array.from({ length: 20 }, async () => {
      const response = await post(ada, `/chats/${chatId}/messages`, { clientMessageId: randomUUID(), text: 'rest' });
      const body = await response.json();
      return response.ok ? 'accepted' : `${response.status} ${body.code}`;
    });
    const outcomes = await Promise.all([...viaSockets, ...viaRest]);

    // Every send is either taken or refused as rate-limited (429 over HTTP), and exactly LIMIT are taken.
    const count = (list: string[], outcome: string) => list.filter((o) => o === outcome).length;
    const socketOutcomes = outcomes.slice(0, 100);
    const restOutcomes = outcomes.slice(100);
    expect(count(socketOutcomes, 'accepted') + count(socketOutcomes, 'COMMON.RATE_LIMITED')).toBe(100);
    expect(count(restOutcomes, 'accepted') + count(restOutcomes, '429 COMMON.RATE_LIMITED')).toBe(20);
    expect(count(outcomes, 'accepted')).toBe(LIMIT);

    // Exactly the accepted sends were stored.
    const history = await (await fetch(`${cluster.url}/api/v1/chats/${chatId}/messages?limit=100`, { headers: { authorization: `Bearer ${bob.accessToken}` } })).json();
    expect(history.items).toHaveLength(LIMIT);

    // Bob has a budget of his own, and tells Ada so.
    const reply = await post(bob, `/chats/${chatId}/messages`, { clientMessageId: randomUUID(), text: 'slow down' });
    expect(reply.ok).toBe(true);
    const refused = await post(ada, `/chats/${chatId}/messages`, { clientMessageId: randomUUID(), text: 'one more' });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'COMMON.RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } });
  });
});
