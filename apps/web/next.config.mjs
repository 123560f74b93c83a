import { PHASE_DEVELOPMENT_SERVER } from 'next/constants.js';

/**
 * Production: a static export (apps/web/out) the gateway serves on the API's own port, so cookies,
 * the API and the WebSocket share one origin. Development: `next dev` proxies /api, /media and /dev to a
 * running server (API_URL, default http://127.0.0.1:3000), so the session cookies stay first-party.
 */
export default function config(phase) {
  const dev = phase === PHASE_DEVELOPMENT_SERVER;
  const api = process.env.API_URL ?? 'http://127.0.0.1:3000';
  return {
    reactStrictMode: true,
    images: { unoptimized: true },
    ...(dev
      ? {
          // The dev server does not pass WebSocket upgrades through its rewrites: the socket goes straight to
          // the API's port on the page's own host (cookies are per host, not per port, so they still apply).
          env: { NEXT_PUBLIC_SOCKET_PORT: new URL(api).port || '80' },
          allowedDevOrigins: ['127.0.0.1', 'localhost'],
          async rewrites() {
            return ['/api/:path*', '/media/:path*', '/dev/:path*', '/docs/:path*'].map((source) => ({
              source,
              destination: `${api}${source}`,
            }));
          },
        }
      : {
          output: 'export',
          // For reading CPU profiles of the render benchmark (BENCH_RENDER_PROFILE): function names kept.
          ...(process.env.WEB_BUILD_UNMINIFIED === 'true' ? { webpack: (c) => ((c.optimization.minimize = false), c) } : {}),
        }),
  };
}
