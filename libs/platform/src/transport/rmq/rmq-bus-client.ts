import { ErrorCodes, ErrorPayload } from '@chat/contracts/errors';
import type { Channel } from 'amqplib';
import { ClientRMQ, ReadPacket, RmqOptions, RmqRecord, RmqRecordBuilder, WritePacket } from '@nestjs/microservices';
import { from, Observable } from 'rxjs';

type AmqpConnectionManager = { isConnected(): boolean; on(event: string, listener: (...args: unknown[]) => void): void };

const unavailable = (pattern: unknown): ErrorPayload => ({
  code: ErrorCodes.TRANSPORT_UNAVAILABLE,
  message: `The message broker is unreachable; ${String(pattern)} was not sent`,
});

/**
 * Nest's RMQ client, failing fast while the broker is away.
 *
 * amqp-connection-manager queues whatever is published while disconnected and sends it after reconnecting.
 * For a request that is wrong: it would run minutes later for a caller that gave up long ago (a message
 * posted twice, say). So a request issued while disconnected fails at once with TRANSPORT.UNAVAILABLE, and
 * requests in flight when the connection drops fail at once too (their direct reply-to consumer died with it,
 * so no answer can arrive).
 *
 * For an event it is right: the publisher's change is already committed, so the event is kept and sent on
 * reconnection rather than failing the caller (it is lost only if this process stops before the broker
 * returns; closing that gap would take an outbox).
 */
export class RmqBusClient extends ClientRMQ {
  private readonly inFlight = new Map<symbol, (packet: WritePacket) => void>();

  constructor(options: RmqOptions['options']) {
    super(options ?? {});
  }

  /** True while connected to the broker (also used by /health/ready). */
  isConnected(): boolean {
    return (this.client as AmqpConnectionManager | null)?.isConnected() ?? false;
  }

  connect(): Promise<any> {
    const first = !this.client;
    const connecting = super.connect();
    if (first && this.client) {
      (this.client as AmqpConnectionManager).on('disconnect', () => this.failInFlight());
    }
    return connecting;
  }

  /**
   * A request that expires (AMQP per-message TTL) after `timeoutMs`: if its handler's service is down or
   * backlogged, the broker drops it once the caller has given up, instead of running it minutes later.
   * The expiry survives a requeue, so a request redelivered after a crash does not outlive its deadline either.
   */
  expiring<T>(payload: T, timeoutMs: number): RmqRecord<T> {
    // mandatory: a request no queue is bound for comes back at once (see setupChannel) instead of vanishing.
    return new RmqRecordBuilder(payload).setOptions({ expiration: String(Math.max(1, Math.ceil(timeoutMs))), mandatory: true }).build();
  }

  /**
   * Runs on every (re)connection. A mandatory request that no role's queue is bound for (no service with that
   * handler was ever started) is returned by the broker: answer it with TRANSPORT.NO_HANDLER, as the
   * in-process transport does, rather than letting the caller wait for its deadline.
   */
  async setupChannel(channel: Channel, resolve: Function): Promise<void> {
    channel.on('return', (returned: { fields: { routingKey: string }; properties: { correlationId?: string } }) => {
      const id = returned.properties.correlationId;
      if (!id) return;
      const err: ErrorPayload = { code: ErrorCodes.TRANSPORT_NO_HANDLER, message: `No handler for ${returned.fields.routingKey}` };
      this.responseEmitter.emit(id, { content: Buffer.from(JSON.stringify({ id, err, isDisposed: true })) });
    });
    return super.setupChannel(channel, resolve);
  }

  protected publish(message: ReadPacket, callback: (packet: WritePacket) => any): () => void {
    if (!this.isConnected()) {
      callback({ err: unavailable(message.pattern), isDisposed: true });
      return () => undefined;
    }
    const key = Symbol(String(message.pattern));
    const settle = (packet: WritePacket) => {
      if (packet.isDisposed || packet.err) this.inFlight.delete(key);
      return callback(packet);
    };
    this.inFlight.set(key, () => settle({ err: unavailable(message.pattern), isDisposed: true }));
    const unsubscribe = super.publish(message, settle);
    return () => {
      this.inFlight.delete(key);
      unsubscribe();
    };
  }

  /** Events never wait for, nor fail on, a lost connection (Nest's emit would reject on its connect step). */
  emit<TResult = any, TInput = any>(pattern: any, data: TInput): Observable<TResult> {
    if (!this.channel) return super.emit(pattern, data);
    return from(this.dispatchEvent({ pattern, data })) as Observable<TResult>;
  }

  protected async dispatchEvent(packet: ReadPacket): Promise<any> {
    if (this.isConnected()) return super.dispatchEvent(packet);
    // The channel wrapper holds it and publishes it once reconnected.
    super.dispatchEvent(packet).catch((err: unknown) => this.logger.error({ err, pattern: packet.pattern }, 'Event held during an outage was lost'));
    this.logger.warn(`Broker unreachable: event ${String(packet.pattern)} held until reconnection`);
  }

  /** Resolves once the broker has confirmed the persistent event; fails at once while disconnected (the outbox keeps it). */
  async publishConfirmed(pattern: string, data: unknown): Promise<void> {
    if (!this.channel && !this.client) await this.connect();
    if (!this.isConnected()) throw unavailable(pattern);
    await super.dispatchEvent({ pattern, data });
  }

  private failInFlight(): void {
    const pending = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const fail of pending) fail({ isDisposed: true });
  }
}
