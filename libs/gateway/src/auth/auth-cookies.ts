import { Injectable } from '@nestjs/common';
import { TokenPair } from '@chat/contracts';
import { AppConfig } from '@chat/platform';
import type { CookieOptions, Request, Response } from 'express';
import { API_PREFIX } from '../configure-http';

/** The refresh cookie goes only to the auth routes (refresh, logout), never with every API call. */
export const REFRESH_COOKIE_PATH = `/${API_PREFIX}/auth`;
const SECURE_NAMES = { access: '__Host-access', refresh: '__Secure-refresh' } as const;
const PLAIN_NAMES = { access: 'access', refresh: 'refresh' } as const;
export const REFRESH_COOKIE_NAMES = [SECURE_NAMES.refresh, PLAIN_NAMES.refresh] as const;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * Session cookies: HttpOnly, SameSite=Lax, Secure with prefixed names. `COOKIE_SECURE=auto` drops Secure (and
 * so the prefixes, which require it) only for plain HTTP to localhost, where browsers would not keep them.
 */
@Injectable()
export class AuthCookies {
  constructor(private readonly config: AppConfig) {}

  isSecure(request: Request): boolean {
    const mode = this.config.env.COOKIE_SECURE;
    if (mode !== 'auto') return mode === 'true';
    return request.secure || !LOOPBACK_HOSTS.has(request.hostname);
  }

  set(request: Request, response: Response, tokens: TokenPair): void {
    const secure = this.isSecure(request);
    const names = secure ? SECURE_NAMES : PLAIN_NAMES;
    const base: CookieOptions = { httpOnly: true, secure, sameSite: 'lax' };
    response.cookie(names.access, tokens.accessToken, {
      ...base,
      path: '/',
      maxAge: Math.max(0, Date.parse(tokens.accessTokenExpiresAt) - Date.now()),
    });
    response.cookie(names.refresh, tokens.refreshToken, {
      ...base,
      path: REFRESH_COOKIE_PATH,
      expires: new Date(tokens.refreshTokenExpiresAt),
    });
  }

  clear(request: Request, response: Response): void {
    const secure = this.isSecure(request);
    const names = secure ? SECURE_NAMES : PLAIN_NAMES;
    const base: CookieOptions = { httpOnly: true, secure, sameSite: 'lax' };
    response.clearCookie(names.access, { ...base, path: '/' });
    response.clearCookie(names.refresh, { ...base, path: REFRESH_COOKIE_PATH });
  }

  readRefreshToken(request: Request & { cookies?: Record<string, string> }): string | null {
    for (const name of REFRESH_COOKIE_NAMES) {
      const token = request.cookies?.[name];
      if (token) return token;
    }
    return null;
  }
}
