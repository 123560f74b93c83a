import { createHmac, randomBytes } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { cookieHeaderFrom, randomClientIp, signIn } from './harness/sign-in';
import { codeOf, SmtpCapture } from './harness/smtp';

const RATE_LIMIT = 10;
const COOLDOWN_S = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const uniqueEmail = (name: string) => `${name}.${randomBytes(4).toString('hex')}@example.com`;

describe.each(DEPLOYMENT_MODES)('Sign-in with emailed codes (%s)', (mode) => {
  let cluster: Cluster;
  let smtp: SmtpCapture;
  let gateways: string[];

  /** A request to the API; each test client gets its own address (X-Forwarded-For, trusted from loopback). */
  const api = (path: string, init: RequestInit & { ip?: string; base?: string } = {}) =>
    fetch(`${init.base ?? cluster.url}/api/v1${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': init.ip ?? randomClientIp(), ...init.headers },
    });
  const requestCode = (email: string, init: { ip?: string; base?: string } = {}) =>
    api('/auth/otp', { method: 'POST', body: JSON.stringify({ email }), ...init });
  const verify = (email: string, code: string, init: { ip?: string; base?: string } = {}) =>
    api('/auth/verify', { method: 'POST', body: JSON.stringify({ email, code }), ...init });
  const me = (headers: Record<string, string>) => api('/users/me', { headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    cluster = await Cluster.start(mode, {
      gateways: 2,
      env: { SMTP_URL: smtp.url, OTP_RESEND_COOLDOWN_SECONDS: String(COOLDOWN_S), AUTH_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) },
    });
    gateways = cluster.gatewayUrls();
  });

  afterAll(async () => {
    await cluster?.stop();
    await smtp?.stop();
  });

  it('signs in with a mailed code, then uses cookie and Bearer, rotates, detects reuse and logs out', async () => {
    const email = uniqueEmail('Ada');
    const seen = smtp.mailsTo(email).length;
    const requested = await requestCode(email);
    expect(requested.status).toBe(202);
    expect(await requested.json()).toEqual({ status: 'sent', expiresInSeconds: 600, resendAfterSeconds: COOLDOWN_S });

    const mail = await smtp.nextMailTo(email, seen);
    expect(mail.partTypes).toEqual(expect.arrayContaining(['text/plain', 'text/html']));
    const verified = await verify(email, codeOf(mail));
    expect(verified.status).toBe(200);
    const session = await verified.json();
    expect(session).toMatchObject({ created: true, user: { email: email.toLowerCase(), displayName: email.split('@')[0].toLowerCase() } });

    // Cookies: HttpOnly, SameSite=Lax, refresh scoped to the auth routes; no Secure on plain-HTTP localhost.
    const setCookies = verified.headers.getSetCookie();
    const access = setCookies.find((c) => c.startsWith('access='))!;
    const refresh = setCookies.find((c) => c.startsWith('refresh='))!;
    expect(access).toMatch(/HttpOnly/);
    expect(access).toMatch(/SameSite=Lax/);
    expect(access).toMatch(/Path=\//);
    expect(access).not.toMatch(/Secure/);
    expect(refresh).toMatch(/Path=\/api\/v1\/auth/);
    expect(refresh).toMatch(/HttpOnly/);

    const byCookie = await me({ cookie: cookieHeaderFrom(verified) });
    expect(byCookie.status).toBe(200);
    expect((await byCookie.json()).id).toBe(session.user.id);
    const byBearer = await me(bearer(session.accessToken));
    expect(byBearer.status).toBe(200);

    // Rotation: a new pair, the same session and absolute expiry.
    const rotated = await api('/auth/refresh', { method: 'POST', body: JSON.stringify({ refreshToken: session.refreshToken }) });
    expect(rotated.status).toBe(200);
    const next = await rotated.json();
    expect(next.refreshToken).not.toBe(session.refreshToken);
    expect(next.sessionId).toBe(session.sessionId);
    expect(next.refreshTokenExpiresAt).toBe(session.refreshTokenExpiresAt);
    expect((await me(bearer(next.accessToken))).status).toBe(200);

    // The old refresh token again: someone copied it. The whole family ends, including the newest tokens.
    const reused = await api('/auth/refresh', { method: 'POST', body: JSON.stringify({ refreshToken: session.refreshToken }) });
    expect(reused.status).toBe(401);
    expect(await reused.json()).toMatchObject({ code: 'AUTH.SESSION_REVOKED' });
    const newest = await api('/auth/refresh', { method: 'POST', body: JSON.stringify({ refreshToken: next.refreshToken }) });
    expect(newest.status).toBe(401);
    const revokedAccess = await me(bearer(next.accessToken));
    expect(revokedAccess.status).toBe(401);
    expect(await revokedAccess.json()).toMatchObject({ code: 'AUTH.SESSION_REVOKED' });

    // A second sign-in (after the cooldown) finds the account and logs out through the cookie.
    await sleep(COOLDOWN_S * 1000 + 100);
    const again = await signIn(cluster, email, smtp, { baseUrl: gateways[gateways.length - 1] });
    expect(again.user.id).toBe(session.user.id);
    const refreshedByCookie = await api('/auth/refresh', { method: 'POST', headers: { cookie: again.cookies, 'x-requested-with': 'relay' } });
    expect(refreshedByCookie.status).toBe(200);
    const cookies = cookieHeaderFrom(refreshedByCookie);
    const loggedOut = await api('/auth/logout', { method: 'POST', headers: { cookie: cookies, 'x-requested-with': 'relay' } });
    expect(loggedOut.status).toBe(204);
    expect(loggedOut.headers.getSetCookie().some((c) => c.startsWith('access=;'))).toBe(true);
    expect((await me({ cookie: cookies })).status).toBe(401);
    const afterLogout = await api('/auth/refresh', { method: 'POST', headers: { cookie: cookies, 'x-requested-with': 'relay' } });
    expect(afterLogout.status).toBe(401);
  });

  it('signs out with the refresh token alone once the access token is gone (cookie or body)', async () => {
    const browser = await signIn(cluster, uniqueEmail('linus'), smtp);
    const refreshCookie = browser.cookies.split('; ').find((pair) => pair.startsWith('refresh='))!;
    const out = await api('/auth/logout', { method: 'POST', headers: { cookie: refreshCookie, 'x-requested-with': 'relay' } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().some((c) => c.startsWith('refresh=;'))).toBe(true);
    expect((await me(bearer(browser.accessToken))).status).toBe(401);
    const refreshAfter = await api('/auth/refresh', { method: 'POST', body: JSON.stringify({ refreshToken: browser.refreshToken }) });
    expect(await refreshAfter.json()).toMatchObject({ code: 'AUTH.SESSION_REVOKED' });

    const app = await signIn(cluster, uniqueEmail('margaret'), smtp);
    expect((await api('/auth/logout', { method: 'POST', body: JSON.stringify({ refreshToken: app.refreshToken }) })).status).toBe(204);
    expect((await me(bearer(app.accessToken))).status).toBe(401);
    // Nothing at all to sign out with is still a 401; a dead token is simply forgotten.
    expect((await api('/auth/logout', { method: 'POST' })).status).toBe(401);
    expect((await api('/auth/logout', { method: 'POST', body: JSON.stringify({ refreshToken: app.refreshToken }) })).status).toBe(204);
  });

  it('lists my devices and signs one out; other people cannot touch them', async () => {
    const email = uniqueEmail('grace');
    const laptop = await signIn(cluster, email, smtp, { userAgent: 'Laptop/1.0', ip: '198.51.100.7' });
    await sleep(COOLDOWN_S * 1000 + 100);
    const phone = await signIn(cluster, email, smtp, { userAgent: 'Phone/2.0' });
    const stranger = await signIn(cluster, uniqueEmail('mallory'), smtp);

    const list = await api('/auth/sessions', { headers: bearer(phone.accessToken) });
    expect(list.status).toBe(200);
    const sessions = await list.json();
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toMatchObject({ id: phone.sessionId, userAgent: 'Phone/2.0', current: true });
    expect(sessions[1]).toMatchObject({ id: laptop.sessionId, userAgent: 'Laptop/1.0', ip: '198.51.100.7', current: false });
    expect(Date.parse(sessions[1].createdAt)).toBeLessThanOrEqual(Date.parse(sessions[1].lastUsedAt));

    const foreign = await api(`/auth/sessions/${laptop.sessionId}`, { method: 'DELETE', headers: bearer(stranger.accessToken) });
    expect(foreign.status).toBe(404);
    const missing = await api('/auth/sessions/00000000-0000-0000-0000-000000000000', { method: 'DELETE', headers: bearer(stranger.accessToken) });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual(expect.objectContaining({ code: (await foreign.json()).code }));

    const revoked = await api(`/auth/sessions/${laptop.sessionId}`, { method: 'DELETE', headers: bearer(phone.accessToken) });
    expect(revoked.status).toBe(204);
    expect((await me(bearer(laptop.accessToken))).status).toBe(401);
    expect((await api('/auth/refresh', { method: 'POST', body: JSON.stringify({ refreshToken: laptop.refreshToken }) })).status).toBe(401);
    expect((await me(bearer(phone.accessToken))).status).toBe(200);
    const remaining = await (await api('/auth/sessions', { headers: bearer(phone.accessToken) })).json();
    expect(remaining.map((s: { id: string }) => s.id)).toEqual([phone.sessionId]);
  });

  it('burns a code after 5 wrong tries: the right one then fails', async () => {
    const email = uniqueEmail('brute');
    const seen = smtp.mailsTo(email).length;
    expect((await requestCode(email)).status).toBe(202);
    const code = codeOf(await smtp.nextMailTo(email, seen));
    const wrong = (i: number) => String((Number(code) + i) % 1_000_000).padStart(6, '0');
    for (let i = 1; i <= 6; i++) {
      const attempt = await verify(email, wrong(i), { base: gateways[i % gateways.length] });
      expect(attempt.status).toBe(400);
      expect(await attempt.json()).toMatchObject({ code: 'AUTH.INVALID_CODE' });
    }
    const right = await verify(email, code);
    expect(right.status).toBe(400);
    expect(await right.json()).toMatchObject({ code: 'AUTH.INVALID_CODE' });
  });

  it('uses a code once and refuses malformed codes with a clear 400', async () => {
    const email = uniqueEmail('once');
    const seen = smtp.mailsTo(email).length;
    await requestCode(email);
    const code = codeOf(await smtp.nextMailTo(email, seen));
    expect((await verify(email, code)).status).toBe(200);
    const second = await verify(email, code);
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ code: 'AUTH.INVALID_CODE' });

    const malformed = await verify(email, '12ab56');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'VALIDATION.FAILED' });
    const badEmail = await requestCode('not-an-email');
    expect(badEmail.status).toBe(400);
    expect(await badEmail.json()).toMatchObject({ code: 'VALIDATION.FAILED' });
  });

  it('answers the seed clients\' addresses POST /login and POST /verify the same way', async () => {
    const email = uniqueEmail('seed');
    const seen = smtp.mailsTo(email).length;
    const login = await api('/login', { method: 'POST', body: JSON.stringify({ email }) });
    expect(login.status).toBe(202);
    const code = codeOf(await smtp.nextMailTo(email, seen));
    const verified = await api('/verify', { method: 'POST', body: JSON.stringify({ email, otp: code }) });
    expect(verified.status).toBe(200);
    const body = await verified.json();
    expect(body.user.email).toBe(email.toLowerCase());
    expect((await me({ cookie: cookieHeaderFrom(verified) })).status).toBe(200);
  });

  it('holds the resend cooldown per email and the hourly limit per email and address, across gateways', async () => {
    const email = uniqueEmail('limits');
    const stranger = randomClientIp();
    expect((await requestCode(email, { ip: stranger, base: gateways[0] })).status).toBe(202);
    const early = await requestCode(email, { base: gateways[1] });
    expect(early.status).toBe(429);
    expect(await early.json()).toMatchObject({ code: 'AUTH.RESEND_COOLDOWN' });

    for (let sent = 2; sent <= 5; sent++) {
      await sleep(COOLDOWN_S * 1000 + 100);
      expect((await requestCode(email, { ip: stranger, base: gateways[sent % 2] })).status).toBe(202);
    }
    await sleep(COOLDOWN_S * 1000 + 100);
    const sixth = await requestCode(email, { ip: stranger, base: gateways[1] });
    expect(sixth.status).toBe(429);
    expect(await sixth.json()).toMatchObject({ code: 'AUTH.TOO_MANY_ATTEMPTS' });
    await smtp.waitUntil(() => smtp.mailsTo(email).length === 5, 15_000, '5 mails');

    // The stranger spent their own budget, not the mailbox owner's: the owner gets a code at once and signs in.
    const owner = randomClientIp();
    const seen = smtp.mailsTo(email).length;
    expect((await requestCode(email, { ip: owner, base: gateways[0] })).status).toBe(202);
    const code = codeOf(await smtp.nextMailTo(email, seen));
    expect((await verify(email, code, { ip: owner, base: gateways[1] })).status).toBe(200);
    expect(smtp.mailsTo(email)).toHaveLength(6);
  });

  it('never locks the rightful user out: 100 wrong codes from strangers burn codes, not the account', async () => {
    const email = uniqueEmail('victim');
    let seen = smtp.mailsTo(email).length;
    expect((await requestCode(email)).status).toBe(202);
    const stolenCode = codeOf(await smtp.nextMailTo(email, seen));
    // 10 addresses, 10 wrong codes each (each address stays within its per-minute budget).
    const attackers = Array.from({ length: 10 }, () => randomClientIp());
    for (const [n, ip] of attackers.entries()) {
      for (let i = 0; i < 10; i++) {
        const guess = String((Number(stolenCode) + 1 + n * 10 + i) % 1_000_000).padStart(6, '0');
        const attempt = await verify(email, guess, { ip, base: gateways[i % gateways.length] });
        expect(attempt.status).toBe(400);
        expect(await attempt.json()).toMatchObject({ code: 'AUTH.INVALID_CODE' });
      }
    }
    // One address that keeps guessing runs out of tries; the people it targets do not.
    const greedy = attackers[0];
    const throttled = await verify(email, '000000', { ip: greedy });
    expect(throttled.status).toBe(429);

    // The code under attack is burned; its owner asks for a new one and signs in with it.
    const home = randomClientIp();
    await sleep(COOLDOWN_S * 1000 + 100);
    seen = smtp.mailsTo(email).length;
    expect((await requestCode(email, { ip: home })).status).toBe(202);
    const fresh = codeOf(await smtp.nextMailTo(email, seen));
    const signedIn = await verify(email, fresh, { ip: home });
    expect(signedIn.status).toBe(200);
    expect(await signedIn.json()).toMatchObject({ user: { email } });
  });

  it('limits code requests per IP, one budget shared by every gateway', async () => {
    const ip = randomClientIp();
    for (let i = 0; i < RATE_LIMIT; i++) {
      const response = await requestCode(uniqueEmail('ip'), { ip, base: gateways[i % gateways.length] });
      expect(response.status).toBe(202);
    }
    for (const base of gateways) {
      const limited = await requestCode(uniqueEmail('ip'), { ip, base });
      expect(limited.status).toBe(429);
      expect(await limited.json()).toMatchObject({ code: 'COMMON.RATE_LIMITED' });
    }
    // The seed alias draws from the same budget: another address is not another allowance.
    const alias = await api('/login', { method: 'POST', ip, body: JSON.stringify({ email: uniqueEmail('ip') }) });
    expect(alias.status).toBe(429);
    expect((await requestCode(uniqueEmail('ip'), { ip: '198.51.100.200' })).status).toBe(202);
  });

  it('sets Secure, prefixed cookies behind HTTPS, and the guard reads them', async () => {
    const email = uniqueEmail('https');
    const seen = smtp.mailsTo(email).length;
    await requestCode(email);
    const code = codeOf(await smtp.nextMailTo(email, seen));
    // A TLS-terminating proxy on this machine says the client spoke HTTPS (trusted from loopback only).
    const verified = await api('/auth/verify', { method: 'POST', headers: { 'x-forwarded-proto': 'https' }, body: JSON.stringify({ email, code }) });
    expect(verified.status).toBe(200);
    const setCookies = verified.headers.getSetCookie();
    const access = setCookies.find((c) => c.startsWith('__Host-access='))!;
    const refresh = setCookies.find((c) => c.startsWith('__Secure-refresh='))!;
    expect(access).toMatch(/; Secure/);
    expect(access).toMatch(/Path=\//);
    expect(access).not.toMatch(/Domain=/);
    expect(refresh).toMatch(/; Secure/);
    expect(refresh).toMatch(/Path=\/api\/v1\/auth/);
    expect((await me({ cookie: cookieHeaderFrom(verified) })).status).toBe(200);
    const rotated = await api('/auth/refresh', {
      method: 'POST',
      headers: { cookie: cookieHeaderFrom(verified), 'x-requested-with': 'relay', 'x-forwarded-proto': 'https' },
    });
    expect(rotated.status).toBe(200);
  });

  it('answers known and unknown emails byte for byte the same', async () => {
    const known = uniqueEmail('known');
    await signIn(cluster, known, smtp);
    await sleep(COOLDOWN_S * 1000 + 100);
    const unknown = uniqueEmail('nobody');
    const a = await requestCode(known);
    const b = await requestCode(unknown);
    expect(a.status).toBe(b.status);
    expect(a.headers.get('content-type')).toBe(b.headers.get('content-type'));
    expect(Buffer.from(await a.arrayBuffer()).equals(Buffer.from(await b.arrayBuffer()))).toBe(true);
  });

  describe('token attacks', () => {
    let victim: Awaited<ReturnType<typeof signIn>>;
    const claims = () => ({ sub: victim.user.id, sid: victim.sessionId, typ: 'access' });
    const options = { audience: 'relay-chat', issuer: 'relay-chat-auth' } as const;
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

    beforeAll(async () => {
      victim = await signIn(cluster, uniqueEmail('victim'), smtp);
    });

    const expectRefused = async (token: string) => {
      const response = await me(bearer(token));
      expect(response.status).toBe(401);
      expect((await response.json()).code).toMatch(/^AUTH\./);
    };

    it('refuses alg none', async () => {
      const now = Math.floor(Date.now() / 1000);
      await expectRefused(`${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims(), aud: options.audience, iss: options.issuer, iat: now, exp: now + 600 })}.`);
    });

    it('refuses a token signed with another key, or another algorithm', async () => {
      await expectRefused(sign(claims(), randomBytes(32).toString('hex'), { algorithm: 'HS256', expiresIn: 600, ...options }));
      await expectRefused(sign(claims(), cluster.jwtSecret, { algorithm: 'HS512', expiresIn: 600, ...options }));
    });

    it('refuses an expired token and a wrong audience', async () => {
      const now = Math.floor(Date.now() / 1000);
      await expectRefused(sign({ ...claims(), iat: now - 1000, exp: now - 10 }, cluster.jwtSecret, { algorithm: 'HS256', ...options }));
      await expectRefused(sign(claims(), cluster.jwtSecret, { algorithm: 'HS256', expiresIn: 600, audience: 'someone-else', issuer: options.issuer }));
    });

    it('refuses a refresh token as access, and an access token as refresh', async () => {
      await expectRefused(victim.refreshToken);
      const asRefresh = await api('/auth/refresh', { method: 'POST', body: JSON.stringify({ refreshToken: victim.accessToken }) });
      expect(asRefresh.status).toBe(401);
    });

    it('refuses a tampered payload', async () => {
      const [header, payload, signature] = victim.accessToken.split('.');
      const changed = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'someone-else' };
      await expectRefused(`${header}.${b64(changed)}.${signature}`);
      // The untouched token still works: the refusals above are about the attacks, not the session.
      expect((await me(bearer(victim.accessToken))).status).toBe(200);
      // Re-signing the changed payload with a guessed key fails too.
      const forged = createHmac('sha256', 'guess').update(`${header}.${b64(changed)}`).digest('base64url');
      await expectRefused(`${header}.${b64(changed)}.${forged}`);
    });
  });

  describe('CSRF', () => {
    let person: Awaited<ReturnType<typeof signIn>>;
    const evil = 'http://evil.example';

    beforeAll(async () => {
      person = await signIn(cluster, uniqueEmail('csrf'), smtp);
    });

    it('refuses a cross-origin cookie write without the header', async () => {
      const forged = await api('/users/me', { method: 'PATCH', headers: { cookie: person.cookies, origin: evil }, body: JSON.stringify({ displayName: 'Pwned' }) });
      expect(forged.status).toBe(403);
      expect(await forged.json()).toMatchObject({ code: 'AUTH.CSRF_REJECTED' });
      const logout = await api('/auth/logout', { method: 'POST', headers: { cookie: person.cookies, origin: evil } });
      expect(logout.status).toBe(403);
      const still = await (await me({ cookie: person.cookies })).json();
      expect(still.displayName).not.toBe('Pwned');
    });

    it('accepts the cookie write with the header or from an allowed origin, and exempts Bearer', async () => {
      const withHeader = await api('/users/me', {
        method: 'PATCH',
        headers: { cookie: person.cookies, 'x-requested-with': 'relay' },
        body: JSON.stringify({ displayName: 'By header' }),
      });
      expect(withHeader.status).toBe(200);
      const allowedOrigin = await api('/users/me', {
        method: 'PATCH',
        headers: { cookie: person.cookies, origin: cluster.url },
        body: JSON.stringify({ displayName: 'By origin' }),
      });
      expect(allowedOrigin.status).toBe(200);
      const byBearer = await api('/users/me', {
        method: 'PATCH',
        headers: { ...bearer(person.accessToken), origin: evil },
        body: JSON.stringify({ displayName: 'By bearer' }),
      });
      expect(byBearer.status).toBe(200);
      expect((await byBearer.json()).displayName).toBe('By bearer');
    });
  });
});
