import { createAdapter } from '@socket.io/redis-streams-adapter';
import Redis from 'ioredis';
import { type AppConfig, redisClientOptions } from '@chat/platform';

/**
 * The Streams adapter fires SET (a dropped socket's session) and PUBLISH without waiting for them. With a command
 * timeout they can now fail, and a rejection nobody listens to would end the process: mark them observed (the
 * promise handed back still rejects for callers that do wait).
 */
function observeFireAndForget(redis: Redis): void {
  for (const name of ['set', 'publish'] as const) {
    const original = (redis[name] as (...args: unknown[]) => Promise<unknown>).bind(redis);
    (redis as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const result = original(...args);
      result.catch(() => undefined);
      return result;
    };
  }
}

/**
 * Several gateway processes delivering to each other's sockets (REDIS_URL): the Socket.IO Redis Streams adapter,
 * which, unlike the classic Redis adapter, can recover connection state. Required by RealtimeIoAdapter only when
 * Redis is configured, so one process on the embedded defaults loads neither ioredis nor the adapter.
 */
export class RedisStreamsFanout {
  private constructor(
    private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Connected before Nest creates the server, so the first socket already goes through the adapter. */
  static async connect(config: AppConfig): Promise<RedisStreamsFanout> {
    const redis = new Redis(config.env.REDIS_URL!, { ...redisClientOptions(config.env.REDIS_COMMAND_TIMEOUT_MS), lazyConnect: true });
    redis.on('error', () => undefined);
    observeFireAndForget(redis);
    await redis.connect();
    return new RedisStreamsFanout(redis, config);
  }

  /** The adapter for one Socket.IO server, its streams and keys in the deployment's namespace. */
  adapter(): ReturnType<typeof createAdapter> {
    const ns = this.config.env.NAMESPACE;
    return createAdapter(this.redis, {
      streamName: `${ns}:socket.io`,
      channelPrefix: `${ns}:socket.io`,
      sessionKeyPrefix: `${ns}:sio:session:`,
      maxLen: 100_000,
      onlyPlaintext: true,
      // The stream readers share the client's command timeout (a stalled Redis must not hold a reconnecting
      // socket's session restore), so each blocking read ends well before it.
      blockTimeInMs: Math.max(25, Math.floor(this.config.env.REDIS_COMMAND_TIMEOUT_MS / 2)),
    });
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
