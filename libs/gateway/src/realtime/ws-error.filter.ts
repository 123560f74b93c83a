import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, Optional } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { ErrorCodes, ErrorPayload, isErrorPayload } from '@chat/contracts';
import { DomainError, Metrics } from '@chat/platform';
import { httpStatusFor } from '../errors/error-status';

/**
 * Every error of a socket event becomes the ack `{ ok: false, error: { code, message } }` (the same codes as
 * REST). An event sent without an ack callback has nowhere to get the error: it is dropped, never rethrown,
 * so a malformed event cannot take the gateway down.
 */
@Catch()
export class WsErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('WsErrorFilter');

  constructor(@Optional() private readonly metrics?: Metrics) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    // Socket.IO handler arguments: [socket, data, ack, pattern].
    this.ackError(exception, host.getArgByIndex(2) as unknown, String(host.getArgByIndex(3) ?? 'unknown'));
  }

  /** The error ack of a socket event, for handlers outside Nest's pipeline too (the direct `message:send`). */
  ackError(exception: unknown, ack: unknown, pattern: string): void {
    const error = this.toPayload(exception, pattern);
    // Counted like their HTTP twins (429): the per-socket limits and any other rate limit.
    if (httpStatusFor(error.code) === HttpStatus.TOO_MANY_REQUESTS) this.metrics?.rateLimited('socket', error.code);
    if (typeof ack === 'function') {
      try {
        ack({ ok: false, error });
      } catch {
        // a client's ack callback cannot fail server-side; keep the gateway alive whatever happens
      }
    }
  }

  toPayload(exception: unknown, pattern: string): ErrorPayload {
    if (exception instanceof DomainError) return exception.toPayload();
    if (exception instanceof WsException) {
      const error = exception.getError();
      if (isErrorPayload(error)) return error;
      return { code: ErrorCodes.AUTH_FORBIDDEN, message: typeof error === 'string' ? error : 'Forbidden' };
    }
    if (exception instanceof BadRequestException) return { code: ErrorCodes.VALIDATION_FAILED, message: 'Invalid payload' };
    if (exception instanceof HttpException) return { code: ErrorCodes.INTERNAL, message: exception.message };
    this.logger.error({ err: exception, pattern }, `Unhandled error in socket event ${pattern}`);
    return { code: ErrorCodes.INTERNAL, message: 'Internal error' };
  }
}
