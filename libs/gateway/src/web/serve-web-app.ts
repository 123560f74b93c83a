import { INestApplication, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { existsSync, readFileSync, Stats, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { CspDirectives, inlineScriptHashes, pageCsp } from '../http/content-security-policy';

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
 * The CSP hashes of each page's inline scripts, read on a page's first request and again when the file changes
 * (`npm run build:web` while the server runs: the new page shows at once, with its own scripts allowed).
 */
export class PageScriptHashes {
  private readonly pages = new Map<string, { mtimeMs: number; hashes: string[] }>();

  of(file: string, mtimeMs = statSync(file).mtimeMs): string[] {
    const known = this.pages.get(file);
    if (known && known.mtimeMs === mtimeMs) return known.hashes;
    const hashes = inlineScriptHashes(readFileSync(file, 'utf8'));
    this.pages.set(file, { mtimeMs, hashes });
    return hashes;
  }
}

/**
 * Serves the static web export on the API's own port (one origin for pages, API, cookies and the socket).
 * `/chats` resolves to `chats.html`; any other page-like GET falls back to the entry page, which routes on
 * the client. Requests under the server's own prefixes pass through untouched.
 */
export function serveWebApp(app: INestApplication, csp: CspDirectives): void {
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
  const scripts = new PageScriptHashes();
  // A page's own policy replaces the general one (set by helmet before): its inline scripts, its socket address.
  // A page being rewritten by a build keeps the general policy (no inline script): safe, and right a moment later.
  const setPagePolicy = (res: Response, file: string, stat?: Stats) => {
    if (!file.endsWith('.html')) return;
    try {
      res.setHeader('Content-Security-Policy', pageCsp(csp, scripts.of(file, stat?.mtimeMs), res.req.headers.host));
    } catch (error) {
      logger.debug({ err: error, file }, 'No page policy: the page could not be read');
    }
  };
  const files = express.static(dir, {
    extensions: ['html'],
    index: 'index.html',
    setHeaders: (res, path, stat) => {
      // Hashed build assets never change; pages are revalidated so a new build shows at once.
      res.setHeader('Cache-Control', path.includes(immutable) ? 'public, max-age=31536000, immutable' : 'no-cache');
      setPagePolicy(res, path, stat);
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => (isServerPath(req.path) ? next() : files(req, res, next)));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!wantsPage(req)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    setPagePolicy(res, join(dir, 'index.html'));
    res.sendFile(join(dir, 'index.html'));
  });
  logger.debug(`Serving the web app from ${dir}`);
}
