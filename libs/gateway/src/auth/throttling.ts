import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '@chat/platform';

/**
 * Per-IP limits of the sign-in routes. With Redis the counters are shared, so several gateway processes
 * enforce one limit together; without it (one process) they live in memory, and the Redis storage (ioredis with it)
 * is not even loaded.
 */
export function throttlerModule(config: AppConfig) {
  return ThrottlerModule.forRootAsync({
    useFactory: () => ({
      throttlers: [{ name: 'auth', ttl: 60_000, limit: config.env.AUTH_RATE_LIMIT_PER_MINUTE }],
      storage: config.env.REDIS_URL
        ? new (require('./redis-throttler-storage') as typeof import('./redis-throttler-storage')).BoundedRedisThrottlerStorage(config)
        : undefined,
    }),
  });
}
