import { randomInt } from 'node:crypto';
import type { Cluster } from './cluster';
import { codeOf, SmtpCapture } from './smtp';

export interface SignedIn {
  accessToken: string;
  refreshToken: string;
  /** A ready `Cookie` header value with the access and refresh cookies the gateway set. */
  cookies: string;
  sessionId: string;
  user: { id: string; email: string; displayName: string; avatarUrl: string | null; createdAt: string };
}

/**
 * A client address for X-Forwarded-For (the harness sets TRUSTED_PROXIES=loopback), so suites that sign many
 * people in do not share one per-IP sign-in budget. From the 198.18.0.0/15 benchmarking range: 65,000
 * addresses, where TEST-NET-3's 254 made two tests of one suite share an address (and its budget) now and then.
 */
export function randomClientIp(): string {
  return `198.${randomInt(18, 20)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

/** Cookie header value from a response's Set-Cookie lines (name=value only). */
export function cookieHeaderFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .filter((pair) => !pair.endsWith('='))
    .join('; ');
}

/**
 * The real sign-in: ask for a code, read it from the mail the SMTP server received, verify it.
 * The cluster must run with SMTP_URL = smtp.url. One email can get a code once per resend cooldown.
 */
export async function signIn(
  cluster: Cluster,
  email: string,
  smtp: SmtpCapture,
  options: { baseUrl?: string; userAgent?: string; ip?: string } = {},
): Promise<SignedIn> {
  const baseUrl = options.baseUrl ?? cluster.url;
  const headers = {
    'content-type': 'application/json',
    'x-forwarded-for': options.ip ?? randomClientIp(),
    ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
  };
  const seen = smtp.mailsTo(email).length;
  const requested = await fetch(`${baseUrl}/api/v1/auth/otp`, { method: 'POST', headers, body: JSON.stringify({ email }) });
  if (requested.status !== 202) throw new Error(`signIn(${email}): code request answered ${requested.status} ${await requested.text()}`);
  const code = codeOf(await smtp.nextMailTo(email, seen));
  const verified = await fetch(`${baseUrl}/api/v1/auth/verify`, { method: 'POST', headers, body: JSON.stringify({ email, code }) });
  if (verified.status !== 200) throw new Error(`signIn(${email}): verify answered ${verified.status} ${await verified.text()}`);
  const body = (await verified.json()) as Omit<SignedIn, 'cookies'>;
  return { accessToken: body.accessToken, refreshToken: body.refreshToken, sessionId: body.sessionId, user: body.user, cookies: cookieHeaderFrom(verified) };
}
