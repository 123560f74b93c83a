import { ClientProxy, ReadPacket, WritePacket } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { TimeoutError } from 'rxjs';
import { jsonRoundTrip } from '../json-round-trip';
import type { InProcessBroker } from './in-process.broker';

/** A ClientProxy that talks to this process's role servers, asynchronously and through JSON. */
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
   * send() as a promise, for BusClient: the same JSON copy, the same later-tick delivery, the same reading of
   * the reply packets as ClientProxy.createObserver + firstValueFrom + timeout() (the first packet settles it:
   * `err` rejects, anything else resolves with `response`; no packet in time rejects with rxjs' TimeoutError),
   * without building an Observable pipeline per request.
   */
  request<T>(pattern: string, data: unknown, timeoutMs: number): Promise<T> {
    const request = jsonRoundTrip({ pattern, data });
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new TimeoutError());
      }, timeoutMs);
      setImmediate(() =>
        this.broker.request(randomUUID(), request.pattern, request.data, ({ err, response }) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (err) reject(err);
          else resolve(response as T);
        }),
      );
    });
  }

  /** emit() without the Subject per event: the same copy and delivery as dispatchEvent. */
  publishEvent(pattern: string, data: unknown): void {
    this.broker.publish(pattern, JSON.stringify(data));
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const request = jsonRoundTrip(packet);
    let listening = true;
    setImmediate(() =>
      this.broker.request(randomUUID(), request.pattern, request.data, (reply) => {
        if (listening) callback(reply);
      }),
    );
    return () => {
      listening = false;
    };
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    // Serialized once here (so a value JSON cannot carry fails at the publisher, and later mutations by the
    // publisher do not leak); each subscriber parses its own copy of this text: the same values as one JSON
    // round trip per subscriber, at the cost of one parse each.
    this.broker.publish(packet.pattern, JSON.stringify(packet.data));
    return undefined as T;
  }
}
