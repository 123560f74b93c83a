import { OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { AppConfig, redisClientOptions, withRedis } from '@chat/platform';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** The Redis storage of the sign-in limits, with every count bounded in time and a Redis failure answered 503, never 500. */
export class BoundedRedisThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
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
