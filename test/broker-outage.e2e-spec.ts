import { execFileSync } from 'node:child_process';
import { Cluster } from './harness/cluster';
import { seedUsers } from './harness/seed';
import { RABBITMQ_URL, REDIS_URL } from './harness/services';
import { TcpProxy } from './harness/tcp-proxy';
import { mintAccessToken } from './harness/tokens';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Has the broker itself close the given connections (by the client port it sees), leaving everyone else's alone. */
function closeConnectionsAtBroker(peerPorts: number[]): number {
  const listing = execFileSync('rabbitmqctl', ['list_connections', '-q', 'pid', 'peer_port'], { encoding: 'utf8' });
  const pids = listing
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, port]) => pid?.startsWith('<') && peerPorts.includes(Number(port)))
    .map(([pid]) => pid);
  for (const pid of pids) execFileSync('rabbitmqctl', ['close_connection', pid, 'broker-outage test'], { encoding: 'utf8' });
  return pids.length;
}

/** Polls readiness until it answers 200 or the deadline passes; returns the last answer (its body names what is down). */
async function readinessWithin(url: string, ms: number): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + ms;
  for (;;) {
    const response = await fetch(`${url}/health/ready`);
    const answer = { status: response.status, body: await response.text() };
    if (answer.status === 200 || Date.now() > deadline) return answer;
    await sleep(200);
  }
}

interface Sample {
  startedAt: number;
  tookMs: number;
  status: number;
  code?: string;
}

/**
 * Split mode only: one process has no broker to lose. The gateway and the users service each reach RabbitMQ
 * through a relay that this suite cuts, so the broker disappears for them alone (it is shared with other
 * suites, which a `rabbitmqctl stop_app` would fail).
 */
describe('broker outage while requests flow (split)', () => {
  let proxy: TcpProxy;
  let redisProxy: TcpProxy;
  let cluster: Cluster;
  let token: string;

  beforeAll(async () => {
    proxy = await TcpProxy.start(RABBITMQ_URL);
    redisProxy = await TcpProxy.start(REDIS_URL);
    cluster = await Cluster.start('split', {
      split: [['users']],
      env: { RABBITMQ_URL: proxy.urlFor(RABBITMQ_URL), REDIS_URL: redisProxy.urlFor(REDIS_URL), RPC_TIMEOUT_MS: '2000' },
    });
    const [ada] = seedUsers(cluster.dataDir, [{ email: 'ada@example.com', displayName: 'Ada Lovelace' }]);
    token = mintAccessToken(cluster.jwtSecret, ada.id);
  });

  afterAll(async () => {
    await proxy?.restore();
    await cluster?.stop();
    await proxy?.stop();
    await redisProxy?.stop();
  });

  const me = async (): Promise<Sample> => {
    const startedAt = Date.now();
    const get = () => fetch(`${cluster.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
    // A kept-alive socket the server closed after its idle timeout is the HTTP client's race, not the outage.
    const response = await get().catch(get);
    const body = (await response.json().catch(() => ({}))) as { code?: string };
    return { startedAt, tookMs: Date.now() - startedAt, status: response.status, code: body.code };
  };

  it('answers 503 TRANSPORT.* during the outage and 200 after it, without restarting anything', async () => {
    const pids = [...cluster.processes.values()].map((p) => p.pid);
    expect(pids.every(Boolean)).toBe(true);

    const samples: Sample[] = [];
    let flowing = true;
    const flow = (async () => {
      while (flowing) {
        samples.push(await me().catch(() => ({ startedAt: Date.now(), tookMs: 0, status: 0, code: 'FETCH_FAILED' })));
        await sleep(50);
      }
    })();
    let cutAt = 0;
    let restoredAt = 0;
    try {
      await sleep(1000);
      cutAt = Date.now();
      await proxy.cut();
      await sleep(4000);
      const ready = await fetch(`${cluster.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ statusCode: 503, code: 'HEALTH.NOT_READY', message: expect.stringContaining('broker') });
      // The users service (no HTTP traffic of its own) knows too: its consumer and client are cut off.
      const usersReady = await fetch(`${cluster.process('users').url}/health/ready`);
      expect(usersReady.status).toBe(503);
      expect(JSON.stringify(await usersReady.json())).toContain('broker-users');
      restoredAt = Date.now();
      await proxy.restore();

      // Reconnection on their own: wait for the first success after the broker came back.
      const deadline = Date.now() + 30_000;
      while (!samples.some((s) => s.startedAt > restoredAt && s.status === 200) && Date.now() < deadline) await sleep(100);
      await sleep(1000);
    } finally {
      flowing = false;
      await flow;
    }

    // Requests answered before the cut; one still in flight when it comes may fail like those during the outage.
    const before = samples.filter((s) => s.startedAt + s.tookMs < cutAt);
    const during = samples.filter((s) => s.startedAt > cutAt + 500 && s.startedAt + s.tookMs < restoredAt);
    const afterRecovery = samples.slice(samples.findIndex((s) => s.startedAt > restoredAt && s.status === 200));
    const summary = JSON.stringify(samples.map((s) => [s.startedAt - cutAt, s.status, s.code, s.tookMs]));

    expect(before.length).toBeGreaterThan(3);
    expect({ notOk: before.filter((s) => s.status !== 200), summary }).toEqual({ notOk: [], summary });
    // Failing cleanly: a 503 with a transport code, promptly, for every request while the broker is gone.
    expect(during.length).toBeGreaterThan(10);
    for (const sample of during) {
      expect({ status: sample.status, code: sample.code, summary }).toEqual({ status: 503, code: expect.stringMatching(/^TRANSPORT\./), summary });
      expect(sample.tookMs).toBeLessThan(2500);
    }
    // Nothing but 200 and 503 at any time: no 500s and no hangs around the edges of the outage.
    expect(samples.every((s) => s.status === 200 || s.status === 503)).toBe(true);
    expect(afterRecovery.length).toBeGreaterThan(3);
    expect(afterRecovery.every((s) => s.status === 200)).toBe(true);

    expect((await fetch(`${cluster.url}/health/ready`)).status).toBe(200);
    expect([...cluster.processes.values()].map((p) => p.pid)).toEqual(pids);
  });

  it('comes back by itself when the broker closes its connections', async () => {
    const pids = [...cluster.processes.values()].map((p) => p.pid);
    expect((await me()).status).toBe(200);
    const closed = closeConnectionsAtBroker(proxy.upstreamPorts());
    // gateway and users: one client and one role server each, at least
    expect(closed).toBeGreaterThanOrEqual(4);
    const samples: Sample[] = [];
    const deadline = Date.now() + 30_000;
    do {
      samples.push(await me());
      await sleep(100);
    } while (samples[samples.length - 1].status !== 200 && Date.now() < deadline);
    for (const sample of samples.slice(0, -1)) expect({ status: sample.status, code: sample.code }).toEqual({ status: 503, code: expect.stringMatching(/^TRANSPORT\./) });
    expect(samples[samples.length - 1].status).toBe(200);
    // rabbitmqctl closes one connection per call, a second or more apart under load: the request path may be back
    // (the gateway's client and the users consumer) while a connection closed later is still reconnecting.
    expect(await readinessWithin(cluster.url, 30_000)).toMatchObject({ status: 200 });
    expect([...cluster.processes.values()].map((p) => p.pid)).toEqual(pids);
  });

  it('reports Redis in readiness while it is away, promptly, and recovers with it', async () => {
    expect((await fetch(`${cluster.url}/health/ready`)).status).toBe(200);
    await redisProxy.cut();
    try {
      const askedAt = Date.now();
      const ready = await fetch(`${cluster.url}/health/ready`);
      expect(Date.now() - askedAt).toBeLessThan(3000);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ code: 'HEALTH.NOT_READY', message: expect.stringContaining('redis') });
    } finally {
      await redisProxy.restore();
    }
    expect(await readinessWithin(cluster.url, 20_000)).toMatchObject({ status: 200 });
  });
});
