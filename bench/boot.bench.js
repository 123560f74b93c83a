#!/usr/bin/env node
/**
 * Boot: how long a process of the built server takes to answer /health/ready, the CPU it spent getting there and
 * its RSS 3 s later, beside a bare Nest application (one controller on @nestjs/platform-express) started the same
 * way in the same run. Three shapes: the one-process server on the embedded defaults (two threads), a module role
 * over RabbitMQ and Redis (MODULES=messages), and the gateway role over them. Medians of BENCH_BOOT_RUNS boots
 * (default 5), alternating with the baseline. SERVE_WEB=false: the static web export is not part of a boot.
 *
 *   npm run bench -- boot        (after `npm run build`; RABBITMQ_URL and REDIS_URL default to this machine's)
 */
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { randomBytes } = require('node:crypto');
const { track } = require('./children');
const { freePort } = require('./free-port');
const { processCpuMs, processRssKb } = require('./proc-cpu');

const root = join(__dirname, '..');
const RUNS = Number(process.env.BENCH_BOOT_RUNS ?? 5);
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// The baseline: the least a Nest HTTP application does to answer one route.
const BARE_NEST = `
require('reflect-metadata');
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
class Health { ready() { return { status: 'ok' }; } }
Get('ready')(Health.prototype, 'ready', Object.getOwnPropertyDescriptor(Health.prototype, 'ready'));
Controller('health')(Health);
class App {}
Module({ controllers: [Health] })(App);
NestFactory.create(App, { logger: false }).then((app) => app.listen(Number(process.env.PORT), '127.0.0.1'));
`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One boot: spawn, poll /health/ready every 20 ms, read CPU at ready and RSS 3 s later, then kill. */
async function boot(args, env) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-boot-'));
  const port = await freePort();
  const started = performance.now();
  const child = track(spawn(process.execPath, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', SERVE_WEB: 'false', JWT_SECRET: randomBytes(32).toString('hex'), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  }));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
      if (performance.now() - started > 30_000) throw new Error('not ready within 30 s');
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) break;
      } catch {}
      await sleep(20);
    }
    const readyMs = performance.now() - started;
    const cpuMs = processCpuMs(child.pid);
    await sleep(3000);
    return { readyMs, cpuMs, rssMb: processRssKb(child.pid) / 1024 };
  } finally {
    child.kill('SIGKILL');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const round = (n) => Math.round(n);

async function main() {
  const server = [join(root, 'dist/apps/server/src/main.js')];
  const split = (modules) => ({ MODULES: modules, RABBITMQ_URL, REDIS_URL, NAMESPACE: `bboot${randomBytes(4).toString('hex')}` });
  const shapes = [
    { name: 'one process, defaults', env: {} },
    { name: 'MODULES=messages', env: split('messages') },
    { name: 'MODULES=gateway', env: split('gateway') },
  ];
  console.log(`Boot to /health/ready, median of ${RUNS}, each shape alternating with a bare Nest application:`);
  for (const shape of shapes) {
    const runs = { app: [], bare: [] };
    for (let i = 0; i < RUNS; i++) {
      runs.bare.push(await boot(['-e', BARE_NEST], {}));
      runs.app.push(await boot(server, shape.env));
    }
    const m = (list, key) => median(list.map((r) => r[key]));
    const [ready, cpu, rss] = ['readyMs', 'cpuMs', 'rssMb'].map((key) => [m(runs.app, key), m(runs.bare, key)]);
    console.log(
      `${shape.name.padEnd(22)} ready ${round(ready[0])} ms (bare Nest ${round(ready[1])}: ${(ready[0] / ready[1]).toFixed(2)}x)  ` +
        `CPU ${round(cpu[0])} ms (${round(cpu[1])}: ${(cpu[0] / cpu[1]).toFixed(2)}x)  RSS ${round(rss[0])} MB (${round(rss[1])}: ${(rss[0] / rss[1]).toFixed(2)}x)`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
