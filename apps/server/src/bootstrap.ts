import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { configureGatewayHttp, HttpErrorFilter, RealtimeIoAdapter, WsErrorFilter } from '@chat/gateway';
import {
  AppConfig, ContextualErrorFilter, createValidationPipe, httpRequestMetrics, Metrics, QuietFrameworkLogger, RoleServerFactory, RpcErrorFilter,
} from '@chat/platform';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { installGracefulShutdown } from './graceful-shutdown';
import { keepIdleConnectionsOpen } from './http-keep-alive';
import { logStartup } from './startup-banner';

/**
 * Builds and starts one process: the gateway's HTTP/WebSocket edge when it runs the gateway role, a transport
 * server per role, and `/health` everywhere. Returns the listening application.
 */
export async function startServer(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(new QuietFrameworkLogger(app.get(Logger)));
  // X-Forwarded-* count only from the proxies named in TRUSTED_PROXIES: anyone else could name any address.
  app.set('trust proxy', config.trustedProxies.length ? [...config.trustedProxies] : false);
  const metrics = app.get(Metrics);
  app.use(httpRequestMetrics(metrics));

  // One validation pipe and one error filter for every context (see DESIGN.md traps).
  const errors = new ContextualErrorFilter({ rpc: new RpcErrorFilter(), http: new HttpErrorFilter(), ws: new WsErrorFilter(metrics) });
  // In one process every module call comes from this process's own edge, which validated it: DTOs marked
  // @ValidatedAtEdge() are not validated twice. Over RabbitMQ every module validates at its door.
  app.useGlobalPipes(createValidationPipe({ trustEdgeValidated: !config.usesRabbitMq }));
  app.useGlobalFilters(errors);
  if (config.runs('gateway')) {
    configureGatewayHttp(app, config);
    app.useWebSocketAdapter(await RealtimeIoAdapter.create(app, config));
  }

  // Microservices inherit the pipe and the filter (see DESIGN.md traps). Module DTOs not marked @ValidatedAtEdge()
  // still validate at each module's door, in one process too: some rules live only there (change cursors).
  const servers = app.get(RoleServerFactory);
  for (const role of config.roles) {
    app.connectMicroservice({ strategy: servers.create(role) }, { inheritAppConfig: true });
  }
  await app.startAllMicroservices();
  keepIdleConnectionsOpen(app.getHttpServer());
  await app.listen(config.env.PORT, config.env.HOST);
  installGracefulShutdown(app, config);
  logStartup(app, config);
  return app;
}
