import { DynamicModule, Global, Module } from '@nestjs/common';
import { CustomTransportStrategy } from '@nestjs/microservices';
import { Role, ROLES } from '@chat/contracts/roles';
import { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/load-config';
import { BUS_PROXY, BusClient } from './bus-client';
import { InProcessBroker } from './in-process/in-process.broker';
import { InProcessClient } from './in-process/in-process.client';
import { InProcessServer } from './in-process/in-process.server';
import { createRmqBusProxy, createRmqRoleServer } from './rmq/rmq-transport';

/** Builds the transport server for each role of this process (called by the boot, once per role). */
export class RoleServerFactory {
  constructor(
    private readonly config: AppConfig,
    private readonly broker: InProcessBroker,
  ) {}

  create(role: Role): CustomTransportStrategy {
    return this.config.usesRabbitMq ? createRmqRoleServer(this.config, role) : new InProcessServer(this.broker, role);
  }
}

/**
 * Chooses the transport by configuration: RabbitMQ when RABBITMQ_URL is set, in-process otherwise.
 * Handlers and typed clients are the same either way.
 */
@Global()
@Module({})
export class TransportModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.usesRabbitMq && !config.isMonolith) {
      const missing = ROLES.filter((role) => !config.runs(role)).join(',');
      throw new ConfigError(`Invalid configuration: RABBITMQ_URL is required when MODULES leaves out roles (${missing} must be reached over RabbitMQ)`);
    }
    return {
      module: TransportModule,
      providers: [
        InProcessBroker,
        {
          provide: BUS_PROXY,
          inject: [InProcessBroker],
          useFactory: (broker: InProcessBroker) => (config.usesRabbitMq ? createRmqBusProxy(config) : new InProcessClient(broker)),
        },
        BusClient,
        { provide: RoleServerFactory, inject: [InProcessBroker], useFactory: (broker: InProcessBroker) => new RoleServerFactory(config, broker) },
      ],
      exports: [BusClient, BUS_PROXY, RoleServerFactory, InProcessBroker],
    };
  }
}
