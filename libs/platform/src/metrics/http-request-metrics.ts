import type { NextFunction, Request, Response } from 'express';
import { ErrorCodes } from '@chat/contracts/errors';
import { Metrics } from './metrics';

/** The stable code an error filter answered with (kept in `res.locals.errorCode`), if any. */
export function errorCodeOf(response: Response): string | undefined {
  const code: unknown = response.locals?.errorCode;
  return typeof code === 'string' ? code : undefined;
}

/** Label of a request no route answered (static files, the web app, 404s): one value, not one per path. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * Express middleware timing every HTTP request, labelled by the route template Express matched
 * (`/api/v1/chats/:chatId/messages`) so label values stay bounded; HTTP 429 answers also count as rate-limit
 * refusals.
 */
export function httpRequestMetrics(metrics: Metrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = typeof request.route?.path === 'string' ? request.route.path : UNMATCHED_ROUTE;
      metrics.observeHttpRequest(request.method, route, response.statusCode, seconds);
      if (response.statusCode === 429) metrics.rateLimited('http', errorCodeOf(response) ?? ErrorCodes.RATE_LIMITED);
    });
    next();
  };
}
