import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A TCP relay in front of a real service (RabbitMQ, Redis), so a test can take the service away from ITS
 * processes only: the service is shared with other suites, and stopping it would fail them. `cut()` drops every
 * relayed connection and refuses new ones, as a dead service does; `restore()` accepts again on the same port.
 * `freeze()` and `thaw()` stall it instead.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<[Socket, Socket]>();
  private frozen = false;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    public port: number,
  ) {}

  static async start(targetUrl: string): Promise<TcpProxy> {
    const target = new URL(targetUrl);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5672), 0);
    await proxy.listen();
    return proxy;
  }

  /** `targetUrl` with its host and port replaced by this relay's. */
  urlFor(targetUrl: string): string {
    const url = new URL(targetUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString().replace(/\/$/, '');
  }

  /** Local ports of the relay's connections to the service, as the service sees them (its peer ports). */
  upstreamPorts(): number[] {
    return [...this.pairs].map(([, upstream]) => upstream.localPort).filter((port): port is number => port !== undefined);
  }

  get connections(): number {
    return this.pairs.size;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * A stalled service: connections stay open and new ones are accepted, but no byte moves either way until
   * `thaw()` (what a Redis stuck in a long command or a saturated link looks like to its clients).
   */
  freeze(): void {
    this.frozen = true;
    for (const pair of this.pairs) this.hold(pair);
  }

  thaw(): void {
    this.frozen = false;
    for (const pair of this.pairs) this.flow(pair);
  }

  async restore(): Promise<void> {
    if (!this.server) await this.listen();
  }

  async stop(): Promise<void> {
    await this.cut();
  }

  private flow([client, upstream]: [Socket, Socket]): void {
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private hold([client, upstream]: [Socket, Socket]): void {
    client.unpipe(upstream);
    upstream.unpipe(client);
    client.pause();
    upstream.pause();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      const drop = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      if (!this.frozen) this.flow(pair);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }
}
