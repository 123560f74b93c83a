import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { ErrorCodes, isErrorPayload } from '@chat/contracts/errors';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../errors/domain-error';
import { InProcessClient } from './in-process/in-process.client';
import { RmqBusClient } from './rmq/rmq-bus-client';

/** The ClientProxy of this process: in-process or RabbitMQ, chosen by configuration in TransportModule. */
export const BUS_PROXY = Symbol('BUS_PROXY');

/**
 * Requests with a deadline and events, over whichever transport this process uses. Typed clients in
 * libs/contracts wrap it; nothing else should call a ClientProxy directly.
 */
@Injectable()
export class BusClient implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(BUS_PROXY) private readonly proxy: ClientProxy,
    private readonly config: AppConfig,
  ) {}

  /** Connect at boot, not on the first send, so the first request does not pay for the handshake. */
  async onApplicationBootstrap(): Promise<void> {
    await this.proxy.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.proxy.close();
  }

  async request<TResult, TPayload = unknown>(pattern: string, payload: TPayload, timeoutMs = this.config.env.RPC_TIMEOUT_MS): Promise<TResult> {
    try {
      // In one process, the promise form of the same exchange (no Observable pipeline per request). Nil
      // payloads keep Nest's path, which refuses them.
      if (this.proxy instanceof InProcessClient && payload !== null && payload !== undefined) {
        return await this.proxy.request<TResult>(pattern, payload, timeoutMs);
      }
      // Over RabbitMQ the request expires in the queue with the caller's patience: no one runs it for nobody.
      const packet = this.proxy instanceof RmqBusClient ? this.proxy.expiring(payload, timeoutMs) : payload;
      return await firstValueFrom(this.proxy.send<TResult, unknown>(pattern, packet).pipe(timeout(timeoutMs)), {
        defaultValue: undefined as TResult,
      });
    } catch (error) {
      throw toDomainError(error, pattern, timeoutMs);
    }
  }

  /**
   * An event handed to the transport for good, for the outbox relay: over RabbitMQ it resolves once the broker has
   * confirmed the persistent message (and fails at once while disconnected), in one process once every subscriber's
   * handler has finished. Until then the event stays in the outbox and is relayed again.
   */
  async deliver<TPayload>(pattern: string, payload: TPayload): Promise<void> {
    try {
      if (this.proxy instanceof InProcessClient) return await this.proxy.deliver(pattern, payload);
      if (this.proxy instanceof RmqBusClient) return await this.proxy.publishConfirmed(pattern, payload);
      await firstValueFrom(this.proxy.emit<unknown, TPayload>(pattern, payload), { defaultValue: undefined });
    } catch (error) {
      throw toDomainError(error, pattern, 0);
    }
  }

  /** Fire-and-forget for the caller; the transport guarantees delivery to every subscribed role. */
  async publish<TPayload>(pattern: string, payload: TPayload): Promise<void> {
    try {
      if (this.proxy instanceof InProcessClient && payload !== null && payload !== undefined) return this.proxy.publishEvent(pattern, payload);
      await firstValueFrom(this.proxy.emit<unknown, TPayload>(pattern, payload), { defaultValue: undefined });
    } catch (error) {
      throw toDomainError(error, pattern, 0);
    }
  }
}

function toDomainError(error: unknown, pattern: string, timeoutMs: number): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof TimeoutError) {
    return new DomainError(ErrorCodes.TRANSPORT_TIMEOUT, `No answer to ${pattern} within ${timeoutMs} ms`);
  }
  if (isErrorPayload(error)) return DomainError.fromPayload(error);
  const text = typeof error === 'string' ? error : error instanceof Error ? error.message : '';
  if (text.includes('no matching message handler')) {
    return new DomainError(ErrorCodes.TRANSPORT_NO_HANDLER, `No handler for ${pattern}`);
  }
  return new DomainError(ErrorCodes.TRANSPORT_UNAVAILABLE, `The service behind ${pattern} is unavailable`);
}
