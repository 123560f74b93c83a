import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { HealthProbes } from '../health/health-probe';
import { KeyValueStore } from './key-value-store';
import { MemoryKeyValueStore } from './memory-key-value-store';

/**
 * Binds the KeyValueStore port: Redis when REDIS_URL is set (and `/health/ready` then checks it answers), memory
 * otherwise. ioredis is required only with REDIS_URL, so the embedded default does not load it.
 */
@Global()
@Module({})
export class KeyValueModule implements OnApplicationShutdown {
  constructor(@Inject(KeyValueStore) private readonly store: KeyValueStore) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: KeyValueModule,
      providers: [
        {
          provide: KeyValueStore,
          inject: [HealthProbes],
          useFactory: (probes: HealthProbes) => {
            if (!config.env.REDIS_URL) return new MemoryKeyValueStore();
            const { RedisKeyValueStore } = require('./redis-key-value-store') as typeof import('./redis-key-value-store');
            const store = RedisKeyValueStore.connect(config.env.REDIS_URL, config.env.NAMESPACE, config.env.REDIS_COMMAND_TIMEOUT_MS);
            probes.register({ name: 'redis', check: () => store.checkReady() });
            return store;
          },
        },
      ],
      exports: [KeyValueStore],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
