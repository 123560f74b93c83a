import { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The HTTP request that opened a connection outlives the handshake twice over: engine.io keeps it as
 * `socket.conn.request`, and for a WebSocket upgrade also through the stand-in response it gives its middlewares
 * (a 'close' listener on the TCP socket holds that one for the connection's life). Dropping only the first, as
 * Socket.IO's memory guide suggests, frees nothing. Both go once the handshake is authenticated: about 1 KB per
 * idle socket. socket.handshake already holds what is still read later (headers, query, auth).
 */
const upgradeResponses = new WeakMap<IncomingMessage, { req: IncomingMessage | null }>();

/** engine.io middleware: notes a WebSocket upgrade's stand-in response (a real ServerResponse is let go by Node). */
export function noteUpgradeResponse(req: IncomingMessage, res: unknown, next: (error?: unknown) => void): void {
  if (!(res instanceof ServerResponse)) upgradeResponses.set(req, res as { req: IncomingMessage | null });
  next();
}

/** After the handshake middleware: nothing reads the request any more (see above). */
export function releaseHandshakeRequest(conn: { request: IncomingMessage | null }): void {
  const request = conn.request;
  if (!request) return;
  const response = upgradeResponses.get(request);
  if (response) response.req = null;
  upgradeResponses.delete(request);
  conn.request = null;
}
