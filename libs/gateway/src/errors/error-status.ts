import { HttpStatus } from '@nestjs/common';
import { ErrorCodes } from '@chat/contracts';

/** The one place where error codes become HTTP statuses. Socket acks carry the code itself. */
const STATUS_BY_CODE: Record<string, HttpStatus> = {
  [ErrorCodes.VALIDATION_FAILED]: HttpStatus.BAD_REQUEST,
  [ErrorCodes.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCodes.INTERNAL]: HttpStatus.INTERNAL_SERVER_ERROR,
  [ErrorCodes.RATE_LIMITED]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCodes.OVERLOADED]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCodes.PAYLOAD_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCodes.DEPENDENCY_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCodes.TRANSPORT_TIMEOUT]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCodes.TRANSPORT_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCodes.TRANSPORT_NO_HANDLER]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCodes.HEALTH_NOT_READY]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCodes.AUTH_UNAUTHENTICATED]: HttpStatus.UNAUTHORIZED,
  [ErrorCodes.AUTH_INVALID_CODE]: HttpStatus.BAD_REQUEST,
  [ErrorCodes.AUTH_CODE_EXPIRED]: HttpStatus.BAD_REQUEST,
  [ErrorCodes.AUTH_TOO_MANY_ATTEMPTS]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCodes.AUTH_RESEND_COOLDOWN]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCodes.AUTH_SESSION_REVOKED]: HttpStatus.UNAUTHORIZED,
  [ErrorCodes.AUTH_CSRF]: HttpStatus.FORBIDDEN,
  [ErrorCodes.AUTH_FORBIDDEN]: HttpStatus.FORBIDDEN,
  [ErrorCodes.USER_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCodes.CHAT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCodes.CHAT_NOT_ADMIN]: HttpStatus.FORBIDDEN,
  [ErrorCodes.CHAT_INVALID_MEMBERS]: HttpStatus.BAD_REQUEST,
  [ErrorCodes.CHAT_NOT_GROUP]: HttpStatus.BAD_REQUEST,
  [ErrorCodes.CHAT_BLOCKED]: HttpStatus.FORBIDDEN,
  [ErrorCodes.MESSAGE_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCodes.MESSAGE_NOT_SENDER]: HttpStatus.FORBIDDEN,
  [ErrorCodes.MESSAGE_DELETED]: HttpStatus.GONE,
  [ErrorCodes.MESSAGE_EMPTY]: HttpStatus.BAD_REQUEST,
  [ErrorCodes.MESSAGE_INVALID_REPLY]: HttpStatus.BAD_REQUEST,
  [ErrorCodes.MESSAGE_INVALID_MENTION]: HttpStatus.BAD_REQUEST,
  [ErrorCodes.PUSH_ENDPOINT_REFUSED]: HttpStatus.BAD_REQUEST,
  [ErrorCodes.REACTION_INVALID]: HttpStatus.BAD_REQUEST,
  [ErrorCodes.REACTION_TOO_MANY]: HttpStatus.CONFLICT,
  [ErrorCodes.MESSAGE_TOO_MANY_PINS]: HttpStatus.CONFLICT,
  [ErrorCodes.MEDIA_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCodes.MEDIA_UNSUPPORTED_TYPE]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ErrorCodes.MEDIA_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCodes.MEDIA_TOO_MANY_PIXELS]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCodes.MEDIA_CORRUPT]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCodes.MEDIA_EMPTY]: HttpStatus.BAD_REQUEST,
  [ErrorCodes.MEDIA_NOT_FOUND]: HttpStatus.NOT_FOUND,
};

/** A domain code nobody mapped is still the client's problem, not a server fault. */
export function httpStatusFor(code: string): HttpStatus {
  return STATUS_BY_CODE[code] ?? HttpStatus.BAD_REQUEST;
}
