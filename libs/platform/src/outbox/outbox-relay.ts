import { Logger, OnApplicationBootstrap, OnApplicationShutdown, Provider } from '@nestjs/common';
import { Metrics } from '../metrics/metrics';
import { BusClient as BusClientToken } from '../transport/bus-client';
import { OutboxStore, PendingOutboxEvent } from './outbox-event';

export interface OutboxRelayOptions {
  /** Events read and handed to the transport at once. */
  batch?: number;
  /** How often the relay looks for events nobody kicked it for (a restart, another instance's, a failed try). */
  pollMs?: number;
  /** Tries of one event before it is logged with its payload and given up (a poison event must not stall the rest). */
  maxTries?: number;
}

/** What the relay reports as it goes (the Metrics service is one). */
export interface OutboxRelayObserver {
  /** Events waiting in the outbox (as far as the relay has seen). */
  setOutboxPending(module: string, count: number): void;
  /** Age of the oldest event not yet relayed, in seconds; 0 when none waits. */
  setOutboxRelayLag(module: string, seconds: number): void;
}

/** A pass over the outbox: what commits recorded since the last one (a kick), or everything (the poll). */
type PassScope = 'new' | 'all';

/**
 * Relays a module's outbox to the transport after commit: events recorded in the same transaction as their change
 * are handed over in recording order, and removed only once the transport has them for good (BusClient.deliver).
 * A crash anywhere in between leaves them in the outbox, and the relay hands them over again after the restart:
 * at least once, so every consumer is idempotent.
 *
 * Writers call `kick()` after their commit, so an event leaves at once; the poll catches the rest.
 *
 * Streaming, not in rounds: a kicked pass reads only what was recorded after the newest event it has handed over
 * (a cursor) and hands it over without waiting for the deliveries before it; each event is removed once delivered.
 * So each commit's events leave right after that commit, in batches the size of the commit. Why: when a pass waited
 * for its whole batch before reading again, everything recorded meanwhile left together in the next pass, batches
 * grew with the load, and each landed on the subscribers (the gateway's fan-out) as one long burst that held up
 * everything else on their thread. The poll's pass reads the whole outbox (skipping what is in flight), so an event
 * whose delivery failed, or one the cursor passed (MongoDB ids need not commit in id order), leaves within `pollMs`.
 */
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly batch: number;
  private readonly pollMs: number;
  private readonly maxTries: number;
  private readonly tries = new Map<string, number>();
  /** Handed over and not yet removed (id → when recorded): never handed over twice at once. */
  private readonly inFlight = new Map<string, number>();
  /** Refused by the transport, waiting for the poll (id → when recorded): counted as pending. */
  private readonly refused = new Map<string, number>();
  private readonly deliveries = new Set<Promise<void>>();
  /** The newest id a pass has read: a kicked pass starts after it. */
  private cursor: string | undefined;
  private reading: Promise<void> | null = null;
  /** The scope of the pass that is waiting for its turn and has not read yet (it will see every commit before it). */
  private scheduled: PassScope | null = null;
  private again: PassScope | null = null;
  private done: string[] = [];
  private removing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private observer: OutboxRelayObserver | null = null;

  constructor(
    readonly module: string,
    private readonly store: OutboxStore,
    private readonly bus: BusClientToken,
    options: OutboxRelayOptions = {},
  ) {
    this.logger = new Logger(`OutboxRelay:${module}`);
    this.batch = options.batch ?? 256;
    this.pollMs = options.pollMs ?? 1000;
    this.maxTries = options.maxTries ?? 10;
  }

  observe(observer: OutboxRelayObserver): void {
    this.observer = observer;
  }

  /** After the transport servers of this process listen: an in-process delivery before that would reach nobody. */
  onApplicationBootstrap(): void {
    this.start();
  }

  /** Before the module's database closes (modules nearer the root shut down first). */
  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /** Starts polling, and relays what a previous run left behind. */
  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.pass('all'), this.pollMs);
    this.timer.unref();
    this.pass('all');
  }

  /** Relays what was recorded since the last pass, soon; a kick while a pass reads makes one more pass after it. */
  kick(): void {
    this.pass('new');
  }

  /** Waits for the pass and the deliveries under way; no new pass starts. What is left stays for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.reading;
    await Promise.allSettled([...this.deliveries]);
    await this.removeDone();
  }

  private pass(scope: PassScope): void {
    if (this.stopped) return;
    if (this.scheduled) {
      // A pass has not read yet: it will read this kick's commit too. (Every send of a group commit kicks once after
      // the same commit; each of those kicks used to ask for one more pass, which then found nothing new.)
      if (scope === 'all') this.scheduled = 'all';
      return;
    }
    if (this.reading) {
      this.again = this.again === 'all' ? 'all' : scope;
      return;
    }
    this.scheduled = scope;
    this.reading = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        const scheduled = this.scheduled!;
        this.scheduled = null;
        return this.read(scheduled);
      })
      .catch((err) => this.logger.warn({ err }, 'Outbox relay pass failed; the next poll tries again'))
      .finally(() => {
        this.reading = null;
        const next = this.again;
        this.again = null;
        if (next) this.pass(next);
      });
  }

  private async read(scope: PassScope): Promise<void> {
    let after = scope === 'new' ? this.cursor : undefined;
    for (;;) {
      const events = await this.store.pending(this.batch, after);
      for (const event of events) if (!this.inFlight.has(event.id)) this.handOver(event);
      if (events.length === 0) break;
      after = events[events.length - 1].id;
      if (this.cursor === undefined || this.store.compareIds(after, this.cursor) > 0) this.cursor = after;
      if (events.length < this.batch) break;
    }
    this.report();
  }

  /** Hands one event over without waiting for it (consumers do not depend on the order of delivery). */
  private handOver(event: PendingOutboxEvent): void {
    this.inFlight.set(event.id, event.recordedAt);
    this.refused.delete(event.id);
    const delivery = this.bus.deliver(event.pattern, event.payload).then(
      () => {
        this.tries.delete(event.id);
        this.finish(event.id);
      },
      (err) => {
        const tries = (this.tries.get(event.id) ?? 0) + 1;
        if (tries >= this.maxTries) {
          // Poison: its handlers fail every time. Logged whole, so it can be replayed by hand once they are fixed.
          this.logger.error({ err, event }, `Outbox event given up after ${tries} tries`);
          this.tries.delete(event.id);
          return this.finish(event.id);
        }
        // Left to the poll (backoff) rather than spinning on it.
        this.tries.set(event.id, tries);
        this.inFlight.delete(event.id);
        this.refused.set(event.id, event.recordedAt);
        this.report();
      },
    );
    this.deliveries.add(delivery);
    void delivery.finally(() => this.deliveries.delete(delivery));
  }

  /** Done with: removed with the others done by then (one statement, in the module's next group commit). */
  private finish(id: string): void {
    if (this.done.push(id) === 1) setImmediate(() => void this.removeDone());
  }

  private async removeDone(): Promise<void> {
    await this.removing;
    const ids = this.done;
    if (ids.length === 0) return;
    this.done = [];
    this.removing = this.store
      .remove(ids)
      .catch((err) => this.logger.warn({ err }, 'Outbox relay could not remove relayed events; they will be relayed again'))
      .finally(() => {
        // Only now: until the removal commits, a pass could read them again.
        for (const id of ids) this.inFlight.delete(id);
        this.removing = null;
        this.report();
      });
    await this.removing;
  }

  private report(): void {
    if (!this.observer) return;
    let oldest = Infinity;
    for (const at of this.inFlight.values()) oldest = Math.min(oldest, at);
    for (const at of this.refused.values()) oldest = Math.min(oldest, at);
    this.observer.setOutboxPending(this.module, this.inFlight.size + this.refused.size);
    this.observer.setOutboxRelayLag(this.module, oldest === Infinity ? 0 : (Date.now() - oldest) / 1000);
  }
}

/**
 * The relay of one module's outbox, for that module's providers (not its persistence module's: the relay must stop
 * before the database closes). The module's persistence binds OutboxStore (modulePersistence with `outbox: true`).
 */
export function outboxRelayProvider(module: string, options?: OutboxRelayOptions): Provider {
  return {
    provide: OutboxRelay,
    inject: [OutboxStore, BusClientToken, { token: Metrics, optional: true }],
    useFactory: (store: OutboxStore, bus: BusClientToken, metrics?: Metrics) => {
      const relay = new OutboxRelay(module, store, bus, options);
      if (metrics) relay.observe(metrics);
      return relay;
    },
  };
}
