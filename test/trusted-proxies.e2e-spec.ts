import { randomBytes } from 'node:crypto';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { randomClientIp, signIn } from './harness/sign-in';
import { SmtpCapture } from './harness/smtp';

const LIMIT = 4;
const uniqueEmail = (name: string) => `${name}.${randomBytes(4).toString('hex')}@example.com`;

/** Asks for codes for fresh emails, each request naming a fresh X-Forwarded-For, until refused or `count` done. */
async function codeRequestStatuses(cluster: Cluster, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${cluster.url}/api/v1/auth/otp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': randomClientIp() },
      body: JSON.stringify({ email: uniqueEmail('xff') }),
    });
    statuses.push(response.status);
  }
  return statuses;
}

async function sessionIps(cluster: Cluster, accessToken: string): Promise<string[]> {
  const response = await fetch(`${cluster.url}/api/v1/auth/sessions`, { headers: { authorization: `Bearer ${accessToken}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { ip: string | null }[]).map((session) => session.ip ?? '');
}

describe.each(DEPLOYMENT_MODES)('X-Forwarded-For without a trusted proxy (the default) (%s)', (mode) => {
  let cluster: Cluster;
  let smtp: SmtpCapture;

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    cluster = await Cluster.start(mode, { env: { SMTP_URL: smtp.url, TRUSTED_PROXIES: '', AUTH_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  });

  afterAll(async () => {
    await cluster?.stop();
    await smtp?.stop();
  });

  it('records the real peer address, not the claimed one, and a fresh header is no fresh per-IP budget', async () => {
    const spoofed = '203.0.113.77';
    const session = await signIn(cluster, uniqueEmail('real'), smtp, { ip: spoofed });
    const ips = await sessionIps(cluster, session.accessToken);
    expect(ips).toHaveLength(1);
    expect(ips[0]).toMatch(/^(::ffff:)?127\.0\.0\.1$/);

    // The sign-in above used one code request of this address's budget.
    const statuses = await codeRequestStatuses(cluster, LIMIT + 1);
    expect(statuses.slice(0, LIMIT - 1)).toEqual(Array(LIMIT - 1).fill(202));
    expect(statuses.slice(LIMIT - 1)).toEqual([429, 429]);
  });
});

describe('X-Forwarded-For from a trusted proxy (TRUSTED_PROXIES=127.0.0.1)', () => {
  let cluster: Cluster;
  let smtp: SmtpCapture;

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    cluster = await Cluster.start('single', { env: { SMTP_URL: smtp.url, TRUSTED_PROXIES: '127.0.0.1', AUTH_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  });

  afterAll(async () => {
    await cluster?.stop();
    await smtp?.stop();
  });

  it('takes the client address from the proxy: in the session list and for per-IP limits', async () => {
    const client = '203.0.113.78';
    const session = await signIn(cluster, uniqueEmail('proxied'), smtp, { ip: client });
    expect(await sessionIps(cluster, session.accessToken)).toEqual([client]);
    // Each request names another client: each has a budget of its own.
    expect(await codeRequestStatuses(cluster, LIMIT + 1)).toEqual(Array(LIMIT + 1).fill(202));
  });
});
