import { ErrorCodes } from '@chat/contracts/errors';
import { Role } from '@chat/contracts/roles';
import { OutgoingResponse, RmqContext, ServerRMQ } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { isObservable, lastValueFrom } from 'rxjs';
import { AppConfig } from '../../config/app-config';
import { roleTransportId } from '../role-handlers';
import { rmqTopology } from './rmq-topology';

type AmqpMessage = { content: Buffer; properties: Record<string, any>; fields: Record<string, any> };
/** The raw amqplib (confirm) channel a message arrived on. */
type AmqpChannel = {
  ack(message: AmqpMessage): void;
  cancel(consumerTag: string): Promise<unknown>;
  sendToQueue(queue: string, content: Buffer, options?: Record<string, unknown>, confirmed?: (err: unknown) => void): boolean;
  assertQueue(queue: string, options?: Record<string, unknown>): Promise<unknown>;
};

const RETRY_HEADER = 'x-chat-deliveries';
const MAX_BACKOFF_MS = 30_000;

/** Backoff before the n-th redelivery of a failed event: 250 ms, 500 ms, 1 s, … capped at 30 s. */
export function eventBackoffMs(deliveries: number): number {
  return Math.min(MAX_BACKOFF_MS, 250 * 2 ** (deliveries - 1));
}

/**
 * How many tries an event has had, from its `x-chat-deliveries` header: 1 when absent, null when the header is
 * not something this server wrote (a positive safe integer, as a number or digits). Anyone can publish to the
 * exchange; a header like "abc" or "1.5" must never reach arithmetic (NaN or fractional expirations make amqplib
 * throw or the broker close the channel), so such an event is treated as poison and dead-lettered at once.
 */
export function deliveriesOf(headers: Record<string, unknown> | undefined): number | null {
  const raw = headers?.[RETRY_HEADER];
  if (raw === undefined || raw === null) return 1;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^[0-9]{1,15}$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(value) && value >= 1 ? value : null;
}

/**
 * Nest's RMQ server for one role, with acknowledgements after the work is done:
 * - a request is acked once its reply (result or `{code, message}`) has been sent, so a crash mid-handler
 *   leaves it on the queue for another instance;
 * - an event is acked after its handler finished; a failing one is retried with backoff through the role's
 *   retry queue and, after RABBITMQ_MAX_DELIVERIES, parked in the role's dead-letter queue; a redelivery
 *   (the consumer died mid-handler) counts as a try too;
 * - every message is settled exactly once, whatever happens (unknown pattern, unreadable body, thrown error),
 *   because an unsettled message holds a prefetch slot forever and enough of them freeze the consumer.
 *
 * Settling always happens on the raw channel the message arrived on. After a reconnect Nest's channel wrapper
 * points at a NEW channel, where an old delivery tag is a protocol error that closes the channel for good;
 * on the old, closed channel the ack simply fails and the broker redelivers the message (at least once).
 */
export class RoleRmqServer extends ServerRMQ {
  private readonly topology: ReturnType<typeof rmqTopology>;
  private readonly settled = new WeakSet<AmqpMessage>();
  private readonly finished = new WeakSet<AmqpMessage>();
  private readonly consumerTag: string;
  /** The raw channel of the current connection, where the consumer lives. */
  private consuming: AmqpChannel | null = null;
  private inFlight = 0;
  /** Messages of the current channel that could not be settled (a copy the live channel refused): not ready. */
  private readonly stuck = new Set<AmqpMessage>();
  private readonly whenIdle: (() => void)[] = [];

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
      // Our own tag, so shutdown can cancel exactly this consumer.
      consumerTag: `${topology.queue(role)}.${randomUUID()}`,
    });
    (this as { transportId: symbol }).transportId = roleTransportId(role);
    this.topology = topology;
    this.consumerTag = (this.options as { consumerTag: string }).consumerTag;
  }

  /**
   * Graceful stop: cancel the consumer first (no new work; the broker gives queued messages to other
   * instances), let the handlers in flight finish and settle (up to SHUTDOWN_GRACE_MS), then close.
   * Nest closes microservices after the HTTP server has drained, and before the modules' shutdown hooks
   * close their databases, so a handler never loses its database mid-work.
   */
  async close(): Promise<void> {
    const channel = this.consuming;
    this.consuming = null;
    if (channel) await channel.cancel(this.consumerTag).catch(() => undefined);
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.config.env.SHUTDOWN_GRACE_MS);
        this.whenIdle.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await super.close();
  }

  /** True while this role's consumer has a broker connection (a readiness probe). */
  isConnected(): boolean {
    return (this.server as { isConnected?: () => boolean } | null)?.isConnected?.() ?? false;
  }

  /**
   * How many messages hold a prefetch slot on the live channel because they could not be settled. Readiness
   * fails while there are any: enough of them freeze the consumer, and only a new channel (the broker then
   * redelivers them) frees their slots.
   */
  unsettledCount(): number {
    return this.stuck.size;
  }

  /** Runs on every (re)connection: the role's side queues exist before its consumer starts. */
  async setupChannel(channel: AmqpChannel, callback: () => void): Promise<void> {
    await channel.assertQueue(this.topology.deadLetterQueue(this.role), { durable: true });
    // Messages wait here for their backoff (per-message expiration), then dead-letter back to the role queue.
    // RabbitMQ expires only the head of a queue, so a short backoff can wait behind a longer one (30 s at most):
    // a delay, never a loss, and one queue per role keeps the topology simple.
    await channel.assertQueue(this.topology.retryQueue(this.role), {
      durable: true,
      deadLetterExchange: '',
      deadLetterRoutingKey: this.topology.queue(this.role),
    });
    this.consuming = channel;
    // A new channel: the broker redelivers whatever the old one left unsettled.
    this.stuck.clear();
    return super.setupChannel(channel, callback);
  }

  async handleMessage(received: Record<string, any> | null, channel: AmqpChannel): Promise<void> {
    const message = received as AmqpMessage | null;
    if (!message) return; // the broker cancelled the consumer
    this.inFlight++;
    let packet: { id?: string; pattern?: unknown };
    try {
      packet = JSON.parse(message.content.toString());
    } catch {
      packet = {};
    }
    const isRequest = typeof packet === 'object' && packet !== null && packet.id !== undefined;
    if (typeof packet !== 'object' || packet === null || typeof packet.pattern !== 'string' || (isRequest && !message.properties.replyTo)) {
      this.logger.error(`Unreadable message on ${this.topology.queue(this.role)}; dead-lettered`);
      await this.deadLetter(message, channel);
      return;
    }
    // A durable queue keeps bindings from earlier versions: answer a request nobody here handles, never leave it.
    if (packet.id !== undefined && !this.getHandlerByPattern(packet.pattern)) {
      this.logger.warn(`No handler for request ${packet.pattern} on ${this.role}`);
      const context = new RmqContext([message, channel, packet.pattern]);
      this.sendMessage(
        { id: packet.id, err: { code: ErrorCodes.TRANSPORT_NO_HANDLER, message: `No handler for ${packet.pattern}` }, isDisposed: true },
        message.properties.replyTo,
        message.properties.correlationId,
        context,
      );
      return;
    }
    try {
      await super.handleMessage(message, channel);
    } catch (error) {
      this.logger.error({ err: error }, `Message on ${this.role} failed outside its handler; dead-lettered`);
      await this.deadLetter(message, channel);
    }
  }

  /**
   * Replies on the channel the request came in on and acks the request once the broker confirmed the reply,
   * so a connection lost in between leaves the request to be redelivered, never half-answered. A request is answered
   * exactly once (Nest sends a second, disposal packet only for streams; `ack` ignores it).
   */
  sendMessage<T>(message: T, replyTo: string, correlationId: string, context: RmqContext): void {
    const request = context.getMessage() as AmqpMessage;
    const channel = context.getChannelRef() as AmqpChannel;
    const outgoing = this.serializer.serialize(message as unknown as OutgoingResponse) as { options?: Record<string, unknown> };
    const { options, ...packet } = outgoing;
    this.onProcessingEndHook?.(this.transportId, context);
    const confirmed = (err: unknown) => {
      // On a dead channel the ack fails and the request is redelivered; on a live one a reply the broker
      // refused is not worth a prefetch slot held forever: the caller's deadline answers it.
      if (err) this.logger.error({ err }, 'Reply not confirmed by the broker');
      this.ack(request, channel);
    };
    try {
      channel.sendToQueue(replyTo, Buffer.from(JSON.stringify(packet)), { correlationId, ...options }, confirmed);
    } catch (error) {
      confirmed(error ?? new Error('Channel closed'));
    }
  }

  async handleEvent(pattern: string, packet: { data: unknown }, context: RmqContext): Promise<void> {
    const message = context.getMessage() as AmqpMessage;
    const channel = context.getChannelRef() as AmqpChannel;
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) {
      this.logger.warn(`No handler for event ${pattern} on ${this.role}; dead-lettered`);
      await this.deadLetter(message, channel);
      return;
    }
    if (deliveriesOf(message.properties.headers) === null) {
      this.logger.error({ pattern, header: String(message.properties.headers?.[RETRY_HEADER]).slice(0, 64) }, `Event ${pattern} has an unreadable ${RETRY_HEADER} header; dead-lettered`);
      await this.deadLetter(message, channel);
      return;
    }
    if (message.fields.redelivered) {
      await this.countRedelivery(message, channel, pattern);
      return;
    }
    try {
      const result = await handler(packet.data, context);
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      this.ack(message, channel);
    } catch (error) {
      await this.retryOrDeadLetter(message, channel, pattern, error);
    }
  }

  private async retryOrDeadLetter(message: AmqpMessage, channel: AmqpChannel, pattern: string, error: unknown): Promise<void> {
    // handleEvent dead-lettered an unreadable header before the handler ran.
    const deliveries = deliveriesOf(message.properties.headers) ?? this.config.env.RABBITMQ_MAX_DELIVERIES;
    if (deliveries >= this.config.env.RABBITMQ_MAX_DELIVERIES) {
      this.logger.error({ err: error, pattern, deliveries }, `Event ${pattern} failed ${deliveries} times; dead-lettered`);
      await this.deadLetter(message, channel);
      return;
    }
    const backoffMs = eventBackoffMs(deliveries);
    this.logger.warn({ err: error, pattern, deliveries, backoffMs }, `Event ${pattern} failed; retrying in ${backoffMs} ms`);
    await this.republish(message, channel, this.topology.retryQueue(this.role), {
      expiration: String(backoffMs),
      headers: { ...message.properties.headers, [RETRY_HEADER]: deliveries + 1 },
    });
  }

  /**
   * The broker handed the event back without a verdict: its consumer died or lost the connection mid-handler.
   * That counts as a try, recorded in a fresh copy at the back of the queue, so an event that crashes its
   * process is dead-lettered after RABBITMQ_MAX_DELIVERIES instead of crashing every instance forever.
   */
  private async countRedelivery(message: AmqpMessage, channel: AmqpChannel, pattern: string): Promise<void> {
    const deliveries = (deliveriesOf(message.properties.headers) ?? this.config.env.RABBITMQ_MAX_DELIVERIES) + 1;
    if (deliveries > this.config.env.RABBITMQ_MAX_DELIVERIES) {
      this.logger.error({ pattern, deliveries }, `Event ${pattern} was redelivered ${deliveries - 1} times unsettled; dead-lettered`);
      await this.deadLetter(message, channel);
      return;
    }
    await this.republish(message, channel, this.topology.queue(this.role), {
      headers: { ...message.properties.headers, [RETRY_HEADER]: deliveries },
    });
  }

  private async deadLetter(message: AmqpMessage, channel: AmqpChannel): Promise<void> {
    await this.republish(message, channel, this.topology.deadLetterQueue(this.role), {});
  }

  /**
   * Copies the message to `queue` and acks the original only once the broker confirmed the copy, on the same
   * channel: if the channel dies in between, the original is redelivered rather than lost.
   */
  private async republish(message: AmqpMessage, channel: AmqpChannel, queue: string, overrides: Record<string, unknown>): Promise<void> {
    const { expiration: _expiration, ...properties } = message.properties;
    try {
      await new Promise<void>((resolve, reject) => {
        channel.sendToQueue(queue, message.content, { ...properties, persistent: true, ...overrides }, (err) => (err ? reject(err) : resolve()));
      });
    } catch (error) {
      this.logger.error({ err: error, queue }, 'Could not move a message; it stays unacked and will be redelivered');
      // On a closed channel the broker redelivers it; on the live one it holds a slot until the channel is renewed.
      if (channel === this.consuming) this.stuck.add(message);
      this.done(message);
      return;
    }
    this.ack(message, channel);
  }

  private ack(message: AmqpMessage, channel: AmqpChannel): void {
    if (this.settled.has(message)) return;
    this.settled.add(message);
    try {
      channel.ack(message);
    } catch {
      // The channel closed under us (broker restart): the broker redelivers the message; nothing to do here.
    }
    this.done(message);
  }

  /** One message fewer in flight (each message counts once, whichever way it ended). */
  private done(message: AmqpMessage): void {
    if (this.finished.has(message)) return;
    this.finished.add(message);
    this.inFlight--;
    if (this.inFlight === 0) this.whenIdle.splice(0).forEach((resolve) => resolve());
  }
}
