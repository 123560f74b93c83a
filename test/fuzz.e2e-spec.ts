import { randomInt, randomUUID } from 'node:crypto';
import { Cluster } from './harness/cluster';
import { deeplyNestedJson, describeRequest, FuzzRequest, operationsOf, RequestFuzzer, seededRandom } from './harness/fuzz';
import { signIn, SignedIn } from './harness/sign-in';
import { SmtpCapture } from './harness/smtp';
import { connectSocket, request } from './harness/socket-client';
import { mintAccessToken } from './harness/tokens';

/** FUZZ_SEED=<n> replays a run; FUZZ_PER_OPERATION changes its size. */
const SEED = Number(process.env.FUZZ_SEED ?? randomInt(2 ** 31));
const PER_OPERATION = Number(process.env.FUZZ_PER_OPERATION ?? 200);
const CONCURRENCY = 8;
/** Alone the fuzzing takes under a minute; a suite running beside it on two cores can more than double that. */
const FUZZ_TIMEOUT_MS = 300_000;

describe('Fuzzing every operation of the OpenAPI document (single)', () => {
  let cluster: Cluster;
  let smtp: SmtpCapture;
  let ada: SignedIn;
  let bob: SignedIn;
  let ids: string[];

  /** As Ada, with a session of its own: the fuzzing may well sign her sessions out. */
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${cluster.url}/api/v1${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mintAccessToken(cluster.jwtSecret, ada.user.id, randomUUID())}`, ...init.headers },
    });

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    // Limits out of the way, so the requests reach the code behind them.
    cluster = await Cluster.start('single', { env: { SMTP_URL: smtp.url, AUTH_RATE_LIMIT_PER_MINUTE: '100000', USER_SEND_LIMIT: '100000', WS_SEND_BURST: '100000' } });
    ada = await signIn(cluster, `ada.${randomUUID()}@example.com`, smtp);
    bob = await signIn(cluster, `bob.${randomUUID()}@example.com`, smtp);
    const chat = await (await api('/chats/direct', { method: 'POST', body: JSON.stringify({ userId: bob.user.id }) })).json();
    const message = await (await api(`/chats/${chat.id}/messages`, { method: 'POST', body: JSON.stringify({ clientMessageId: randomUUID(), text: 'hi' }) })).json();
    expect(message.id).toEqual(expect.any(String));
    ids = [ada.user.id, bob.user.id, chat.id, message.id, ada.sessionId, '1', String(message.seq)];
  });

  afterAll(async () => {
    await cluster?.stop();
    await smtp?.stop();
  });

  it('refuses deep nesting and lone surrogates with the validation error, signed in or not', async () => {
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${cluster.url}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const cases: [string, Promise<Response>][] = [
      ['deep array, no session', post('/auth/otp', deeplyNestedJson(3000))],
      ['deep object, no session', post('/auth/verify', deeplyNestedJson(3000, 'object'))],
      ['deep field, signed in', post('/chats/groups', `{"title":"x","memberIds":${deeplyNestedJson(3000)}}`, { authorization: `Bearer ${mintAccessToken(cluster.jwtSecret, ada.user.id, randomUUID())}` })],
      ['lone surrogate in an email', post('/auth/otp', '{"email":"ada\\ud800@example.com"}')],
      ['lone surrogate in a key', post('/auth/otp', '{"\\udc00":1,"email":"ada@example.com"}')],
    ];
    for (const [what, answer] of cases) {
      const response = await answer;
      expect({ what, status: response.status, body: await response.json() }).toMatchObject({ what, status: 400, body: { statusCode: 400, code: 'VALIDATION.FAILED', message: expect.any(String) } });
    }
  });

  it(`answers a few thousand malformed requests without a single 5xx (seed ${SEED})`, async () => {
    // eslint-disable-next-line no-console
    console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    const document = await (await fetch(`${cluster.url}/docs-json`)).json();
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(30);

    // Each request gets a session of its own, so a logout among them does not end the others.
    const fuzzer = new RequestFuzzer(seededRandom(SEED), { ids, token: () => mintAccessToken(cluster.jwtSecret, ada.user.id, randomUUID()) });
    const requests: FuzzRequest[] = operations.flatMap((operation) => Array.from({ length: PER_OPERATION }, () => fuzzer.next(operation)));
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const fuzzed = requests[next++];
        let status = 0;
        let answer = '';
        // A connection the server closed after refusing a body it would not read (413, 431) may still be picked
        // from the client's pool for the next request: that one is sent once more. Twice is a real failure.
        for (let attempt = 0; attempt < 2 && !status; attempt++) {
          try {
            const response = await fetch(`${cluster.url}${fuzzed.path}`, { method: fuzzed.method, headers: fuzzed.headers, body: fuzzed.body as BodyInit | undefined });
            status = response.status;
            answer = await response.text();
          } catch (error) {
            answer = `${error} ${(error as { cause?: unknown }).cause ?? ''}`;
          }
        }
        status ||= 599; // no HTTP answer at all
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500) failures.push(`${status} ${answer.slice(0, 200)}\n    ← ${describeRequest(fuzzed)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // eslint-disable-next-line no-console
    console.log(`fuzz: ${requests.length} requests over ${operations.length} operations; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect({ seed: SEED, failures: failures.slice(0, 25), count: failures.length }).toEqual({ seed: SEED, failures: [], count: 0 });
    // The server is still whole.
    expect((await api('/users/me')).status).toBe(200);
  }, FUZZ_TIMEOUT_MS);

  it('answers deep nesting and lone surrogates on every socket event with a validation error ack', async () => {
    // A chat of its own: the fuzzing may have left or hidden the shared one.
    const carol = await signIn(cluster, `carol.${randomUUID()}@example.com`, smtp);
    const { id: chatId } = await (await api('/chats/direct', { method: 'POST', body: JSON.stringify({ userId: carol.user.id }) })).json();
    const socket = await connectSocket(cluster.url, { token: mintAccessToken(cluster.jwtSecret, ada.user.id, randomUUID()) });
    try {
      const deep = () => JSON.parse(deeplyNestedJson(3000));
      const payloads: [string, unknown][] = [
        ['message:send', deep()],
        ['message:send', { clientMessageId: randomUUID(), chatId, text: deep() }],
        ['message:send', { clientMessageId: randomUUID(), chatId: '\ud800', text: 'hi' }],
        ['message:send', { clientMessageId: randomUUID(), chatId, text: 'a\udfffb' }],
        ['message:delivered', { chatId, seq: deep() }],
        ['message:read', { chatId: 'x\ud83d', seq: 1 }],
        ['typing:start', deep()],
        ['typing:stop', { chatId: '\udbff' }],
        ['sync', { chats: [{ chatId, lastSeq: 0, changeCursor: deep() }] }],
        ['sync', { chats: [{ chatId: '\ud800', lastSeq: 0 }] }],
        ['presence:query', { userIds: deep() }],
        ['presence:query', { userIds: ['\udc00'] }],
        ['message:react', { messageId: 'm1', emoji: deep(), on: true }],
        ['message:react', { messageId: 'm1', emoji: '\ud83d', on: true }],
      ];
      for (const [event, payload] of payloads) {
        const ack = await request(socket, event as never, payload);
        expect({ event, ack }).toMatchObject({ event, ack: { ok: false, error: { code: 'VALIDATION.FAILED' } } });
      }
      // Still connected and answering.
      const sent = await request(socket, 'message:send', { clientMessageId: randomUUID(), chatId, text: 'still here' });
      expect(sent).toMatchObject({ ok: true, data: { text: 'still here' } });
    } finally {
      socket.close();
    }
  });
});
