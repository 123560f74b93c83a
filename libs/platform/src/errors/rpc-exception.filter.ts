import { ArgumentsHost, BadRequestException, Catch, HttpException, Logger, RpcExceptionFilter } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { ErrorCodes, ErrorPayload, isErrorPayload } from '@chat/contracts/errors';
import { Observable, throwError } from 'rxjs';
import { DomainError } from './domain-error';

const logger = new Logger('RpcErrorFilter');

/**
 * Every error leaving a message handler becomes `{ code, message }`, the same over every transport.
 * Unexpected errors are logged here and leave as COMMON.INTERNAL without their internals.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    return throwError(() => rpcErrorPayload(exception, safePattern(host)));
  }
}

/** The payload an error of a handler of `pattern` leaves as (RpcErrorFilter's, and the in-process direct calls'). */
export function rpcErrorPayload(exception: unknown, pattern: string): ErrorPayload {
  if (exception instanceof DomainError) return exception.toPayload();
  if (exception instanceof RpcException) {
    const error = exception.getError();
    if (isErrorPayload(error)) return error;
  }
  if (exception instanceof BadRequestException) {
    const response = exception.getResponse() as { message?: unknown };
    return { code: ErrorCodes.VALIDATION_FAILED, message: 'Invalid payload', details: response.message };
  }
  if (exception instanceof HttpException) {
    return { code: ErrorCodes.INTERNAL, message: exception.message };
  }
  logger.error({ err: exception, pattern }, `Unhandled error in handler ${pattern}`);
  return { code: ErrorCodes.INTERNAL, message: 'Internal error' };
}

function safePattern(host: ArgumentsHost): string {
  try {
    const context = host.switchToRpc().getContext() as { getPattern?: () => string } | undefined;
    return context?.getPattern?.() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
