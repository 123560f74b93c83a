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

/**
 * Relays a module's outbox to the transport after commit: events recorded in the same transaction as their change
 * are handed over in recording order, and removed only once the transport has them for good (BusClient.deliver).
 * A crash anywhere in between leaves them in the outbox, and the relay hands them over again after the restart:
 * at least once, so every consumer is idempotent.
 *
 * Writers call `kick()` after their commit, so an event leaves at once; the poll catches the rest.
 */
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly batch: number;
  private readonly pollMs: number;
  private readonly maxTries: number;
  private readonly tries = new Map<string, number>();
  private running: Promise<void> | null = null;
  private again = false;
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
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Relays soon; a kick while a pass runs makes one more pass after it. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .catch((err) => this.logger.warn({ err }, 'Outbox relay pass failed; the next poll tries again'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Waits for the pass under way; no new pass starts. What is left stays in the outbox for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const events = await this.store.pending(this.batch);
      if (events.length === 0) return this.report(0, 0);
      this.report(events.length, Date.now() - events[0].recordedAt);
      const done = await this.handOver(events);
      if (done.length) await this.store.remove(done);
      // Something failed: leave it to the poll (backoff) rather than spinning on it.
      if (done.length < events.length) {
        const left = events.filter((e) => !done.includes(e.id));
        return this.report(left.length, Date.now() - left[0].recordedAt);
      }
      if (events.length < this.batch) return this.report(0, 0);
    }
  }

  private report(pending: number, lagMs: number): void {
    this.observer?.setOutboxPending(this.module, pending);
    this.observer?.setOutboxRelayLag(this.module, lagMs / 1000);
  }

  /** Hands the events over together (consumers do not depend on their order); returns the ids that are done with. */
  private async handOver(events: PendingOutboxEvent[]): Promise<string[]> {
    const results = await Promise.allSettled(events.map((event) => this.bus.deliver(event.pattern, event.payload)));
    const done: string[] = [];
    results.forEach((result, i) => {
      const event = events[i];
      if (result.status === 'fulfilled') {
        this.tries.delete(event.id);
        done.push(event.id);
        return;
      }
      const tries = (this.tries.get(event.id) ?? 0) + 1;
      if (tries < this.maxTries) {
        this.tries.set(event.id, tries);
        return;
      }
      // Poison: its handlers fail every time. Logged whole, so it can be replayed by hand once they are fixed.
      this.logger.error({ err: result.reason, event }, `Outbox event given up after ${tries} tries`);
      this.tries.delete(event.id);
      done.push(event.id);
    });
    return done;
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
