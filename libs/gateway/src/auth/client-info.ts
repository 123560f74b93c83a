import { ClientInfo } from '@chat/contracts';
import type { Request } from 'express';

/** Device details recorded on a session. `req.ip` honours X-Forwarded-For only from a proxy in TRUSTED_PROXIES. */
export function clientInfo(request: Request): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return { userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null, ip: request.ip ?? null };
}
