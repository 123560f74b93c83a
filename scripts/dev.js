#!/usr/bin/env node
/**
 * Hot-reloading web app against a running server: `npm start` (or `node dist/apps/server/src/main.js`) in one
 * terminal, `npm run dev` in another, then open http://localhost:3001. Next proxies /api, /socket.io, /media
 * and /dev to API_URL (default http://127.0.0.1:3000), so cookies and the socket stay same-origin.
 * Add http://localhost:3001 to the server's CORS_ORIGINS for the WebSocket Origin check.
 */
const { spawn } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const port = process.env.WEB_PORT ?? '3001';
const child = spawn(process.execPath, [require.resolve('next/dist/bin/next'), 'dev', join(root, 'apps', 'web'), '-p', port], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NEXT_IGNORE_INCORRECT_LOCKFILE: '1' },
});
// Stopping this script stops Next too (no orphaned dev server holding the port).
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
