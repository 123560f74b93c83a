import { ErrorCodes, ErrorPayload } from '@chat/contracts/errors';

/**
 * An expected failure with a stable code. Thrown by services, serialized as `{ code, message }` across
 * boundaries, mapped to an HTTP status or socket ack at the edge.
 *
 * It carries no stack trace: nothing reads one (the code says what happened), and capturing it was a measurable
 * share of the CPU when an overloaded gateway turns thousands of sends a second away with COMMON.OVERLOADED.
 */
export class DomainError extends Error {
  readonly code: string;
  readonly details?: unknown;

  constructor(code: string, message: string, details?: unknown) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }

  toPayload(): ErrorPayload {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromPayload(payload: ErrorPayload): DomainError {
    return new DomainError(payload.code, payload.message, payload.details);
  }

  static notFound(code: string = ErrorCodes.NOT_FOUND, message = 'Not found'): DomainError {
    return new DomainError(code, message);
  }
}
