import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { ClientProxy } from '@nestjs/microservices';
import { BUS_PROXY } from '../transport/bus-client';
import { RmqBusClient } from '../transport/rmq/rmq-bus-client';
import { KeyValueStore } from '../kv/key-value-store';
import { RedisKeyValueStore } from '../kv/redis-key-value-store';
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
    private readonly kv: KeyValueStore,
    private readonly probes: HealthProbes,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    const checks: HealthIndicatorFunction[] = [];
    if (this.bus instanceof RmqBusClient) {
      const bus = this.bus;
      checks.push(async () => {
        const up = this.indicator.check('broker');
        return bus.isConnected() ? up.up() : up.down({ message: 'RabbitMQ connection is down' });
      });
    }
    if (this.kv instanceof RedisKeyValueStore) {
      const redis = this.kv.client;
      checks.push(async () => {
        const up = this.indicator.check('redis');
        try {
          await redis.ping();
          return up.up();
        } catch (error) {
          return up.down({ message: String(error) });
        }
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
    return this.health.check(checks);
  }
}
