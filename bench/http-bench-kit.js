/**
 * What the HTTP benchmarks (chats-messages, search) share: the built server started on a seeded DATA_DIR, a
 * keep-alive GET as one user, and latency samples (with the server's CPU per request) after a warm-up.
 */
const { spawn } = require('node:child_process');
const http = require('node:http');
const { join } = require('node:path');
const { track } = require('./children');
const { processCpuMs } = require('./proc-cpu');

const SERVER_ENTRY = join(__dirname, '..', 'dist', 'apps', 'server', 'src', 'main.js');

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function stats(samplesNs) {
  const ms = samplesNs.map((ns) => Number(ns) / 1e6).sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms[ms.length - 1] };
}

/** p50, p99 and max of `samples` timed runs, after `warmup` untimed ones. */
async function measure(run, { warmup, samples }) {
  for (let i = 0; i < warmup; i++) await run();
  const times = [];
  for (let i = 0; i < samples; i++) {
    const start = process.hrtime.bigint();
    await run();
    times.push(process.hrtime.bigint() - start);
  }
  return stats(times);
}

/** measure() plus the server's CPU-ms per request over warm-up and samples. */
async function measureWithCpu(pid, run, { warmup, samples }) {
  const before = processCpuMs(pid);
  const result = await measure(run, { warmup, samples });
  return { ...result, cpuPerRequest: (processCpuMs(pid) - before) / (warmup + samples) };
}

/** The built server, one process, embedded defaults, on the seeded DATA_DIR (`env`: settings of one bench). */
function startServer(dataDir, port, secret, env = {}) {
  // BENCH_NODE_ARGS: e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where the edge spends its time.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return track(spawn(process.execPath, [...nodeArgs, SERVER_ENTRY], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', MODULES: 'all', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', JWT_SECRET: secret, LOG_LEVEL: 'error', SERVE_WEB: 'false', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  }));
}

async function waitReady(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready within ${timeoutMs / 1000} s`);
}

/** GET as one user over one keep-alive connection; anything but 200 rejects. */
function getter(port, token) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return (path) =>
    new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`${path} → ${res.statusCode} ${Buffer.concat(chunks)}`));
          else resolve(Buffer.concat(chunks));
        });
      });
      req.on('error', reject);
    });
}

module.exports = { measure, measureWithCpu, startServer, waitReady, getter };
