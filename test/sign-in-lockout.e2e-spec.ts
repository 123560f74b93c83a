import { randomBytes } from 'node:crypto';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { randomClientIp } from './harness/sign-in';
import { codeOf, SmtpCapture } from './harness/smtp';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(DEPLOYMENT_MODES)('A stranger cannot lock someone out of signing in (%s)', (mode) => {
  let cluster: Cluster;
  let smtp: SmtpCapture;

  const post = (path: string, ip: string, body: unknown) =>
    fetch(`${cluster.url}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify(body) });

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    // The per-minute limit out of the way, so one address can send its 100 wrong codes within the test.
    cluster = await Cluster.start(mode, { env: { SMTP_URL: smtp.url, AUTH_RATE_LIMIT_PER_MINUTE: '1000', OTP_RESEND_COOLDOWN_SECONDS: '1' } });
  });

  afterAll(async () => {
    await cluster?.stop();
    await smtp?.stop();
  });

  it('100 wrong codes and a stream of code requests from one address burn codes and that address, never the account', async () => {
    const victim = `victim.${randomBytes(4).toString('hex')}@example.com`;
    const home = randomClientIp();
    const attacker = randomClientIp();

    let seen = smtp.mailsTo(victim).length;
    expect((await post('/auth/otp', home, { email: victim })).status).toBe(202);
    const first = codeOf(await smtp.nextMailTo(victim, seen));

    // The attacker guesses: the code under attack is burned after 5 tries, and after 50 wrong codes in an hour
    // the attacker's address is refused outright.
    const outcomes: string[] = [];
    for (let i = 1; i <= 100; i++) {
      const guess = String((Number(first) + i) % 1_000_000).padStart(6, '0');
      const response = await post('/auth/verify', attacker, { email: victim, code: guess });
      outcomes.push(`${response.status} ${(await response.json()).code}`);
    }
    expect(outcomes.slice(0, 50)).toEqual(Array(50).fill('400 AUTH.INVALID_CODE'));
    expect(outcomes.slice(50)).toEqual(Array(50).fill('429 AUTH.TOO_MANY_ATTEMPTS'));
    expect((await post('/auth/verify', home, { email: victim, code: first })).status).toBe(400); // burned

    // The attacker also asks for codes for the victim's email until refused: 5 an hour from one address.
    const requests: number[] = [];
    for (let i = 0; i < 6; i++) {
      await sleep(1100);
      requests.push((await post('/auth/otp', attacker, { email: victim })).status);
    }
    expect(requests).toEqual([202, 202, 202, 202, 202, 429]);
    // Those 5 mails reached the victim's mailbox (so the next one is the victim's own).
    await smtp.waitUntil(() => smtp.mailsTo(victim).length === 6, 15_000, 'the 5 codes the attacker asked for');

    // The victim asks for a fresh code and signs in with it.
    await sleep(1100);
    seen = smtp.mailsTo(victim).length;
    expect((await post('/auth/otp', home, { email: victim })).status).toBe(202);
    const fresh = codeOf(await smtp.nextMailTo(victim, seen));
    const signedIn = await post('/auth/verify', home, { email: victim, code: fresh });
    expect(signedIn.status).toBe(200);
    expect(await signedIn.json()).toMatchObject({ user: { email: victim } });
  });
});
