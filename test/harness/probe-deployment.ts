import { Controller, DynamicModule, INestApplication, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import * as amqp from 'amqplib';
import { randomBytes } from 'node:crypto';
import { MessageChannel, MessagePort } from 'node:worker_threads';
import { ErrorCodes } from '../../libs/contracts/src/errors';
import { Role } from '../../libs/contracts/src/roles';
import { AppConfig } from '../../libs/platform/src/config/app-config';
import { PlatformConfigModule } from '../../libs/platform/src/config/config.module';
import { loadConfig } from '../../libs/platform/src/config/load-config';
import { ContextualErrorFilter } from '../../libs/platform/src/errors/contextual-error.filter';
import { DomainError } from '../../libs/platform/src/errors/domain-error';
import { RpcErrorFilter } from '../../libs/platform/src/errors/rpc-exception.filter';
import { BusClient } from '../../libs/platform/src/transport/bus-client';
import { InProcessBroker } from '../../libs/platform/src/transport/in-process/in-process.broker';
import { ThreadPort } from '../../libs/platform/src/transport/in-process/thread-peer';
import { RoleEventPattern, RoleMessagePattern } from '../../libs/platform/src/transport/role-handlers';
import { RoleServerFactory, TransportModule } from '../../libs/platform/src/transport/transport.module';
import { RABBITMQ_URL, requireRabbitMq } from './services';

/** `two-threads`: the in-process transport across two apps joined by a MessageChannel, as MODULE_THREAD joins two threads. */
export type TransportKind = 'in-process' | 'two-threads' | 'rabbitmq';
export const TRANSPORT_KINDS: TransportKind[] = ['in-process', 'two-threads', 'rabbitmq'];

// unref: a handler still sleeping when its app closes must not keep the test process alive.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** What the probe handlers of one app saw. */
@Injectable()
export class ProbeState {
  readonly events: { role: Role; pattern: string; data: unknown }[] = [];
  ownerCalls = 0;
  echoCalls = 0;
  poisonAttempts = 0;
  running = 0;
  maxRunning = 0;
}

@Controller()
class UsersProbeController {
  constructor(private readonly state: ProbeState) {}

  @RoleMessagePattern('users', 'probe.echo')
  echo(@Payload() data: { when: unknown }) {
    this.state.echoCalls++;
    // The handler reports what it received, so the test sees the payload as it crossed the boundary.
    return { received: data, typeOfWhen: typeof data.when };
  }

  /** Replies with a Date, which only RabbitMQ's JSON turns into a string. */
  @RoleMessagePattern('users', 'probe.dated')
  dated() {
    return { repliedAt: new Date(0) };
  }

  @RoleMessagePattern('users', 'probe.fail')
  fail(): never {
    throw new DomainError(ErrorCodes.USER_NOT_FOUND, 'No such person');
  }

  @RoleMessagePattern('users', 'probe.crash')
  crash(): never {
    throw new Error('connection string postgres://admin:hunter2@db');
  }

  @RoleMessagePattern('users', 'probe.slow')
  async slow(@Payload() data: { ms: number }) {
    await sleep(data.ms);
    return 'late';
  }

  @RoleEventPattern('users', 'probe.happened')
  happened(@Payload() data: unknown) {
    this.state.events.push({ role: 'users', pattern: 'probe.happened', data });
  }

  @RoleEventPattern('users', 'probe.poison')
  poison(): void {
    this.state.poisonAttempts++;
    throw new Error('this event can never be handled');
  }

  @RoleEventPattern('users', 'probe.fine')
  fine(@Payload() data: unknown) {
    this.state.events.push({ role: 'users', pattern: 'probe.fine', data });
  }

  @RoleEventPattern('users', 'probe.busy')
  async busy(@Payload() data: unknown) {
    this.state.running++;
    this.state.maxRunning = Math.max(this.state.maxRunning, this.state.running);
    await sleep(150);
    this.state.running--;
    this.state.events.push({ role: 'users', pattern: 'probe.busy', data });
  }
}

@Controller()
class ChatsProbeController {
  constructor(private readonly state: ProbeState) {}

  @RoleMessagePattern('chats', 'probe.owner')
  owner() {
    this.state.ownerCalls++;
    return { role: 'chats' };
  }

  @RoleEventPattern('chats', 'probe.happened')
  happened(@Payload() data: unknown) {
    this.state.events.push({ role: 'chats', pattern: 'probe.happened', data });
  }
}

const CONTROLLERS: Record<string, unknown> = { users: UsersProbeController, chats: ChatsProbeController };

@Module({})
class ProbeModule {
  static forRoot(config: AppConfig, roles: Role[], peer?: ThreadPort): DynamicModule {
    return {
      module: ProbeModule,
      imports: [PlatformConfigModule.forRoot(config), TransportModule.forRoot(config, peer)],
      controllers: roles.map((role) => CONTROLLERS[role] as new (...args: never[]) => unknown),
      providers: [ProbeState],
    };
  }
}

/**
 * Small Nest apps running probe handlers for the roles `users` and `chats`, as the server would run them:
 * in-process, both roles in one app; over RabbitMQ, one app per role (two "services") in a namespace of
 * their own on the real broker.
 */
export class ProbeDeployment {
  private constructor(
    readonly kind: TransportKind,
    readonly namespace: string,
    readonly apps: INestApplication[],
    private readonly env: Record<string, string> = {},
  ) {}

  static async start(kind: TransportKind, env: Record<string, string> = {}): Promise<ProbeDeployment> {
    const namespace = `t${randomBytes(5).toString('hex')}`;
    const base = { NODE_ENV: 'test', NAMESPACE: namespace, ...env };
    const deployment = new ProbeDeployment(kind, namespace, [], base);
    try {
      if (kind === 'in-process') {
        // As in the one-process end-to-end runs: every payload is checked to be plain JSON.
        deployment.apps.push(await startApp(loadConfig({ ...base, MODULES: 'all', TRANSPORT_ASSERT_JSON: 'true' }), ['users', 'chats']));
      } else if (kind === 'two-threads') {
        // Each app waits for the other's announcement, so they start together. The channel structured-clones, as
        // between a worker thread and the main thread.
        const channel = new MessageChannel();
        deployment.ports.push(channel.port1, channel.port2);
        const config = loadConfig({ ...base, MODULES: 'all', TRANSPORT_ASSERT_JSON: 'true' });
        deployment.apps.push(...(await Promise.all([startApp(config, ['users'], channel.port1), startApp(config, ['chats'], channel.port2)])));
      } else {
        await requireRabbitMq();
        const url = env.RABBITMQ_URL ?? RABBITMQ_URL;
        for (const role of ['users', 'chats'] as Role[]) {
          deployment.apps.push(await startApp(loadConfig({ ...base, RABBITMQ_URL: url, MODULES: role }), [role]));
        }
      }
    } catch (error) {
      await deployment.stop();
      throw error;
    }
    return deployment;
  }

  private readonly closed = new Set<INestApplication>();
  private readonly ports: MessagePort[] = [];

  /** Stops one app (a service going down) while the others keep running. */
  async closeApp(app: INestApplication): Promise<void> {
    this.closed.add(app);
    await app.close();
  }

  /** Over RabbitMQ: starts one more service for `role` (a replacement after closing one, say). */
  async startRole(role: Role): Promise<INestApplication> {
    const url = this.env.RABBITMQ_URL ?? RABBITMQ_URL;
    const app = await startApp(loadConfig({ ...this.env, RABBITMQ_URL: url, MODULES: role }), [role]);
    this.apps.push(app);
    return app;
  }

  /** The bus of the last app (over RabbitMQ: the `chats` service, calling `users` across the broker). */
  get bus(): BusClient {
    return this.apps[this.apps.length - 1].get(BusClient);
  }

  /** Everything every app's handlers saw. */
  get states(): ProbeState[] {
    return this.apps.map((app) => app.get(ProbeState));
  }

  events(pattern: string): { role: Role; data: unknown }[] {
    return this.states.flatMap((state) => state.events.filter((event) => event.pattern === pattern));
  }

  queues(): string[] {
    return ['users', 'chats'].flatMap((role) => [`${this.namespace}.${role}`, `${this.namespace}.${role}.retry`, `${this.namespace}.${role}.dead`]);
  }

  async stop(): Promise<void> {
    for (const app of this.apps) if (!this.closed.has(app)) await app.close().catch(() => undefined);
    for (const port of this.ports) port.close();
    if (this.kind === 'rabbitmq') {
      const connection = await amqp.connect(RABBITMQ_URL);
      const channel = await connection.createChannel();
      for (const queue of this.queues()) await channel.deleteQueue(queue).catch(() => undefined);
      await channel.deleteExchange(`${this.namespace}.bus`).catch(() => undefined);
      await connection.close().catch(() => undefined);
    }
  }
}

async function startApp(config: AppConfig, roles: Role[], peer?: MessagePort): Promise<INestApplication> {
  const app = await NestFactory.create(ProbeModule.forRoot(config, roles, peer), { logger: process.env.TEST_LOG_LEVEL ? undefined : false });
  app.useGlobalFilters(new ContextualErrorFilter({ rpc: new RpcErrorFilter() }));
  const servers = app.get(RoleServerFactory);
  for (const role of roles) app.connectMicroservice({ strategy: servers.create(role) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.init();
  await app.get(InProcessBroker).announceToPeer();
  return app;
}

/** Polls until `check` passes or `timeoutMs` elapses (then throws its last failure). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}
