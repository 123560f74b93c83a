import { ErrorCodes } from '@chat/contracts/errors';
import type { RedisOptions } from 'ioredis';
import { DomainError } from '../errors/domain-error';

/**
 * Settings of every Redis client of the server (key-value store, rate limits, Socket.IO fan-out), so none can
 * make a request wait on a stalled or stopped Redis: each command, including one queued while the client
 * reconnects, fails after `commandTimeoutMs`; reconnection goes on in the background, so everything works again
 * by itself once Redis is back.
 */
export function redisClientOptions(commandTimeoutMs: number): RedisOptions {
  return {
    commandTimeout: commandTimeoutMs,
    // Commands wait in the offline queue (bounded by the timeout) instead of failing during a brief reconnect.
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    connectTimeout: Math.max(commandTimeoutMs, 1000),
    retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
  };
}

/** What a failed Redis command becomes: a 503 with a stable code, never a 500 or an authentication error. */
export function redisUnavailable(cause: unknown): DomainError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new DomainError(ErrorCodes.DEPENDENCY_UNAVAILABLE, `Redis is unavailable (${reason}); try again shortly`);
}

/** Runs one Redis call, turning its failure into COMMON.DEPENDENCY_UNAVAILABLE. */
export async function withRedis<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw redisUnavailable(error);
  }
}
