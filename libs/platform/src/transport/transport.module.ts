import { DynamicModule, Global, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CustomTransportStrategy } from '@nestjs/microservices';
import { Role, ROLES } from '@chat/contracts/roles';
import { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/load-config';
import { HealthProbes } from '../health/health-probe';
import { BUS_PROXY, BusClient } from './bus-client';
import { ControllerInstances } from './in-process/direct-handlers';
import { InProcessBroker } from './in-process/in-process.broker';
import { InProcessClient } from './in-process/in-process.client';
import { InProcessServer } from './in-process/in-process.server';
import { ThreadPeer, ThreadPort } from './in-process/thread-peer';
import { createRmqBusProxy, createRmqRoleServer } from './rmq/rmq-transport';

/** Builds the transport server for each role of this process (called by the boot, once per role). */
export class RoleServerFactory {
  constructor(
    private readonly config: AppConfig,
    private readonly broker: InProcessBroker,
    private readonly probes?: HealthProbes,
    private readonly instances?: ControllerInstances,
  ) {}

  create(role: Role): CustomTransportStrategy {
    if (!this.config.usesRabbitMq) return new InProcessServer(this.broker, role, this.instances);
    const server = createRmqRoleServer(this.config, role);
    // A role that cannot consume is not ready, even if this process's client connection is fine.
    this.probes?.register({
      name: `broker-${role}`,
      check: () => {
        if (!server.isConnected()) throw new Error(`The ${role} consumer has no RabbitMQ connection`);
        const unsettled = server.unsettledCount();
        if (unsettled > 0) throw new Error(`The ${role} consumer holds ${unsettled} message(s) it could not settle`);
      },
    });
    return server;
  }
}

/**
 * Chooses the transport by configuration: RabbitMQ when RABBITMQ_URL is set, in-process otherwise.
 * Handlers and typed clients are the same either way. `peer`: the channel to the other thread of this process, when
 * it runs some of the roles (MODULE_THREAD, see apps/server's module-thread.ts); the in-process transport spans both.
 */
@Global()
@Module({})
export class TransportModule {
  static forRoot(config: AppConfig, peer?: ThreadPort): DynamicModule {
    if (!config.usesRabbitMq && !config.isMonolith) {
      const missing = ROLES.filter((role) => !config.runs(role)).join(',');
      throw new ConfigError(`Invalid configuration: RABBITMQ_URL is required when MODULES leaves out roles (${missing} must be reached over RabbitMQ)`);
    }
    return {
      module: TransportModule,
      providers: [
        { provide: ThreadPeer, useFactory: () => (peer ? new ThreadPeer(peer) : null) },
        {
          provide: InProcessBroker,
          inject: [ThreadPeer],
          useFactory: (threadPeer: ThreadPeer | null) => {
            const broker = new InProcessBroker(config.env.TRANSPORT_ASSERT_JSON);
            if (threadPeer) broker.connect(threadPeer);
            return broker;
          },
        },
        {
          provide: BUS_PROXY,
          inject: [InProcessBroker],
          useFactory: (broker: InProcessBroker) => (config.usesRabbitMq ? createRmqBusProxy(config) : new InProcessClient(broker)),
        },
        BusClient,
        {
          provide: RoleServerFactory,
          inject: [InProcessBroker, ModuleRef, { token: HealthProbes, optional: true }],
          useFactory: (broker: InProcessBroker, modules: ModuleRef, probes?: HealthProbes) =>
            new RoleServerFactory(config, broker, probes, (controller) => controllerInstance(modules, controller)),
        },
      ],
      exports: [BusClient, BUS_PROXY, RoleServerFactory, InProcessBroker, ThreadPeer],
    };
  }
}

/** The app's instance of a controller class, if it has one (a class only declared elsewhere, e.g. a test's, has none). */
function controllerInstance(modules: ModuleRef, controller: abstract new (...args: never[]) => unknown): object | undefined {
  try {
    return modules.get(controller as never, { strict: false }) as object;
  } catch {
    return undefined;
  }
}
