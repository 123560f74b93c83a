import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ErrorCodes } from '@chat/contracts';
import { AppConfig, DomainError } from '@chat/platform';
import type { Request } from 'express';
import { ACCESS_COOKIE_NAMES, readAccessToken } from './access-token';
import { REFRESH_COOKIE_NAMES } from './auth-cookies';

/** The header the web app sends on every write (any of these names, non-empty). */
export const CSRF_HEADERS = ['x-requested-with', 'x-csrf'] as const;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SESSION_COOKIES: readonly string[] = [...ACCESS_COOKIE_NAMES, ...REFRESH_COOKIE_NAMES];

/**
 * CSRF defense for cookie-authenticated writes. A browser sends cookies with a cross-site form post, but it
 * cannot add a custom header to a cross-origin request without a CORS preflight, which only CORS_ORIGINS pass.
 * So a write carrying a session cookie and no Bearer token needs `X-Requested-With` (or `X-CSRF`), or an Origin
 * from CORS_ORIGINS. Bearer requests are exempt: a browser never adds that header on its own. Any write whose
 * Origin is neither in CORS_ORIGINS nor this host is refused, with or without cookies.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request & { cookies?: Record<string, string> }>();
    if (SAFE_METHODS.has(request.method)) return true;
    // Exempt only when the access guard will in fact authenticate by the Bearer token. Judging the header by
    // itself let `Bearer <non-breaking space>` through here while the guard fell back to the cookie.
    if (readAccessToken(request)?.source === 'bearer') return true;
    const origin = request.headers.origin;
    const trustedOrigin = typeof origin === 'string' && (this.config.corsOrigins.includes(origin) || isSameOrigin(origin, request));
    // Browsers name the page behind every write. A foreign page may not write at all, even without a session
    // cookie: a cross-site form posting someone's code to /auth/verify would plant the attacker's session in
    // the visitor's browser (login CSRF). Clients that are not browsers send no Origin and are unaffected.
    if (typeof origin === 'string' && !trustedOrigin) {
      throw new DomainError(ErrorCodes.AUTH_CSRF, 'Writes from this origin are not accepted');
    }
    const hasSessionCookie = SESSION_COOKIES.some((name) => Boolean(request.cookies?.[name]));
    if (!hasSessionCookie) return true;
    if (CSRF_HEADERS.some((name) => typeof request.headers[name] === 'string' && request.headers[name] !== '')) return true;
    if (trustedOrigin) return true;
    throw new DomainError(ErrorCodes.AUTH_CSRF, 'Cookie-authenticated writes need the X-Requested-With header or an allowed Origin');
  }
}

/**
 * The page that sent the request is served by this very host (the web app on the server's own port). Express's
 * `host` honours X-Forwarded-Host from a trusted proxy (TRUSTED_PROXIES), so a proxy in front still works;
 * a proxy that rewrites Host without saying so needs the public origin in CORS_ORIGINS.
 */
function isSameOrigin(origin: string, request: Pick<Request, 'headers'> & { host?: string }): boolean {
  try {
    return new URL(origin).host === (request.host ?? request.headers.host);
  } catch {
    return false;
  }
}
