import { INestApplication, RequestMethod } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ErrorCodes } from '@chat/contracts';
import { AppConfig, DomainError, jsonNestingExceeds, MAX_INPUT_DEPTH } from '@chat/platform';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { baseCspDirectives } from './http/content-security-policy';
import { noStore } from './http/no-store';
import { serveWebApp } from './web/serve-web-app';

export const API_PREFIX = 'api/v1';

/** Edge concerns of the gateway process: prefix, security headers, CORS, cookies, validation, errors, docs. */
export function configureGatewayHttp(app: INestApplication, config: AppConfig): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      // Prometheus scrapes every process at the same address, gateway or not.
      { path: 'metrics', method: RequestMethod.GET },
      // Local media files (MediaModule's LocalMediaHttpController): static assets, not API.
      { path: 'media/:name', method: RequestMethod.GET },
      { path: 'media/files/:key', method: RequestMethod.GET },
      // The captured-mail page of the embedded default (loopback only), at a stable, API-independent address.
      { path: 'dev/mailbox', method: RequestMethod.GET },
    ],
  });
  const cspDirectives = baseCspDirectives(config.isProduction);
  app.use(
    helmet({
      // No inline script anywhere; web app pages list their own inline scripts by hash (serveWebApp).
      contentSecurityPolicy: { useDefaults: false, directives: cspDirectives },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    }),
  );
  // Before Nest's default JSON parser (which this one replaces): a body nested deeper than any real request is
  // refused from its text, before it is parsed, so nothing downstream ever recurses through it.
  (app as NestExpressApplication).useBodyParser('json', {
    verify: (_request: unknown, _response: unknown, body: Buffer) => {
      if (jsonNestingExceeds(body)) throw new DomainError(ErrorCodes.VALIDATION_FAILED, `Input is nested more than ${MAX_INPUT_DEPTH} levels deep`);
    },
  });
  app.use(cookieParser());
  app.use(`/${API_PREFIX}`, noStore);
  app.enableCors({ origin: [...config.corsOrigins], credentials: true });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Relay Chat API')
      .setDescription('REST API of the chat platform. Errors are `{ statusCode, code, message, requestId }` with stable codes.')
      .setVersion('1')
      .addBearerAuth()
      .addCookieAuth('access')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });

  if (config.env.SERVE_WEB) serveWebApp(app, cspDirectives);
}
