import { Server } from 'node:http';

/**
 * How long an idle keep-alive connection stays open. Node closes it after 5 s by default; a client (a browser, a
 * load balancer with the usual 60 s idle timeout, a test's request context) that reuses the connection at the moment
 * the server closes it gets ECONNRESET on a request the server never saw. Outliving the client's own idle timeout
 * makes the client the one that closes, so the race cannot happen.
 */
export const KEEP_ALIVE_IDLE_MS = 65_000;

export function keepIdleConnectionsOpen(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_IDLE_MS;
  // Headers of a request on a reused connection must be allowed at least as long as the connection may idle.
  server.headersTimeout = KEEP_ALIVE_IDLE_MS + 1_000;
}
