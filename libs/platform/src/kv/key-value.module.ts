import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { KeyValueStore } from './key-value-store';
import { MemoryKeyValueStore } from './memory-key-value-store';
import { RedisKeyValueStore } from './redis-key-value-store';

/** Binds the KeyValueStore port: Redis when REDIS_URL is set, memory otherwise. */
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
          useFactory: () =>
            config.env.REDIS_URL ? RedisKeyValueStore.connect(config.env.REDIS_URL, config.env.NAMESPACE, config.env.REDIS_COMMAND_TIMEOUT_MS) : new MemoryKeyValueStore(),
        },
      ],
      exports: [KeyValueStore],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
