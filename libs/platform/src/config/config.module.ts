import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config';

/**
 * Makes the validated configuration injectable as `AppConfig` (and through @nestjs/config's ConfigService
 * under the key `app`). The configuration is loaded before Nest starts, so a bad value never gets this far.
 */
@Global()
@Module({})
export class PlatformConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: PlatformConfigModule,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, ignoreEnvVars: true, load: [() => ({ app: config.env })] })],
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
