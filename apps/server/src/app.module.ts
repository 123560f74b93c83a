import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, HealthModule, KeyValueModule, LoggingModule, MetricsModule, mongoConnectionModules, PlatformConfigModule, ThreadPort, TransportModule } from '@chat/platform';
import { ROLE_MODULES } from './role-modules';

/** The whole server, shaped by configuration: platform services plus the modules of this process's roles. */
@Module({})
export class AppModule {
  /** `peer`: the channel to the other thread of this process, when it has two (module-thread.ts). */
  static forRoot(config: AppConfig, peer?: ThreadPort): DynamicModule {
    const roleModules = config.roles.map((role) => ROLE_MODULES[role](config));
    return {
      module: AppModule,
      imports: [
        PlatformConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        TransportModule.forRoot(config, peer),
        KeyValueModule.forRoot(config),
        HealthModule,
        MetricsModule,
        ...mongoConnectionModules(config),
        ...roleModules,
      ],
    };
  }
}
