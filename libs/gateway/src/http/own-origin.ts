/** A Host header as browsers send it: a name or an IPv4/[IPv6] address, with an optional port. Nothing else. */
const HOST_HEADER = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** Whether `host` is a well-formed Host header value (see HOST_HEADER). */
export function isHostHeader(host: string | undefined): host is string {
  return typeof host === 'string' && HOST_HEADER.test(host);
}

/**
 * Whether `origin` is the origin of the page this very server served: an http(s) origin whose host and port are
 * the request's Host. A browser always sends the Host of the server it connects to, so a page on another site
 * (a cross-site WebSocket hijack) names its own host in Origin and a different one in Host, and fails here. A
 * client that forges both is not a browser and cannot ride on a visitor's cookies anyway. (DNS rebinding makes
 * both match, but then the browser has no cookies of ours for that name.)
 *
 * Strict on purpose: the Origin must be exactly `scheme://host[:port]` (no path, no user info, no trailing
 * slash), default ports compare equal (`https://chat.example` and `Host: chat.example:443`), and `null` or a
 * malformed value is never our own.
 */
export function isOwnOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin || !isHostHeader(host)) return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (parsed.origin !== origin.toLowerCase()) return false;
  try {
    return new URL(`${parsed.protocol}//${host}`).host === parsed.host;
  } catch {
    return false;
  }
}
