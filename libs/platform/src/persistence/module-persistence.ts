import { Abstract, DynamicModule, OnApplicationShutdown, Provider, Type } from '@nestjs/common';
import type { ModelDefinition } from '@nestjs/mongoose';
import type { Connection, Model } from 'mongoose';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { HealthProbes } from '../health/health-probe';
import { OutboxStore } from '../outbox/outbox-event';
import { BackgroundCheckpointer } from './background-checkpointer';
import { openSqliteDatabase, SqliteDatabase, SqliteMigration } from './sqlite-database';

/** How one module persists: its port, and how each driver builds the adapter behind it. */
export interface ModulePersistenceSpec<TPort> {
  /** The module's name: its SQLite file is `<name>.sqlite` under DATA_DIR and its readiness probe `<name>-db`. */
  name: string;
  /** The persistence port, which is also the DI token the module's services inject. */
  port: Abstract<TPort>;
  sqlite: { migrations: SqliteMigration[]; create(db: SqliteDatabase): TPort };
  /**
   * The module's MongoDB adapter, asked for only when MONGODB_URI is set. It is a function so that the module can
   * require its mongo/ files there: a process on SQLite never loads Mongoose or the driver.
   */
  mongo(): MongoPersistenceSpec<TPort>;
  /**
   * The module records events in an outbox of its own store: the port then has an `outbox` (its adapter's, written
   * in the adapter's transactions), bound as OutboxStore for the module's OutboxRelay.
   */
  outbox?: boolean;
}

/** A module's MongoDB adapter: its models are handed to `create` in the order given, after the connection (for transactions). */
export interface MongoPersistenceSpec<TPort> {
  models: ModelDefinition[];
  create(connection: Connection, ...models: Model<any>[]): TPort;
}

/** A port whose adapters record events in the module's own outbox. */
export interface WithOutbox {
  readonly outbox: OutboxStore;
}

/** What a module's outbox adds to its persistence module, whichever driver stores it. */
export interface OutboxBindings {
  providers: Provider[];
  exports: Abstract<unknown>[];
}

function outboxProviders(spec: ModulePersistenceSpec<unknown>): OutboxBindings {
  if (!spec.outbox) return { providers: [], exports: [] };
  return {
    providers: [{ provide: OutboxStore, inject: [spec.port], useFactory: (port: WithOutbox) => port.outbox }],
    exports: [OutboxStore],
  };
}

/** Checkpoints the module's database file off the main thread, and closes it when the application shuts down. */
class ManagedSqliteDatabase implements OnApplicationShutdown {
  private readonly checkpointer: BackgroundCheckpointer;

  constructor(readonly db: SqliteDatabase) {
    this.checkpointer = BackgroundCheckpointer.start(db);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.checkpointer.stop();
    if (this.db.open) this.db.close();
  }
}

/**
 * Binds a module's persistence port by configuration: MongoDB when MONGODB_URI is set, else the module's own
 * SQLite file (opened and migrated at boot, probed by /health/ready, closed at shutdown). Either way /health/ready
 * probes the module's database.
 * `host` is the module's own persistence module class, so every module stays a distinct Nest module.
 */
export function modulePersistence<TPort>(host: Type<unknown>, config: AppConfig, spec: ModulePersistenceSpec<TPort>): DynamicModule {
  const outbox = outboxProviders(spec as ModulePersistenceSpec<unknown>);
  if (config.env.MONGODB_URI) return loadMongoPersistence().mongoModulePersistence(host, spec.name, spec.port, spec.mongo(), outbox);
  const database = Symbol(`${spec.name}-sqlite`);
  return {
    module: host,
    providers: [
      {
        provide: database,
        inject: [HealthProbes],
        useFactory: (probes: HealthProbes) => {
          const db = openSqliteDatabase(join(config.dataDir, `${spec.name}.sqlite`), spec.sqlite.migrations);
          probes.register({ name: `${spec.name}-db`, check: () => void db.prepare('SELECT 1').get() });
          return new ManagedSqliteDatabase(db);
        },
      },
      { provide: spec.port, inject: [database], useFactory: (managed: ManagedSqliteDatabase) => spec.sqlite.create(managed.db) },
      ...outbox.providers,
    ],
    exports: [spec.port, ...outbox.exports],
  };
}

/** The process's MongoDB connection, when MONGODB_URI is set: the modules' models (modulePersistence) share it. */
export function mongoConnectionModules(config: AppConfig): DynamicModule[] {
  return config.env.MONGODB_URI ? [loadMongoPersistence().mongoConnectionModule(config.env.MONGODB_URI)] : [];
}

/**
 * Required on first use rather than imported: a process on SQLite never uses Mongoose or the driver, and loading
 * them took about 0.2-0.35 s of CPU and 7 MB of RSS in each thread that builds the application (its boot and the
 * module thread's).
 */
function loadMongoPersistence(): typeof import('./mongo-module-persistence') {
  return require('./mongo-module-persistence');
}
