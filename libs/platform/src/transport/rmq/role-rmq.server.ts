import { Role } from '@chat/contracts/roles';
import { RmqContext, ServerRMQ } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { AppConfig } from '../../config/app-config';
import { roleTransportId } from '../role-handlers';
import { rmqTopology } from './rmq-topology';

type AmqpMessage = { content: Buffer; properties: Record<string, any>; fields: Record<string, any> };
type AmqpChannel = {
  ack(message: AmqpMessage): void;
  nack(message: AmqpMessage, allUpTo?: boolean, requeue?: boolean): void;
  sendToQueue(queue: string, content: Buffer, options?: Record<string, unknown>): boolean;
  assertQueue(queue: string, options?: Record<string, unknown>): Promise<unknown>;
};

const RETRY_HEADER = 'x-chat-deliveries';

/**
 * Nest's RMQ server for one role, with acknowledgements after the work is done:
 * - a request is acked once its reply (result or `{code, message}`) has been sent;
 * - an event is acked after its handler finished; a failing one is retried with backoff through the role's
 *   retry queue and, after RABBITMQ_MAX_DELIVERIES, parked in the role's dead-letter queue.
 */
export class RoleRmqServer extends ServerRMQ {
  private readonly topology: ReturnType<typeof rmqTopology>;

  constructor(
    private readonly config: AppConfig,
    readonly role: Role,
  ) {
    const topology = rmqTopology(config);
    super({
      urls: [topology.url],
      queue: topology.queue(role),
      queueOptions: { durable: true },
      exchange: topology.exchange,
      exchangeType: 'topic',
      wildcards: true,
      noAck: false,
      prefetchCount: config.env.RABBITMQ_PREFETCH,
      socketOptions: { heartbeatIntervalInSeconds: 5, reconnectTimeInSeconds: 1 },
    });
    (this as { transportId: symbol }).transportId = roleTransportId(role);
    this.topology = topology;
  }

  async setupChannel(channel: AmqpChannel, callback: () => void): Promise<void> {
    await channel.assertQueue(this.topology.deadLetterQueue(this.role), { durable: true });
    // Messages wait here for their backoff (per-message expiration), then dead-letter back to the role queue.
    await channel.assertQueue(this.topology.retryQueue(this.role), {
      durable: true,
      deadLetterExchange: '',
      deadLetterRoutingKey: this.topology.queue(this.role),
    });
    return super.setupChannel(channel, callback);
  }

  sendMessage<T>(message: T, replyTo: string, correlationId: string, context: RmqContext): void {
    super.sendMessage(message, replyTo, correlationId, context);
    // A request is answered exactly once; Nest sends the reply and then a disposal packet only for streams.
    const original = context.getMessage() as AmqpMessage & { acked?: boolean };
    if (!original.acked) {
      original.acked = true;
      this.channel.ack(original);
    }
  }

  async handleEvent(pattern: string, packet: { data: unknown }, context: RmqContext): Promise<any> {
    const message = context.getMessage() as AmqpMessage;
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) {
      this.logger.warn(`No handler for event ${pattern} on ${this.role}; dead-lettered`);
      this.deadLetter(message);
      return;
    }
    try {
      const result = await handler(packet.data, context);
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      this.channel.ack(message);
    } catch (error) {
      this.retryOrDeadLetter(message, pattern, error);
    }
  }

  private retryOrDeadLetter(message: AmqpMessage, pattern: string, error: unknown): void {
    const deliveries = Number(message.properties.headers?.[RETRY_HEADER] ?? 1);
    if (deliveries >= this.config.env.RABBITMQ_MAX_DELIVERIES) {
      this.logger.error({ err: error, pattern, deliveries }, `Event ${pattern} failed ${deliveries} times; dead-lettered`);
      this.deadLetter(message);
      return;
    }
    const backoffMs = Math.min(30_000, 250 * 2 ** (deliveries - 1));
    this.logger.warn({ err: error, pattern, deliveries, backoffMs }, `Event ${pattern} failed; retrying`);
    this.channel.sendToQueue(this.topology.retryQueue(this.role), message.content, {
      ...message.properties,
      persistent: true,
      expiration: String(backoffMs),
      headers: { ...message.properties.headers, [RETRY_HEADER]: deliveries + 1 },
    });
    this.channel.ack(message);
  }

  private deadLetter(message: AmqpMessage): void {
    this.channel.sendToQueue(this.topology.deadLetterQueue(this.role), message.content, { ...message.properties, persistent: true });
    this.channel.ack(message);
  }
}
