import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ErrorCodes } from '@chat/contracts';
import { AppConfig, DomainError } from '@chat/platform';
import type { Request } from 'express';
import { ACCESS_COOKIE_NAMES } from './access-token';
import { REFRESH_COOKIE_NAMES } from './auth-cookies';

/** The header the web app sends on every write (any of these names, non-empty). */
export const CSRF_HEADERS = ['x-requested-with', 'x-csrf'] as const;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SESSION_COOKIES: readonly string[] = [...ACCESS_COOKIE_NAMES, ...REFRESH_COOKIE_NAMES];

/**
 * CSRF defense for cookie-authenticated writes. A browser sends cookies with a cross-site form post, but it
 * cannot add a custom header to a cross-origin request without a CORS preflight, which only CORS_ORIGINS pass.
 * So a write carrying a session cookie and no Bearer token needs `X-Requested-With` (or `X-CSRF`), or an Origin
 * from CORS_ORIGINS. Bearer requests are exempt: a browser never adds that header on its own.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request & { cookies?: Record<string, string> }>();
    if (SAFE_METHODS.has(request.method)) return true;
    const authorization = request.headers.authorization;
    if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) return true;
    const hasSessionCookie = SESSION_COOKIES.some((name) => Boolean(request.cookies?.[name]));
    if (!hasSessionCookie) return true;
    if (CSRF_HEADERS.some((name) => typeof request.headers[name] === 'string' && request.headers[name] !== '')) return true;
    const origin = request.headers.origin;
    if (typeof origin === 'string' && this.config.corsOrigins.includes(origin)) return true;
    throw new DomainError(ErrorCodes.AUTH_CSRF, 'Cookie-authenticated writes need the X-Requested-With header or an allowed Origin');
  }
}
