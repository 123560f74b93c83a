/**
 * Errors cross module boundaries as `{ code, message }`. Codes are stable API: clients branch on them,
 * the gateway maps them to HTTP statuses and socket acks in one place (gateway/errors/error-status.ts).
 */
export interface ErrorPayload {
  code: string;
  message: string;
  details?: unknown;
}

export const ErrorCodes = {
  VALIDATION_FAILED: 'VALIDATION.FAILED',
  NOT_FOUND: 'COMMON.NOT_FOUND',
  INTERNAL: 'COMMON.INTERNAL',
  RATE_LIMITED: 'COMMON.RATE_LIMITED',
  /** The server has as much work in flight as it takes: send again shortly (nothing was stored). */
  OVERLOADED: 'COMMON.OVERLOADED',
  PAYLOAD_TOO_LARGE: 'COMMON.PAYLOAD_TOO_LARGE',
  /** A store the server needs (Redis) did not answer in time or is down: try again shortly; nothing is wrong with the request or its token. */
  DEPENDENCY_UNAVAILABLE: 'COMMON.DEPENDENCY_UNAVAILABLE',

  TRANSPORT_TIMEOUT: 'TRANSPORT.TIMEOUT',
  TRANSPORT_UNAVAILABLE: 'TRANSPORT.UNAVAILABLE',
  TRANSPORT_NO_HANDLER: 'TRANSPORT.NO_HANDLER',

  HEALTH_NOT_READY: 'HEALTH.NOT_READY',

  AUTH_UNAUTHENTICATED: 'AUTH.UNAUTHENTICATED',
  AUTH_INVALID_CODE: 'AUTH.INVALID_CODE',
  AUTH_CODE_EXPIRED: 'AUTH.CODE_EXPIRED',
  AUTH_TOO_MANY_ATTEMPTS: 'AUTH.TOO_MANY_ATTEMPTS',
  AUTH_RESEND_COOLDOWN: 'AUTH.RESEND_COOLDOWN',
  AUTH_SESSION_REVOKED: 'AUTH.SESSION_REVOKED',
  AUTH_CSRF: 'AUTH.CSRF_REJECTED',
  AUTH_FORBIDDEN: 'AUTH.FORBIDDEN',

  USER_NOT_FOUND: 'USER.NOT_FOUND',

  CHAT_NOT_FOUND: 'CHAT.NOT_FOUND',
  CHAT_NOT_ADMIN: 'CHAT.NOT_ADMIN',
  CHAT_INVALID_MEMBERS: 'CHAT.INVALID_MEMBERS',
  /** A group-only operation (title, members, admins, leave) on a 1:1 chat. */
  CHAT_NOT_GROUP: 'CHAT.NOT_GROUP',
  /**
   * One of the two people blocked the other: no new 1:1 chat between them, no message into their 1:1 chat, no
   * adding to a group by someone the person blocked. The message says which side (you blocked them, or you cannot).
   */
  CHAT_BLOCKED: 'CHAT.BLOCKED',

  MESSAGE_NOT_FOUND: 'MESSAGE.NOT_FOUND',
  MESSAGE_NOT_SENDER: 'MESSAGE.NOT_SENDER',
  MESSAGE_DELETED: 'MESSAGE.DELETED',
  MESSAGE_EMPTY: 'MESSAGE.EMPTY',
  /** The message replied to is not in this chat (or not visible). */
  MESSAGE_INVALID_REPLY: 'MESSAGE.INVALID_REPLY',
  /** The text mentions someone who is not a member of the chat (`details.userIds`): nothing was stored. */
  MESSAGE_INVALID_MENTION: 'MESSAGE.INVALID_MENTION',
  /** Web Push: the subscription's endpoint is not a push service this server sends to (WEB_PUSH_ENDPOINT_HOSTS). */
  PUSH_ENDPOINT_REFUSED: 'PUSH.ENDPOINT_REFUSED',
  /** A reaction must be exactly one emoji. */
  REACTION_INVALID: 'REACTION.INVALID',
  /** The message already carries MAX_REACTION_KINDS different emojis: react with one of those. */
  REACTION_TOO_MANY: 'REACTION.TOO_MANY',
  /** A chat holds at most MAX_PINS_PER_CHAT pinned messages: unpin one first. */
  MESSAGE_TOO_MANY_PINS: 'MESSAGE.TOO_MANY_PINS',
  /** Images cannot be attached: no media store runs in this gateway. */
  MEDIA_UNAVAILABLE: 'MEDIA.UNAVAILABLE',

  MEDIA_UNSUPPORTED_TYPE: 'MEDIA.UNSUPPORTED_TYPE',
  MEDIA_TOO_LARGE: 'MEDIA.TOO_LARGE',
  MEDIA_TOO_MANY_PIXELS: 'MEDIA.TOO_MANY_PIXELS',
  MEDIA_CORRUPT: 'MEDIA.CORRUPT',
  MEDIA_EMPTY: 'MEDIA.EMPTY',
  MEDIA_NOT_FOUND: 'MEDIA.NOT_FOUND',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export function isErrorPayload(value: unknown): value is ErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorPayload).code === 'string' &&
    typeof (value as ErrorPayload).message === 'string'
  );
}
