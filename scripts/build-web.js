#!/usr/bin/env node
// Builds the web app as a static export into apps/web/out, which the gateway serves when SERVE_WEB is true.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const result = spawnSync(process.execPath, [require.resolve('next/dist/bin/next'), 'build', join(root, 'apps', 'web')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NEXT_IGNORE_INCORRECT_LOCKFILE: '1' },
});
process.exit(result.status ?? 1);
