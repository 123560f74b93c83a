import type { Request } from 'express';

/** Cookie names: `__Host-` needs Secure, which plain-HTTP localhost cannot have, so both forms are read. */
export const ACCESS_COOKIE_NAMES = ['__Host-access', 'access'] as const;

export type TokenSource = 'bearer' | 'cookie';

/** The access token of a request and where it came from; Bearer wins over the cookie. */
export function readAccessToken(request: Pick<Request, 'headers'> & { cookies?: Record<string, string> }): { token: string; source: TokenSource } | null {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) {
    const token = header.slice('Bearer '.length).trim();
    if (token) return { token, source: 'bearer' };
  }
  for (const name of ACCESS_COOKIE_NAMES) {
    const token = request.cookies?.[name];
    if (token) return { token, source: 'cookie' };
  }
  return null;
}
