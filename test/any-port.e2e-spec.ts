import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { launchChromium, signInThroughUi } from './harness/browser';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { seedUsers } from './harness/seed';
import { randomClientIp } from './harness/sign-in';
import { connectSocket } from './harness/socket-client';
import { mintAccessToken } from './harness/tokens';

jest.setTimeout(120_000);

/** The process that serves HTTP and sockets: the gateway. */
const gatewayOf = (cluster: Cluster) => cluster.process(cluster.mode === 'single' ? 'all' : 'gateway');

/**
 * The server on a random port with no CORS_ORIGINS at all: the page's own origin must still open the socket
 * (it used to be refused unless listed), and a foreign one must still be refused, and said so in the log.
 */
describe.each(DEPLOYMENT_MODES)('Socket Origin on any port, no CORS_ORIGINS (%s)', (mode) => {
  let cluster: Cluster;
  let token: string;

  beforeAll(async () => {
    cluster = await Cluster.start(mode, { env: { CORS_ORIGINS: '' } });
    const [alice] = seedUsers(cluster.dataDir, [{ email: `alice-${randomBytes(3).toString('hex')}@example.com`, displayName: 'Alice' }]);
    token = mintAccessToken(cluster.jwtSecret, alice.id);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('accepts the server\'s own origin, by address or by name, with a token or the cookie', async () => {
    const port = new URL(cluster.url).port;
    expect(port).not.toBe('3000');
    for (const url of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      // Origin = the URL the socket connects to, as from a page that server served.
      const withToken = await connectSocket(url, { token, origin: url });
      const withCookie = await connectSocket(url, { cookie: `access=${token}`, origin: url });
      expect([withToken.connected, withCookie.connected]).toEqual([true, true]);
      withToken.close();
      withCookie.close();
    }
  });

  it('refuses a foreign origin, another port of the same host included, and warns once per origin', async () => {
    const port = Number(new URL(cluster.url).port);
    const foreign = ['https://evil.example', `http://127.0.0.1:${port + 1}`, `http://localhost:${port}`];
    for (const origin of foreign) {
      // localhost is a foreign origin to a page on 127.0.0.1: another name, another origin.
      await expect(connectSocket(cluster.url, { token, origin })).rejects.toMatchObject({ data: { code: 'AUTH.FORBIDDEN', message: 'Origin not allowed' } });
    }
    await expect(connectSocket(cluster.url, { cookie: `access=${token}`, origin: 'https://evil.example' })).rejects.toMatchObject({ data: { code: 'AUTH.FORBIDDEN' } });

    const gateway = gatewayOf(cluster);
    const warning = await gateway.waitForLog(/Refused a socket handshake.*evil\.example/);
    expect(JSON.parse(warning)).toMatchObject({ level: 40, origin: 'https://evil.example', host: new URL(cluster.url).host });
    expect(warning).toContain('neither this server');
    expect(warning).toContain('CORS_ORIGINS');
    // A marker origin refused after the repeats: once its line is in, every line about evil.example is too.
    const marker = `https://marker-${randomBytes(3).toString('hex')}.example`;
    await expect(connectSocket(cluster.url, { token, origin: marker })).rejects.toMatchObject({ data: { code: 'AUTH.FORBIDDEN' } });
    await gateway.waitForLog(new RegExp(`Refused a socket handshake.*${marker.replace(/\./g, '\\.')}`));
    expect(gateway.logLines(/Refused a socket handshake.*evil\.example/)).toHaveLength(1);
    expect(gateway.logLines(new RegExp(`Refused a socket handshake.*127\\.0\\.0\\.1:${port + 1}`))).toHaveLength(1);
  });
});

/**
 * The page served on a port other than 3000, with no CORS_ORIGINS, opens its socket (it showed "Reconnecting…"
 * forever), under its own Content-Security-Policy.
 */
describe('Web app on any port (browser)', () => {
  let cluster: Cluster;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    cluster = await Cluster.start('single', { env: { SERVE_WEB: 'true', CORS_ORIGINS: '' } });
  });
  afterAll(async () => {
    await browser?.close();
    await cluster?.stop();
  });

  it('signs in and the socket handshake is accepted', async () => {
    expect(new URL(cluster.url).port).not.toBe('3000');
    const context = await browser.newContext({ baseURL: cluster.url, extraHTTPHeaders: { 'x-forwarded-for': randomClientIp() } });
    try {
      const page = await context.newPage();
      const hosts: string[] = [];
      // The page's CSP (its inline scripts by hash, sockets to its own origin) must not stop anything it does.
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      // Socket.IO's answer to CONNECT: `40{"sid":…}` when accepted, `44{…}` (connect_error) when refused.
      const firstAnswer = new Promise<string>((resolve) => {
        page.on('websocket', (ws) => {
          hosts.push(new URL(ws.url()).host);
          ws.on('framereceived', (frame) => {
            const payload = String(frame.payload);
            if (payload.startsWith('40') || payload.startsWith('44')) resolve(payload);
          });
        });
      });
      await signInThroughUi(page, cluster.url, `anyport-${randomBytes(3).toString('hex')}@example.com`);
      expect(await firstAnswer).toMatch(/^40\{"sid":/);
      expect(hosts).toContain(new URL(cluster.url).host);
      await page.getByTestId('connection-banner').waitFor({ state: 'detached' });
      expect(violations).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
