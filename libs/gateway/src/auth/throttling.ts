import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { AppConfig } from '@chat/platform';

/**
 * Per-IP limits of the sign-in routes. With Redis the counters are shared, so several gateway processes
 * enforce one limit together; without it (one process) they live in memory.
 */
export function throttlerModule(config: AppConfig) {
  return ThrottlerModule.forRootAsync({
    useFactory: () => ({
      throttlers: [{ name: 'auth', ttl: 60_000, limit: config.env.AUTH_RATE_LIMIT_PER_MINUTE }],
      storage: config.env.REDIS_URL
        ? new ThrottlerStorageRedisService(config.env.REDIS_URL, { keyPrefix: `${config.env.NAMESPACE}:throttle:`, maxRetriesPerRequest: 2 })
        : undefined,
    }),
  });
}
