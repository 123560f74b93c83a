import { resolve } from 'node:path';
import { isRole, Role, ROLES } from '@chat/contracts/roles';
import { EnvironmentVariables } from './env.schema';
import { splitProxyList } from './proxy-list';

/** The two threads of a process that hands some roles to a second thread (MODULE_THREAD). */
export type ProcessThread = 'main' | 'modules';

/** The validated configuration, typed. Injected everywhere as `AppConfig`; never read process.env elsewhere. */
export class AppConfig {
  readonly env: EnvironmentVariables;
  /** The roles this thread runs. */
  readonly roles: readonly Role[];
  /** The roles the other thread of this process runs (see `onThread`); none when the process has one thread. */
  readonly peerRoles: readonly Role[];
  readonly dataDir: string;
  readonly corsOrigins: readonly string[];
  /** Express's `trust proxy`: the proxies whose X-Forwarded-* headers count (none by default). */
  readonly trustedProxies: readonly string[];

  constructor(env: EnvironmentVariables, placement?: { roles: readonly Role[]; peerRoles: readonly Role[] }) {
    this.env = env;
    this.roles = placement?.roles ?? (env.MODULES === 'all' ? ROLES : [...new Set(env.MODULES.split(',').filter(isRole))]);
    this.peerRoles = placement?.peerRoles ?? [];
    this.dataDir = resolve(env.DATA_DIR);
    this.corsOrigins = env.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean);
    this.trustedProxies = splitProxyList(env.TRUSTED_PROXIES);
  }

  runs(role: Role): boolean {
    return this.roles.includes(role);
  }

  /** The role runs in this process, on this thread or the other. */
  runsInProcess(role: Role): boolean {
    return this.runs(role) || this.peerRoles.includes(role);
  }

  /** Every role in this process (on one thread or the other): the in-process transport suffices. */
  get isMonolith(): boolean {
    return ROLES.every((role) => this.runsInProcess(role));
  }

  /**
   * The roles this process hands to a second thread: MODULE_THREAD's, when the process runs every role over the
   * in-process transport (over RabbitMQ each role may run in a process of its own instead).
   */
  get threadRoles(): readonly Role[] {
    if (this.usesRabbitMq || this.peerRoles.length || !ROLES.every((role) => this.runs(role))) return [];
    // The schema allows only users, chats and messages (or `none`, which names no role).
    const named = new Set((this.env.MODULE_THREAD ?? '').split(',').filter(isRole));
    return ROLES.filter((role) => named.has(role));
  }

  /** This configuration as one thread of a two-thread process sees it: its own roles, and the other thread's. */
  onThread(thread: ProcessThread): AppConfig {
    const threaded = this.threadRoles;
    const rest = this.roles.filter((role) => !threaded.includes(role));
    return thread === 'main' ? new AppConfig(this.env, { roles: rest, peerRoles: threaded }) : new AppConfig(this.env, { roles: threaded, peerRoles: rest });
  }

  get usesRabbitMq(): boolean {
    return Boolean(this.env.RABBITMQ_URL);
  }

  get isProduction(): boolean {
    return this.env.NODE_ENV === 'production';
  }
}
