import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HealthProbes } from './health-probe';

@Global()
@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [HealthProbes],
  exports: [HealthProbes],
})
export class HealthModule {}
