import { Injectable, Logger } from '@nestjs/common';
import { ErrorCodes } from '@chat/contracts/errors';
import type { WritePacket } from '@nestjs/microservices';
import { DomainError } from '../../errors/domain-error';
import { assertPlainJson } from '../plain-json';
import type { InProcessServer } from './in-process.server';
import type { LocalRoutes, ThreadPeer } from './thread-peer';

/**
 * The switchboard between in-process clients and the role servers of this process.
 * One per application instance (not a module-level singleton), so several apps in one test process stay apart.
 *
 * Payloads are handed over as they are, not copied: inside one process a module call costs a function call.
 * Handlers therefore never mutate what they receive or return. `assertJson` (TRANSPORT_ASSERT_JSON, on in the
 * one-process end-to-end runs) checks that every payload is plain JSON, so what works here works split.
 */
@Injectable()
export class InProcessBroker implements LocalRoutes {
  private readonly logger = new Logger('InProcessBroker');
  private readonly servers = new Set<InProcessServer>();
  /** The process's other thread, when it runs some roles (MODULE_THREAD): patterns no server here handles go there. */
  private peer: ThreadPeer | null = null;

  constructor(readonly assertJson = false) {}

  connect(peer: ThreadPeer): void {
    this.peer = peer;
    peer.bind(this);
  }

  /** Tells the other thread what this one's servers handle (once they listen), and waits for its own answer. */
  async announceToPeer(): Promise<void> {
    if (!this.peer) return;
    this.peer.announce([...this.servers].flatMap((server) => server.patterns()));
    await this.peer.ready;
  }

  attach(server: InProcessServer): void {
    this.servers.add(server);
  }

  detach(server: InProcessServer): void {
    this.servers.delete(server);
  }

  /** Throws (in checking mode) unless `value` would cross RabbitMQ unchanged. */
  check(value: unknown, where: string): void {
    if (!this.assertJson || value === undefined) return;
    try {
      assertPlainJson(value, where);
    } catch (error) {
      // A programming error of the caller's, told to it as such (and logged by whoever catches it).
      throw new DomainError(ErrorCodes.INTERNAL, (error as Error).message);
    }
  }

  /** Routes a request to the one server that answers `pattern`, here or on the other thread; replies arrive through `reply`. */
  request(pattern: string, data: unknown, reply: (packet: WritePacket) => void): void {
    const peer = this.peer;
    if (!peer || this.serverFor(pattern)) return this.requestLocal(pattern, data, reply);
    void peer.ready.then(() => (peer.answers(pattern) ? peer.request(pattern, data, reply) : this.requestLocal(pattern, data, reply)));
  }

  private serverFor(pattern: string): InProcessServer | undefined {
    for (const candidate of this.servers) if (candidate.answers(pattern)) return candidate;
    return undefined;
  }

  /** A request for this thread's servers only. */
  requestLocal(pattern: string, data: unknown, reply: (packet: WritePacket) => void): void {
    const server = this.serverFor(pattern);
    if (!server) {
      reply({ err: { code: ErrorCodes.TRANSPORT_NO_HANDLER, message: `No handler for ${pattern}` }, isDisposed: true });
      return;
    }
    server.handleRequest(pattern, data, reply).catch((err) => {
      this.logger.error({ err, pattern }, 'In-process request failed');
      reply({ err: { code: ErrorCodes.INTERNAL, message: 'Internal error' }, isDisposed: true });
    });
  }

  /**
   * Every server subscribed to the event gets it, each on a later tick, as a broker would deliver it. Resolves when
   * every subscriber's handler has finished and rejects if one failed: the outbox relay removes an event only then.
   */
  async deliver(pattern: string, data: unknown): Promise<void> {
    this.check(data, `event ${pattern}`);
    const peer = this.peer;
    const deliveries = this.localDeliveries(pattern, data);
    if (peer) deliveries.push(peer.ready.then(() => (peer.answers(pattern) ? peer.deliver(pattern, data) : undefined)));
    await settleAll(deliveries);
  }

  /**
   * An event from the other thread for this thread's subscribers. The other thread counted on one here, so finding
   * none (its servers have closed: shutting down) fails, and the event stays in the outbox.
   */
  async deliverLocal(pattern: string, data: unknown): Promise<void> {
    const deliveries = this.localDeliveries(pattern, data);
    if (deliveries.length === 0) throw { code: ErrorCodes.TRANSPORT_UNAVAILABLE, message: `Nothing here takes ${pattern} any more` };
    await settleAll(deliveries);
  }

  private localDeliveries(pattern: string, data: unknown): Promise<void>[] {
    const deliveries: Promise<void>[] = [];
    for (const server of this.servers) {
      if (server.answers(pattern)) deliveries.push(new Promise((resolve) => setImmediate(resolve)).then(() => server.handleIncomingEvent(pattern, data)));
    }
    return deliveries;
  }

  /** Fire-and-forget delivery (events with no outbox behind them): failures are logged. */
  publish(pattern: string, data: unknown): void {
    this.deliver(pattern, data).catch((err) => this.logger.error({ err, pattern }, 'In-process event handler failed'));
  }
}

/** Waits for every delivery, and fails with the first failure (the outbox relay then delivers it again). */
async function settleAll(deliveries: Promise<void>[]): Promise<void> {
  // One subscriber (most events on a thread): its own outcome, without allSettled's array of results.
  if (deliveries.length === 1) return deliveries[0];
  const results = await Promise.allSettled(deliveries);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
