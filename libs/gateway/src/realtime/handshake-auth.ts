import type { IncomingHttpHeaders } from 'node:http';
import { ACCESS_COOKIE_NAMES } from '../auth/access-token';
import { isOwnOrigin } from '../http/own-origin';

export type HandshakeTokenSource = 'auth' | 'cookie';

/** Cookie header → map; tolerant of junk (a malformed cookie is simply absent). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (!header) return cookies;
  for (const part of header.split(';').map((p) => p.trim())) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      cookies[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // undecodable value: ignore this cookie
    }
  }
  return cookies;
}

/** The handshake's access token: `auth.token` (non-browser and cross-site clients) wins over the cookie. */
export function readHandshakeToken(auth: unknown, headers: IncomingHttpHeaders): { token: string; source: HandshakeTokenSource } | null {
  const fromAuth = typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
  if (typeof fromAuth === 'string' && fromAuth.length > 0) return { token: fromAuth, source: 'auth' };
  const cookies = parseCookies(typeof headers.cookie === 'string' ? headers.cookie : undefined);
  for (const name of ACCESS_COOKIE_NAMES) {
    if (cookies[name]) return { token: cookies[name], source: 'cookie' };
  }
  return null;
}

/** Why a handshake's Origin was refused, or null when it is fine. */
export type OriginRefusal = 'foreign-origin' | 'missing-origin';

/**
 * WebSockets are not subject to CORS, so a page on any site could open a socket carrying our cookie
 * (cross-site WebSocket hijacking). The page this server served (its Origin names the request's own Host) and
 * the origins listed in CORS_ORIGINS are fine; any other never. No Origin at all means a non-browser client,
 * which cannot ride on a victim's cookie: allowed only with an explicit token.
 */
export function originRefusal(origin: string | undefined, host: string | undefined, allowed: readonly string[], source: HandshakeTokenSource): OriginRefusal | null {
  if (origin === undefined || origin === '') return source === 'auth' ? null : 'missing-origin';
  return isOwnOrigin(origin, host) || allowed.includes(origin) ? null : 'foreign-origin';
}

/**
 * Once verified, the handshake's credentials (auth.token, the Cookie header) are needed by nothing: the socket
 * acts as socket.data says. Dropping them keeps bearer tokens out of every idle socket's memory (a JWT is about
 * 0.3 KB, browser cookies often more) and out of anything that reads handshakes later.
 */
export function forgetHandshakeCredentials(handshake: { auth: unknown; headers: IncomingHttpHeaders }): void {
  if (typeof handshake.auth === 'object' && handshake.auth !== null) delete (handshake.auth as { token?: unknown }).token;
  delete handshake.headers.cookie;
}
