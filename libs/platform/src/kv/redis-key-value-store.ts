import Redis from 'ioredis';
import { KeyValueStore } from './key-value-store';
import { redisClientOptions, withRedis } from './redis-client-options';

// INCRBY and a first-time expiry in one round trip, so a crash can never leave a counter without a window.
const INCREMENT_WITH_WINDOW = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if value == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value`;

/**
 * Shared state for several processes. Every key is prefixed with the deployment namespace. Every call is bounded
 * (REDIS_COMMAND_TIMEOUT_MS) and fails with COMMON.DEPENDENCY_UNAVAILABLE when Redis is stalled or down.
 */
export class RedisKeyValueStore extends KeyValueStore {
  constructor(private readonly redis: Redis) {
    super();
  }

  static connect(url: string, namespace: string, commandTimeoutMs: number): RedisKeyValueStore {
    const redis = new Redis(url, { ...redisClientOptions(commandTimeoutMs), keyPrefix: `${namespace}:` });
    // Failures reach callers as 503s; without a listener ioredis would print every reconnection error.
    redis.on('error', () => undefined);
    return new RedisKeyValueStore(redis);
  }

  get client(): Redis {
    return this.redis;
  }

  /** Readiness (`/health/ready`): Redis answers now. ioredis queues commands while it reconnects, so the wait is bounded. */
  async checkReady(): Promise<void> {
    await Promise.race([
      this.redis.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('Redis did not answer within 1 s')), 1000).unref()),
    ]);
  }

  async get(key: string): Promise<string | null> {
    return withRedis(() => this.redis.get(key));
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    await withRedis(() => (ttlMs ? this.redis.set(key, value, 'PX', ttlMs) : this.redis.set(key, value)));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await withRedis(() => this.redis.set(key, value, 'PX', ttlMs, 'NX'))) === 'OK';
  }

  async delete(key: string): Promise<void> {
    await withRedis(() => this.redis.del(key));
  }

  async increment(key: string, ttlMs: number, by = 1): Promise<number> {
    return Number(await withRedis(() => this.redis.eval(INCREMENT_WITH_WINDOW, 1, key, by, ttlMs)));
  }

  async ttlMs(key: string): Promise<number | null> {
    const ttl = await withRedis(() => this.redis.pttl(key));
    return ttl < 0 ? null : ttl;
  }

  async take(key: string): Promise<string | null> {
    return withRedis(() => this.redis.getdel(key));
  }

  async addToSet(key: string, members: readonly string[], ttlMs: number): Promise<void> {
    await withRedis(async () => {
      const batch = this.redis.multi();
      if (members.length) batch.sadd(key, ...members);
      batch.pexpire(key, ttlMs);
      const results = await batch.exec();
      const failed = results?.find(([error]) => error);
      if (failed) throw failed[0];
    });
  }

  async removeFromSet(key: string, members: readonly string[]): Promise<void> {
    if (members.length) await withRedis(() => this.redis.srem(key, ...members));
  }

  async setMembers(key: string): Promise<string[]> {
    return withRedis(() => this.redis.smembers(key));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
