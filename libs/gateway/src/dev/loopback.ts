import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

/**
 * Whether the TCP peer is this machine. Uses the socket's own address, never X-Forwarded-For or Host,
 * which a remote client controls.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1';
}

/** Headers a proxy adds: a request carrying any of them came through one, whoever the TCP peer is. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'via'];

/** `localhost`, `127.x.y.z` or `[::1]`, with or without a port. */
function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name.toLowerCase() === 'localhost' || isLoopbackAddress(name);
}

/**
 * A request made on this machine straight to the server: loopback peer, no proxy in between, and a loopback
 * Host. A reverse proxy on the same machine connects from loopback too, on behalf of anyone: it either says so
 * (forwarding headers) or passes the public Host along. Either way the request is not the operator's own.
 */
export function isDirectLocalRequest(request: { socket: { remoteAddress?: string }; headers: IncomingHttpHeaders }): boolean {
  if (!isLoopbackAddress(request.socket.remoteAddress)) return false;
  if (PROXY_HEADERS.some((name) => request.headers[name] !== undefined)) return false;
  return isLoopbackHost(request.headers.host);
}
