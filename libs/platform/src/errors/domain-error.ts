import { ErrorCodes, ErrorPayload } from '@chat/contracts/errors';

/**
 * An expected failure with a stable code. Thrown by services, serialized as `{ code, message }` across
 * boundaries, mapped to an HTTP status or socket ack at the edge.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
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
