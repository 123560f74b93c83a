import { Injectable } from '@nestjs/common';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, MetricObjectWithValues, MetricValue, Registry } from 'prom-client';

/** Seconds: from a millisecond on one machine to the multi-second stalls worth an alert. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type MetricsTransport = 'http' | 'socket';

/** One thread's metrics as prom-client reads them (plain data: it crosses to the other thread). */
export type ThreadMetrics = MetricObjectWithValues<MetricValue<string>>[];

/**
 * This process's Prometheus metrics (served on `GET /metrics`, see MetricsController). One registry per
 * instance, not prom-client's global one, so two apps in one test process do not collide. Every method is
 * a counter bump or a histogram slot: cheap enough for the message path.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  private readonly sent = new Counter({
    name: 'chat_messages_sent_total',
    help: 'Messages whose send was acknowledged at this gateway (socket and REST).',
    registers: [this.registry],
  });

  private readonly delivered = new Counter({
    name: 'chat_messages_delivered_total',
    help: 'message:new frames this gateway wrote to its sockets (one per receiving socket).',
    registers: [this.registry],
  });

  private readonly deliveryLatency = new Histogram({
    name: 'chat_message_delivery_latency_seconds',
    help: "From a message's createdAt to its message:new emit at the gateway.",
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'chat_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private connectedSocketCount: () => number = () => 0;

  private readonly connectedSockets: Gauge = new Gauge({
    name: 'chat_connected_sockets',
    help: 'Authenticated sockets connected to this gateway.',
    registers: [this.registry],
    collect: (): void => this.connectedSockets.set(this.connectedSocketCount()),
  });

  private readonly rateLimitedAnswers = new Counter({
    name: 'chat_rate_limited_total',
    help: 'Requests and socket events refused by a rate limit (HTTP 429, socket COMMON.RATE_LIMITED), by transport and code.',
    labelNames: ['transport', 'code'] as const,
    registers: [this.registry],
  });

  private readonly outboxPending = new Gauge({
    name: 'chat_outbox_pending_events',
    help: "Events written to a module's outbox and not yet relayed.",
    labelNames: ['module'] as const,
    registers: [this.registry],
  });

  private readonly outboxLag = new Gauge({
    name: 'chat_outbox_relay_lag_seconds',
    help: "Age of the oldest event in a module's outbox not yet relayed (0 when it is empty).",
    labelNames: ['module'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A send the gateway acknowledged (the message is stored). */
  messageSent(): void {
    this.sent.inc();
  }

  /** message:new frames written to sockets. */
  messagesDelivered(frames = 1): void {
    this.delivered.inc(frames);
  }

  /** Seconds from the message's creation to its emit at the gateway. */
  observeDeliveryLatency(seconds: number): void {
    if (Number.isFinite(seconds)) this.deliveryLatency.observe(Math.max(0, seconds));
  }

  /** `route` is the route template (`/api/v1/chats/:chatId`), never the raw path: bounded label values. */
  observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  /** Where the connected-sockets gauge reads its value when scraped (the gateway's Socket.IO server). */
  countConnectedSocketsWith(count: () => number): void {
    this.connectedSocketCount = count;
  }

  /** A request or socket event refused by a rate limit. */
  rateLimited(transport: MetricsTransport, code: string): void {
    this.rateLimitedAnswers.inc({ transport, code });
  }

  /** Events in `module`'s outbox waiting for the relay (set by the relay after each pass). */
  setOutboxPending(module: string, count: number): void {
    this.outboxPending.set({ module }, count);
  }

  /** Age in seconds of the oldest unrelayed event in `module`'s outbox; 0 when it is empty. */
  setOutboxRelayLag(module: string, seconds: number): void {
    this.outboxLag.set({ module }, Math.max(0, seconds));
  }

  /** The metrics of the process's other thread (MODULE_THREAD), merged into `render`'s. */
  private otherThread: (() => Promise<ThreadMetrics>) | null = null;

  includeOtherThread(read: () => Promise<ThreadMetrics>): void {
    this.otherThread = read;
  }

  /**
   * This thread's own metrics for the other thread of the process to merge: the chat_ ones (its outbox relays'). Node's
   * default metrics are the main thread's to report: the process's CPU is one, whichever thread reads it.
   */
  async threadMetrics(): Promise<ThreadMetrics> {
    return (await this.registry.getMetricsAsJSON()).filter((metric) => metric.name.startsWith('chat_')) as ThreadMetrics;
  }

  /** The Prometheus text exposition of every metric of this process (both threads'). */
  async render(): Promise<{ contentType: string; body: string }> {
    if (!this.otherThread) return { contentType: this.registry.contentType, body: await this.registry.metrics() };
    // prom-client's merge for cluster workers: the same metric from both threads becomes one family, summed by labels.
    const merged = AggregatorRegistry.aggregate([await this.registry.getMetricsAsJSON(), await this.otherThread()]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  }
}
