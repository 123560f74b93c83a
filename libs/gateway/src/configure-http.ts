import { INestApplication, RequestMethod } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@chat/platform';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
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
      // The captured-mail page of the embedded default (loopback only), at a stable, API-independent address.
      { path: 'dev/mailbox', method: RequestMethod.GET },
    ],
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          // The web app is a static export; Next inlines small bootstrap scripts. Swagger UI needs inline styles.
          'script-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:', 'https://res.cloudinary.com'],
          'connect-src': ["'self'", 'ws:', 'wss:'],
          'upgrade-insecure-requests': config.isProduction ? [] : null,
        },
      },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    }),
  );
  app.use(cookieParser());
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

  if (config.env.SERVE_WEB) serveWebApp(app);
}
