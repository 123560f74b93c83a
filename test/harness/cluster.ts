import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLES, Role } from '../../libs/contracts/src/roles';
import { freePort } from './ports';
import { ServerProcess } from './server-process';
import { cleanupNamespace, RABBITMQ_URL, REDIS_URL, requireRabbitMq, requireRedis } from './services';

export type DeploymentMode = 'single' | 'split';
export const DEPLOYMENT_MODES: DeploymentMode[] = ['single', 'split'];

export interface ClusterOptions {
  /** Extra environment for every process (SMTP_URL, limits, …); wins over the cluster's own settings (`CORS_ORIGINS: ''`: none listed). */
  env?: Record<string, string>;
  /** Split mode: which roles get their own process; the rest are grouped with the gateway. Default: every role alone. */
  split?: Role[][];
  /** Split mode: how many gateway processes (each its own port). */
  gateways?: number;
}

/**
 * A deployment of the built server for end-to-end tests.
 * - single: one process, embedded defaults (SQLite, in-memory store, in-process transport).
 * - split: one OS process per role over the real RabbitMQ and Redis, in a namespace of its own.
 */
export class Cluster {
  readonly processes = new Map<string, ServerProcess>();

  private constructor(
    readonly mode: DeploymentMode,
    readonly namespace: string,
    readonly dataDir: string,
    readonly jwtSecret: string,
  ) {}

  static async start(mode: DeploymentMode, options: ClusterOptions = {}): Promise<Cluster> {
    const namespace = `t${randomBytes(5).toString('hex')}`;
    const dataDir = mkdtempSync(join(tmpdir(), `chat-${mode}-`));
    const cluster = new Cluster(mode, namespace, dataDir, randomBytes(32).toString('hex'));
    const base: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      LOG_PRETTY: 'false',
      DATA_DIR: dataDir,
      JWT_SECRET: cluster.jwtSecret,
      NAMESPACE: namespace,
      SERVE_WEB: 'false',
      // The tests are the local proxy: X-Forwarded-For from them gives each client its own address (randomClientIp).
      // A suite that checks the default (trust no proxy) passes TRUSTED_PROXIES: ''.
      TRUSTED_PROXIES: 'loopback',
      ...options.env,
    };
    try {
      if (mode === 'single') {
        const port = await freePort();
        await cluster.add('all', port, { ...base, MODULES: 'all', TRANSPORT_ASSERT_JSON: 'true', CORS_ORIGINS: `http://127.0.0.1:${port},http://localhost:${port}`, ...options.env });
      } else {
        await requireRabbitMq();
        await requireRedis();
        // options.env wins, so a suite can put a relay in front of the broker (broker-outage).
        const shared = { ...base, RABBITMQ_URL, REDIS_URL, ...options.env };
        const groups = options.split ?? ROLES.filter((r) => r !== 'gateway').map((r) => [r]);
        const grouped = new Set(groups.flat());
        const withGateway = ROLES.filter((r) => r !== 'gateway' && !grouped.has(r));
        for (const group of groups) await cluster.add(group.join('+'), await freePort(), { ...shared, MODULES: group.join(',') });
        for (let i = 0; i < (options.gateways ?? 1); i++) {
          const port = await freePort();
          const modules = ['gateway', ...withGateway].join(',');
          await cluster.add(i === 0 ? 'gateway' : `gateway${i + 1}`, port, { ...shared, MODULES: modules, CORS_ORIGINS: `http://127.0.0.1:${port},http://localhost:${port}`, ...options.env });
        }
      }
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  private async add(name: string, port: number, env: Record<string, string>): Promise<void> {
    const process = new ServerProcess(name, port, env);
    this.processes.set(name, process);
    await process.start();
  }

  /** The gateway's base URL (the first gateway in split mode). */
  get url(): string {
    return (this.processes.get('gateway') ?? this.processes.get('all'))!.url;
  }

  gatewayUrls(): string[] {
    return [...this.processes.entries()].filter(([name]) => name === 'all' || name.startsWith('gateway')).map(([, p]) => p.url);
  }

  process(name: string): ServerProcess {
    const found = this.processes.get(name);
    if (!found) throw new Error(`No process ${name} in this ${this.mode} cluster (have: ${[...this.processes.keys()].join(', ')})`);
    return found;
  }

  logs(): string {
    return [...this.processes.entries()].map(([name, p]) => `--- ${name}\n${p.logs}`).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => p.stop()));
    if (this.mode === 'split') {
      const queues = ROLES.flatMap((role) => [`${this.namespace}.${role}`, `${this.namespace}.${role}.retry`, `${this.namespace}.${role}.dead`]);
      await cleanupNamespace(this.namespace, queues).catch(() => undefined);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
