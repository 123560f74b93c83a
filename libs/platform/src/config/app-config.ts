import { resolve } from 'node:path';
import { isRole, Role, ROLES } from '@chat/contracts/roles';
import { EnvironmentVariables } from './env.schema';
import { splitProxyList } from './proxy-list';

/** The validated configuration, typed. Injected everywhere as `AppConfig`; never read process.env elsewhere. */
export class AppConfig {
  readonly env: EnvironmentVariables;
  readonly roles: readonly Role[];
  readonly dataDir: string;
  readonly corsOrigins: readonly string[];
  /** Express's `trust proxy`: the proxies whose X-Forwarded-* headers count (none by default). */
  readonly trustedProxies: readonly string[];

  constructor(env: EnvironmentVariables) {
    this.env = env;
    this.roles = env.MODULES === 'all' ? ROLES : [...new Set(env.MODULES.split(',').filter(isRole))];
    this.dataDir = resolve(env.DATA_DIR);
    this.corsOrigins = env.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean);
    this.trustedProxies = splitProxyList(env.TRUSTED_PROXIES);
  }

  runs(role: Role): boolean {
    return this.roles.includes(role);
  }

  /** Every role in this process: the in-process transport suffices. */
  get isMonolith(): boolean {
    return ROLES.every((role) => this.runs(role));
  }

  get usesRabbitMq(): boolean {
    return Boolean(this.env.RABBITMQ_URL);
  }

  get isProduction(): boolean {
    return this.env.NODE_ENV === 'production';
  }
}
