import { createHash } from 'node:crypto';
import helmet from 'helmet';
import { isHostHeader } from './own-origin';

export type CspDirectives = Record<string, string[]>;

/**
 * The policy of every answer (API, docs, mailbox): helmet's defaults, no inline script at all, images and audio
 * from here and Cloudinary, connections to this origin only. Web app pages add the hashes of their own inline
 * scripts and their own socket address (pageCsp).
 */
export function baseCspDirectives(production: boolean): CspDirectives {
  const directives: Record<string, Iterable<string>> = {
    ...helmet.contentSecurityPolicy.getDefaultDirectives(),
    'script-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:', 'https://res.cloudinary.com'],
    // Voice messages play from here or from Cloudinary (raw resources).
    'media-src': ["'self'", 'https://res.cloudinary.com'],
    'connect-src': ["'self'"],
  };
  // Plain-HTTP development on localhost must not be upgraded to an HTTPS that is not there.
  if (!production) delete directives['upgrade-insecure-requests'];
  return Object.fromEntries(Object.entries(directives).map(([name, values]) => [name, [...values]]));
}

export function serializeCsp(directives: CspDirectives): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join(';');
}

/** A `<script>` without `src`: its text is what the browser hashes (script contents are raw text: no entity decoding). */
const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script\s*>/gi;

/** The CSP sources (`'sha256-…'`) of every inline script of an HTML page, in order, without repeats. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = [...html.matchAll(INLINE_SCRIPT)].map((match) => `'sha256-${createHash('sha256').update(match[1], 'utf8').digest('base64')}'`);
  return [...new Set(hashes)];
}

/**
 * A web app page's policy: its own inline scripts by hash (Next's static export inlines its bootstrap; nothing
 * else may run inline), and sockets to its own origin only. `'self'` already covers same-origin ws(s): in CSP 3;
 * the explicit ws:// and wss:// of the page's Host are for browsers that predate it. A Host that is not a plain
 * name or IPv4 address with a port (or none at all) gets `'self'` alone.
 */
export function pageCsp(base: CspDirectives, scriptHashes: readonly string[], host: string | undefined): string {
  const sockets = isHostHeader(host) && !host.startsWith('[') ? [`ws://${host.toLowerCase()}`, `wss://${host.toLowerCase()}`] : [];
  return serializeCsp({
    ...base,
    'script-src': [...(base['script-src'] ?? ["'self'"]), ...scriptHashes],
    'connect-src': [...(base['connect-src'] ?? ["'self'"]), ...sockets],
  });
}
