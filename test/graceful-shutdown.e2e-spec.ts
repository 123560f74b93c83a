import { request as httpRequest } from 'node:http';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { seedUsers } from './harness/seed';
import { mintAccessToken } from './harness/tokens';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SIGTERM while a request is in flight: the process stops taking new connections, finishes the request
 * (in split mode that includes its round trip over RabbitMQ to the users service), then exits 0.
 * The request is kept in flight by sending its body slowly, which needs no test hook in the server.
 */
describe.each(DEPLOYMENT_MODES)('graceful shutdown (%s)', (mode) => {
  let cluster: Cluster;
  let token: string;

  beforeAll(async () => {
    cluster = await Cluster.start(mode, mode === 'split' ? { split: [['users']] } : {});
    const [ada] = seedUsers(cluster.dataDir, [{ email: 'ada@example.com', displayName: 'Ada' }]);
    token = mintAccessToken(cluster.jwtSecret, ada.id);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('finishes an in-flight request after SIGTERM, refuses new ones, and exits 0', async () => {
    const gateway = cluster.process(mode === 'single' ? 'all' : 'gateway');
    const body = JSON.stringify({ displayName: 'Ada, drained' });
    const url = new URL(`${cluster.url}/api/v1/users/me`);

    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'PATCH',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 5));
      setTimeout(() => {
        gateway.signal('SIGTERM');
        // Stop taking work: new connections are refused while the old request is still open.
        void waitForRefusal(cluster.url).then(
          () => req.end(body.slice(5)),
          (error) => {
            req.destroy();
            reject(error);
          },
        );
      }, 300);
    });

    const answered = await response;
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body)).toMatchObject({ displayName: 'Ada, drained' });
    expect(await gateway.exitCode()).toBe(0);
  });
});

async function waitForRefusal(baseUrl: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(`${baseUrl}/health/live`, { signal: AbortSignal.timeout(1000) });
    } catch {
      return;
    }
    await sleep(100);
  }
  throw new Error('the server still accepted new connections after SIGTERM');
}
