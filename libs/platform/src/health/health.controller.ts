import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ErrorCodes } from '@chat/contracts/errors';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { ClientProxy } from '@nestjs/microservices';
import { BUS_PROXY } from '../transport/bus-client';
import { RmqBusClient } from '../transport/rmq/rmq-bus-client';
import { HealthProbes } from './health-probe';
import { Public } from '../security/public.decorator';

/**
 * `/health/live`: the process answers. `/health/ready`: it can do its work (its databases, the broker and
 * Redis when configured). Both are public and unprefixed, for orchestrators.
 */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(BUS_PROXY) private readonly bus: ClientProxy,
    private readonly probes: HealthProbes,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  // Without terminus's Swagger schemas: to add them it loads @nestjs/swagger, in every process (the route is still
  // listed at /docs).
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  async ready() {
    try {
      return await this.health.check(this.checks());
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // One error shape everywhere (the gateway's filter keeps it), with terminus's report of what is down.
      const report = error.getResponse() as { error?: Record<string, unknown> };
      const down = Object.keys(report.error ?? {}).join(', ');
      throw new ServiceUnavailableException({ code: ErrorCodes.HEALTH_NOT_READY, message: `Not ready: ${down}`, details: report });
    }
  }

  private checks(): HealthIndicatorFunction[] {
    const checks: HealthIndicatorFunction[] = [];
    if (this.bus instanceof RmqBusClient) {
      const bus = this.bus;
      checks.push(async () => {
        const up = this.indicator.check('broker');
        return bus.isConnected() ? up.up() : up.down({ message: 'RabbitMQ connection is down' });
      });
    }
    for (const probe of this.probes.list()) {
      checks.push(async () => {
        const up = this.indicator.check(probe.name);
        try {
          await probe.check();
          return up.up();
        } catch (error) {
          return up.down({ message: String(error) });
        }
      });
    }
    return checks;
  }
}
