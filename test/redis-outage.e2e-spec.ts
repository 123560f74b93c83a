import { Cluster } from './harness/cluster';
import { seedUsers } from './harness/seed';
import { REDIS_URL } from './harness/services';
import { randomClientIp } from './harness/sign-in';
import { connectSocket, request, sleep } from './harness/socket-client';
import { TcpProxy } from './harness/tcp-proxy';
import { mintAccessToken } from './harness/tokens';

/** Longer than any request may take during the outage; a request still open then counts as hung. */
const CLIENT_ABORT_MS = 5000;

interface Answer {
  status: number | 'aborted';
  code?: string;
}

/**
 * Split mode only: one process keeps OTPs, limits and presence in memory. Every process reaches Redis through a
 * relay this suite freezes (a stalled Redis: connections open, nothing answers) and cuts (Redis stopped).
 * Whatever needs Redis must answer 503 COMMON.DEPENDENCY_UNAVAILABLE, not 500 and not an authentication error,
 * and everything works again by itself once Redis is back.
 */
describe('Redis stalled and stopped (split)', () => {
  let redisProxy: TcpProxy;
  let cluster: Cluster;
  let token: string;
  let adaId: string;

  beforeAll(async () => {
    redisProxy = await TcpProxy.start(REDIS_URL);
    cluster = await Cluster.start('split', { split: [['auth'], ['users']], env: { REDIS_URL: redisProxy.urlFor(REDIS_URL) } });
    const [ada] = seedUsers(cluster.dataDir, [{ email: 'ada@example.com', displayName: 'Ada Lovelace' }]);
    adaId = ada.id;
    token = mintAccessToken(cluster.jwtSecret, ada.id);
  });

  afterAll(async () => {
    redisProxy?.thaw();
    await redisProxy?.restore();
    await cluster?.stop();
    await redisProxy?.stop();
  });

  const call = async (method: 'GET' | 'POST', path: string, body?: unknown, authenticated = true): Promise<Answer> => {
    const send = () =>
      fetch(`${cluster.url}/api/v1${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': randomClientIp(),
          ...(authenticated ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(CLIENT_ABORT_MS),
      });
    try {
      // A kept-alive socket the server closed after its idle timeout is the HTTP client's race, not the outage.
      const response = await send().catch((error: Error) => (error.name === 'TimeoutError' ? Promise.reject(error) : send()));
      const answer = (await response.json().catch(() => ({}))) as { code?: string };
      return { status: response.status, code: answer.code };
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') return { status: 'aborted' };
      throw error;
    }
  };

  /** The socket handshake's outcome: connected, or the server's connect_error code. */
  const handshake = async (): Promise<string> => {
    try {
      const socket = await connectSocket(cluster.url, { token });
      socket.close();
      return 'connected';
    } catch (error) {
      return (error as { data?: { code?: string } }).data?.code ?? `no code: ${(error as Error).message}`;
    }
  };

  const unavailable = { status: 503, code: 'COMMON.DEPENDENCY_UNAVAILABLE' };

  /** What needs Redis, tried while it is away: each answers 503 with the dependency code before the client gives up. */
  const expectUnavailable = async () => {
    expect(await call('GET', '/chats')).toEqual(unavailable);
    expect(await call('GET', '/users/me')).toEqual(unavailable);
    expect(await call('POST', '/auth/otp', { email: `otp.${Date.now()}@example.com` }, false)).toEqual(unavailable);
    expect(await handshake()).toBe('COMMON.DEPENDENCY_UNAVAILABLE');
  };

  /** Back to normal without restarting anything: polls until the first success, then checks everything. */
  const expectRecovered = async (pids: (number | undefined)[]) => {
    const deadline = Date.now() + 20_000;
    while ((await call('GET', '/chats')).status !== 200 && Date.now() < deadline) await sleep(200);
    expect(await call('GET', '/chats')).toMatchObject({ status: 200 });
    expect(await call('GET', '/users/me')).toMatchObject({ status: 200 });
    expect(await call('POST', '/auth/otp', { email: `otp.${Date.now()}@example.com` }, false)).toMatchObject({ status: 202 });
    expect(await handshake()).toBe('connected');
    expect([...cluster.processes.values()].map((p) => p.pid)).toEqual(pids);
  };

  it('works before the outage', async () => {
    expect(await call('GET', '/chats')).toMatchObject({ status: 200 });
    expect(await handshake()).toBe('connected');
  });

  it('answers 503 COMMON.DEPENDENCY_UNAVAILABLE while Redis is stalled, and recovers when it answers again', async () => {
    const pids = [...cluster.processes.values()].map((p) => p.pid);
    const socket = await connectSocket(cluster.url, { token });
    redisProxy.freeze();
    try {
      await expectUnavailable();
      // A socket connected before: its events that need Redis get the same code in their ack.
      expect(await request(socket, 'presence:query', { userIds: [adaId] }, CLIENT_ABORT_MS)).toEqual({ ok: false, error: { code: 'COMMON.DEPENDENCY_UNAVAILABLE', message: expect.any(String) } });
    } finally {
      socket.close();
      redisProxy.thaw();
    }
    await expectRecovered(pids);
  });

  it('answers 503 COMMON.DEPENDENCY_UNAVAILABLE while Redis is stopped, and recovers when it is back', async () => {
    const pids = [...cluster.processes.values()].map((p) => p.pid);
    await redisProxy.cut();
    try {
      await expectUnavailable();
      // Several times over: a client reconnecting in the background must not turn later calls into hangs or 500s.
      await sleep(1500);
      await expectUnavailable();
    } finally {
      await redisProxy.restore();
    }
    await expectRecovered(pids);
  });
});
