import { Injectable } from '@nestjs/common';
import { ErrorCodes } from '@chat/contracts';
import { AppConfig, DomainError, KeyValueStore } from '@chat/platform';

/**
 * At most USER_SEND_LIMIT messages per user per USER_SEND_WINDOW_SECONDS, over all their sockets and REST together.
 * The per-socket bucket alone let one user open ten sockets and send ten times as much. The count lives in the
 * shared store (memory in one process, Redis when split), so every gateway draws from the same budget.
 */
@Injectable()
export class UserSendLimiter {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly config: AppConfig,
  ) {}

  /** Counts one send; COMMON.RATE_LIMITED (with `retryAfterSeconds`) past the budget. */
  async take(userId: string): Promise<void> {
    const windowMs = this.config.env.USER_SEND_WINDOW_SECONDS * 1000;
    const key = `gateway:user-sends:${userId}`;
    const sent = await this.kv.increment(key, windowMs);
    if (sent <= this.config.env.USER_SEND_LIMIT) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(((await this.kv.ttlMs(key)) ?? windowMs) / 1000));
    throw new DomainError(ErrorCodes.RATE_LIMITED, `Too many messages; send again in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}
