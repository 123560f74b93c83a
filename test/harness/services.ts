import * as amqp from 'amqplib';
import Redis from 'ioredis';

/** The real RabbitMQ and Redis of this machine; CI points these variables at them. */
export const RABBITMQ_URL = process.env.TEST_RABBITMQ_URL ?? process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Fails (never skips) when a suite's real dependency is unreachable, naming what to start. */
export async function requireRabbitMq(): Promise<void> {
  try {
    const connection = await amqp.connect(RABBITMQ_URL);
    await connection.close();
  } catch (error) {
    throw new Error(`RabbitMQ is not reachable at ${RABBITMQ_URL} (start it: rabbitmq-server -detached): ${String(error)}`);
  }
}

export async function requireRedis(): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis is not reachable at ${REDIS_URL} (start it: redis-server --daemonize yes ...): ${String(error)}`);
  } finally {
    redis.disconnect();
  }
}

/** Removes what a test deployment left on the shared broker and Redis. */
export async function cleanupNamespace(namespace: string, queues: string[]): Promise<void> {
  const connection = await amqp.connect(RABBITMQ_URL);
  const channel = await connection.createChannel();
  for (const queue of queues) await channel.deleteQueue(queue).catch(() => undefined);
  await channel.deleteExchange(`${namespace}.bus`).catch(() => undefined);
  await connection.close().catch(() => undefined);
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${namespace}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}
