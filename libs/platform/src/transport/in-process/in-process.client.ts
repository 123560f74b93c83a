import { ClientProxy, ReadPacket, WritePacket } from '@nestjs/microservices';
import { TimeoutError } from 'rxjs';
import type { InProcessBroker } from './in-process.broker';

/** A ClientProxy that talks to this process's role servers, asynchronously, handing payloads over as they are. */
export class InProcessClient extends ClientProxy {
  constructor(private readonly broker: InProcessBroker) {
    super();
  }

  async connect(): Promise<void> {}

  async close(): Promise<void> {}

  unwrap<T>(): T {
    return this.broker as T;
  }

  on(): void {}

  /**
   * send() as a promise, for BusClient: the same later-tick delivery and the same reading of the reply packets as
   * ClientProxy.createObserver + firstValueFrom + timeout() (the first packet settles it: `err` rejects, anything
   * else resolves with `response`; no packet in time rejects with rxjs' TimeoutError), without building an
   * Observable pipeline per request.
   */
  request<T>(pattern: string, data: unknown, timeoutMs: number): Promise<T> {
    this.broker.check(data, `request ${pattern}`);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new TimeoutError());
      }, timeoutMs);
      setImmediate(() =>
        this.broker.request(pattern, data, ({ err, response }) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (err) reject(err);
          else resolve(response as T);
        }),
      );
    });
  }

  /** An event, resolved once every subscriber has handled it (the outbox relay's delivery). */
  deliver(pattern: string, data: unknown): Promise<void> {
    return this.broker.deliver(pattern, data);
  }

  /** emit() without the Subject per event. */
  publishEvent(pattern: string, data: unknown): void {
    this.broker.check(data, `event ${pattern}`);
    this.broker.publish(pattern, data);
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    this.broker.check(packet.data, `request ${packet.pattern}`);
    let listening = true;
    setImmediate(() =>
      this.broker.request(packet.pattern, packet.data, (reply) => {
        if (listening) callback(reply);
      }),
    );
    return () => {
      listening = false;
    };
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    this.publishEvent(packet.pattern, packet.data);
    return undefined as T;
  }
}
