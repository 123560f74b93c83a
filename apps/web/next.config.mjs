import { PHASE_DEVELOPMENT_SERVER } from 'next/constants.js';

/**
 * Production: a static export (apps/web/out) the gateway serves on the API's own port, so cookies,
 * the API and the WebSocket share one origin. Development: `next dev` proxies the API, the socket and
 * media to a running server (API_URL, default http://127.0.0.1:3000), keeping that same-origin shape.
 */
export default function config(phase) {
  const dev = phase === PHASE_DEVELOPMENT_SERVER;
  const api = process.env.API_URL ?? 'http://127.0.0.1:3000';
  return {
    reactStrictMode: true,
    images: { unoptimized: true },
    ...(dev
      ? {
          async rewrites() {
            return ['/api/:path*', '/socket.io/:path*', '/media/:path*', '/dev/:path*', '/docs/:path*'].map((source) => ({
              source,
              destination: `${api}${source}`,
            }));
          },
        }
      : { output: 'export' }),
  };
}
