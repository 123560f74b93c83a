import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ErrorCodes, ErrorPayload, isErrorPayload } from '@chat/contracts';
import { DomainError } from '@chat/platform';
import type { Request, Response } from 'express';
import { httpStatusFor } from './error-status';

/** Body of every HTTP error: one shape for validation, domain and transport errors alike. */
export interface HttpErrorBody extends ErrorPayload {
  statusCode: number;
  requestId?: string;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: ErrorCodes.VALIDATION_FAILED,
  401: ErrorCodes.AUTH_UNAUTHENTICATED,
  403: ErrorCodes.AUTH_FORBIDDEN,
  404: ErrorCodes.NOT_FOUND,
  413: ErrorCodes.PAYLOAD_TOO_LARGE,
  429: ErrorCodes.RATE_LIMITED,
};

/** Turns any error into an HTTP response; only genuine server faults are 500 and logged with their stack. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const body = this.toBody(exception, request);
    if (response.headersSent) return;
    // For the request metrics (a 429's code tells which limit refused it).
    response.locals.errorCode = body.code;
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, request: Request & { id?: string }): HttpErrorBody {
    const requestId = request.id;
    if (exception instanceof DomainError) {
      return { statusCode: httpStatusFor(exception.code), ...exception.toPayload(), requestId };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      if (isErrorPayload(raw)) return { statusCode: status, ...raw, requestId };
      const message = typeof raw === 'string' ? raw : ((raw as { message?: unknown }).message ?? exception.message);
      const code = CODE_BY_STATUS[status] ?? (status >= 500 ? ErrorCodes.INTERNAL : ErrorCodes.VALIDATION_FAILED);
      return { statusCode: status, code, message: Array.isArray(message) ? message.join('; ') : String(message), requestId };
    }
    // body-parser's errors (bad JSON, body too large) carry a status and are the client's doing.
    const status = (exception as { status?: number })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code = status === 413 ? ErrorCodes.PAYLOAD_TOO_LARGE : ErrorCodes.VALIDATION_FAILED;
      return { statusCode: status, code, message: status === 413 ? 'Request body too large' : 'Malformed request body', requestId };
    }
    this.logger.error({ err: exception, requestId }, 'Unhandled error');
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: ErrorCodes.INTERNAL, message: 'Internal error', requestId };
  }
}
