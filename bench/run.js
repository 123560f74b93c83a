#!/usr/bin/env node
// Runs every bench/*.bench.js in turn, each in its own process (after `npm run build`; `npm run bench` does both).
const { spawnSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const only = process.argv[2];
const scripts = readdirSync(__dirname)
  .filter((name) => name.endsWith('.bench.js'))
  .filter((name) => !only || name.includes(only))
  .sort();
let failed = 0;
for (const script of scripts) {
  process.stdout.write(`\n=== ${script}\n`);
  const result = spawnSync(process.execPath, [join(__dirname, script)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
