import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { HttpErrorFilter, WsErrorFilter } from '@chat/gateway/error-filters';
import {
  AppConfig, ContextualErrorFilter, createValidationPipe, httpRequestMetrics, InProcessBroker, Metrics, QuietFrameworkLogger, RoleServerFactory, RpcErrorFilter, ThreadPort,
} from '@chat/platform';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { installGracefulShutdown } from './graceful-shutdown';
import { keepIdleConnectionsOpen } from './http-keep-alive';
import { ModuleThread } from './module-thread';
import { logStartup } from './startup-banner';

/**
 * Builds and starts one process: the gateway's HTTP/WebSocket edge when it runs the gateway role, a transport
 * server per role, and `/health` everywhere. Returns the listening application. A process that runs every role
 * without RabbitMQ runs MODULE_THREAD's roles on a second thread (module-thread.ts), started alongside.
 */
export async function startServer(config: AppConfig): Promise<INestApplication> {
  const thread = config.threadRoles.length ? ModuleThread.start() : null;
  try {
    return await startMainThread(thread ? config.onThread('main') : config, thread);
  } catch (error) {
    await thread?.close();
    throw error;
  }
}

async function startMainThread(config: AppConfig, thread: ModuleThread | null): Promise<INestApplication> {
  const app = await createApp(config, thread?.port);
  // X-Forwarded-* count only from the proxies named in TRUSTED_PROXIES: anyone else could name any address.
  app.set('trust proxy', config.trustedProxies.length ? [...config.trustedProxies] : false);
  app.use(httpRequestMetrics(app.get(Metrics)));
  if (config.runs('gateway')) {
    const { configureGatewayHttp, RealtimeIoAdapter } = require('./roles/gateway') as typeof import('./roles/gateway');
    configureGatewayHttp(app, config);
    app.useWebSocketAdapter(await RealtimeIoAdapter.create(app, config));
  }
  await serveRoles(app, config);
  thread?.reportThrough(app);
  keepIdleConnectionsOpen(app.getHttpServer());
  await app.listen(config.env.PORT, config.env.HOST);
  installGracefulShutdown(app, config, thread);
  logStartup(app, config);
  return app;
}

/** The application of one thread, with the pipe and the filter every context shares (see DESIGN.md traps). */
export async function createApp(config: AppConfig, peer?: ThreadPort): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, peer), { bufferLogs: true });
  app.useLogger(new QuietFrameworkLogger(app.get(Logger)));
  const errors = new ContextualErrorFilter({ rpc: new RpcErrorFilter(), http: new HttpErrorFilter(), ws: new WsErrorFilter(app.get(Metrics)) });
  // In one process every module call comes from this process's own edge, which validated it: DTOs marked
  // @ValidatedAtEdge() are not validated twice. Over RabbitMQ every module validates at its door.
  app.useGlobalPipes(createValidationPipe({ trustEdgeValidated: !config.usesRabbitMq }));
  app.useGlobalFilters(errors);
  return app;
}

/**
 * Starts a transport server per role of this thread. Microservices inherit the pipe and the filter (see DESIGN.md
 * traps); module DTOs not marked @ValidatedAtEdge() still validate at each module's door, in one process too: some
 * rules live only there (change cursors). With a second thread, tells it what this one serves and waits for its
 * answer, so no call or event goes to a thread that cannot take it yet.
 */
export async function serveRoles(app: INestApplication, config: AppConfig): Promise<void> {
  const servers = app.get(RoleServerFactory);
  for (const role of config.roles) {
    app.connectMicroservice({ strategy: servers.create(role) }, { inheritAppConfig: true });
  }
  await app.startAllMicroservices();
  // Lifecycle hooks (the outbox relays start at bootstrap); app.listen would run them on the main thread anyway.
  await app.init();
  await app.get(InProcessBroker).announceToPeer();
}
