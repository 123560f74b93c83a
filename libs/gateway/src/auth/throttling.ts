import { OnModuleDestroy } from '@nestjs/common';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { AppConfig, redisClientOptions, withRedis } from '@chat/platform';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** The Redis storage, with every count bounded in time and a Redis failure answered 503, never 500. */
class BoundedRedisThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly redis: ThrottlerStorageRedisService;

  constructor(config: AppConfig) {
    this.redis = new ThrottlerStorageRedisService(config.env.REDIS_URL!, {
      ...redisClientOptions(config.env.REDIS_COMMAND_TIMEOUT_MS),
      keyPrefix: `${config.env.NAMESPACE}:throttle:`,
    });
    this.redis.redis.on('error', () => undefined);
  }

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    return withRedis(() => this.redis.increment(key, ttl, limit, blockDuration, throttlerName));
  }

  onModuleDestroy(): void {
    this.redis.onModuleDestroy();
  }
}

/**
 * Per-IP limits of the sign-in routes. With Redis the counters are shared, so several gateway processes
 * enforce one limit together; without it (one process) they live in memory.
 */
export function throttlerModule(config: AppConfig) {
  return ThrottlerModule.forRootAsync({
    useFactory: () => ({
      throttlers: [{ name: 'auth', ttl: 60_000, limit: config.env.AUTH_RATE_LIMIT_PER_MINUTE }],
      storage: config.env.REDIS_URL ? new BoundedRedisThrottlerStorage(config) : undefined,
    }),
  });
}
