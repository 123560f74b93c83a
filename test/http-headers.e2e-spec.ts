import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { randomClientIp, signIn } from './harness/sign-in';
import { codeOf, SmtpCapture } from './harness/smtp';

jest.setTimeout(120_000);

const directive = (policy: string | null, name: string): string[] =>
  (policy ?? '').split(';').map((d) => d.trim().split(/\s+/)).find(([n]) => n === name)?.slice(1) ?? [];

/** Authenticated answers carry user data or tokens: no browser or proxy cache may keep them. */
describe.each(DEPLOYMENT_MODES)('Cache-Control on API answers (%s)', (mode) => {
  let cluster: Cluster;
  let smtp: SmtpCapture;

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    cluster = await Cluster.start(mode, { env: { SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await cluster?.stop();
    await smtp?.stop();
  });

  it('answers no-store on authenticated reads, token answers and errors', async () => {
    const person = await signIn(cluster, `cache-${randomBytes(3).toString('hex')}@example.com`, smtp);
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${cluster.url}/api/v1${path}`, { ...init, headers: { 'content-type': 'application/json', 'x-forwarded-for': randomClientIp(), ...init.headers } });
    const bearer = { authorization: `Bearer ${person.accessToken}` };
    const answers = {
      'GET /users/me': await api('/users/me', { headers: bearer }),
      'GET /users/me (cookie)': await api('/users/me', { headers: { cookie: person.cookies } }),
      'GET /auth/sessions': await api('/auth/sessions', { headers: bearer }),
      'GET /chats': await api('/chats', { headers: bearer }),
      'POST /auth/refresh': await api('/auth/refresh', { method: 'POST', body: JSON.stringify({ refreshToken: person.refreshToken }) }),
      'GET /users/me (no token)': await api('/users/me'),
      'GET /nope': await api('/nope', { headers: bearer }),
    };
    const seen = Object.fromEntries(Object.entries(answers).map(([name, response]) => [name, [response.status, response.headers.get('cache-control')]]));
    expect(seen).toEqual({
      'GET /users/me': [200, 'no-store'],
      'GET /users/me (cookie)': [200, 'no-store'],
      'GET /auth/sessions': [200, 'no-store'],
      'GET /chats': [200, 'no-store'],
      'POST /auth/refresh': [200, 'no-store'],
      'GET /users/me (no token)': [401, 'no-store'],
      'GET /nope': [404, 'no-store'],
    });
    expect(await answers['POST /auth/refresh'].json()).toHaveProperty('accessToken');
  });

  it('answers no-store on the sign-in itself (it carries the tokens)', async () => {
    const email = `verify-${randomBytes(3).toString('hex')}@example.com`;
    const ip = randomClientIp();
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': ip };
    const seen = smtp.mailsTo(email).length;
    const requested = await fetch(`${cluster.url}/api/v1/auth/otp`, { method: 'POST', headers, body: JSON.stringify({ email }) });
    expect([requested.status, requested.headers.get('cache-control')]).toEqual([202, 'no-store']);
    const code = codeOf(await smtp.nextMailTo(email, seen));
    const verified = await fetch(`${cluster.url}/api/v1/auth/verify`, { method: 'POST', headers, body: JSON.stringify({ email, code }) });
    expect([verified.status, verified.headers.get('cache-control')]).toEqual([200, 'no-store']);
  });

  it('keeps an idle connection open longer than clients and proxies keep theirs (no reset on reuse)', async () => {
    // Node closes idle connections after 5 s by default; a client reusing one just then got ECONNRESET.
    const keepAlive = await new Promise<unknown>((resolve, reject) => {
      http.get(`${cluster.url}/health/live`, { agent: new http.Agent({ keepAlive: true }) }, (response) => {
        response.resume();
        resolve(response.headers['keep-alive']);
      }).on('error', reject);
    });
    expect(keepAlive).toBe('timeout=65');
  });
});

/** The web app's pages run only their own inline scripts (by hash) and open sockets to their own origin only. */
describe('Content-Security-Policy of the served web app', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await Cluster.start('single', { env: { SERVE_WEB: 'true' } });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('lists the hash of every inline script of each page, and no unsafe-inline', async () => {
    const host = new URL(cluster.url).host;
    for (const path of ['/', '/sign-in', '/chats', '/settings', '/some/client/route', '/404']) {
      const response = await fetch(`${cluster.url}${path}`, { headers: { accept: 'text/html' } });
      const html = await response.text();
      const policy = response.headers.get('content-security-policy');
      const scriptSrc = directive(policy, 'script-src');
      const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
      expect({ path, inline: inline.length > 0 }).toEqual({ path, inline: true });
      const missing = inline.map((text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`).filter((hash) => !scriptSrc.includes(hash));
      expect({ path, missing }).toEqual({ path, missing: [] });
      expect({ path, scriptSrc: scriptSrc.filter((source) => !source.startsWith("'sha256-")) }).toEqual({ path, scriptSrc: ["'self'"] });
      expect({ path, connectSrc: directive(policy, 'connect-src') }).toEqual({ path, connectSrc: ["'self'", `ws://${host}`, `wss://${host}`] });
      expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    }
  });

  it('gives everything else no inline script and connections to this origin only', async () => {
    for (const path of ['/api/v1/users/me', '/docs', '/health/live']) {
      const policy = (await fetch(`${cluster.url}${path}`)).headers.get('content-security-policy');
      expect({ path, scriptSrc: directive(policy, 'script-src'), connectSrc: directive(policy, 'connect-src') }).toEqual({ path, scriptSrc: ["'self'"], connectSrc: ["'self'"] });
    }
  });
});
