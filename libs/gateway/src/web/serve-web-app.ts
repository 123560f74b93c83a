import { INestApplication, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/** Paths the server answers itself: the web app's fallback must never shadow them. */
const SERVER_PREFIXES = ['/api', '/docs', '/docs-json', '/health', '/metrics', '/socket.io', '/media', '/dev'];

export function isServerPath(path: string): boolean {
  return SERVER_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** Where `npm run build:web` wrote the export, from the built server (dist/…) or from sources (tests, ts-node). */
export function findWebExport(): string | null {
  const candidates = [
    resolve(__dirname, '..', '..', '..', '..', '..', 'apps', 'web', 'out'),
    resolve(__dirname, '..', '..', '..', '..', 'apps', 'web', 'out'),
    resolve(process.cwd(), 'apps', 'web', 'out'),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/** A page request: not an API path and not a missing asset (`/x.js` must 404, not get HTML). */
function wantsPage(req: Request): boolean {
  const isAsset = /\.[a-z0-9]+$/i.test(req.path);
  return (req.method === 'GET' || req.method === 'HEAD') && !isServerPath(req.path) && !isAsset && !!req.accepts('html');
}

/**
 * Serves the static web export on the API's own port (one origin for pages, API, cookies and the socket).
 * `/chats` resolves to `chats.html`; any other page-like GET falls back to the entry page, which routes on
 * the client. Requests under the server's own prefixes pass through untouched.
 */
export function serveWebApp(app: INestApplication): void {
  const dir = findWebExport();
  const logger = new Logger('WebApp');
  if (!dir) {
    logger.warn('SERVE_WEB is on but apps/web/out is missing: run `npm run build:web`. Serving a placeholder.');
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (!wantsPage(req)) return next();
      res.type('html').send('<!doctype html><title>Relay Chat</title><p>The web app is not built yet: run <code>npm run build:web</code>.</p>');
    });
    return;
  }
  const immutable = `${sep}_next${sep}static${sep}`;
  const files = express.static(dir, {
    extensions: ['html'],
    index: 'index.html',
    // Hashed build assets never change; pages are revalidated so a new build shows at once.
    setHeaders: (res, path) => res.setHeader('Cache-Control', path.includes(immutable) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  app.use((req: Request, res: Response, next: NextFunction) => (isServerPath(req.path) ? next() : files(req, res, next)));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!wantsPage(req)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(dir, 'index.html'));
  });
  logger.debug(`Serving the web app from ${dir}`);
}
