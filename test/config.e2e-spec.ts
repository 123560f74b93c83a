import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_ENTRY } from './harness/server-process';

/** Runs the built server with `env` (and nothing else of this machine's environment) until it exits. */
function runServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'chat-config-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      cwd, // no stray .env from the working copy
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATA_DIR: join(cwd, 'data'), PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not exit on a bad configuration:\n${output}`));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, output });
    });
  });
}

describe('a bad configuration stops the boot with one line naming the variable', () => {
  it.each([
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['MODULES', { MODULES: 'nope' }],
    ['RABBITMQ_URL', { RABBITMQ_URL: 'http://x' }],
    ['REDIS_URL', { REDIS_URL: 'localhost:6379' }],
    ['JWT_SECRET', { JWT_SECRET: 'too-short' }],
    ['SERVE_WEB', { SERVE_WEB: 'maybe' }],
    ['METRICS_ALLOW', { METRICS_ALLOW: 'localhost' }],
    // A process without every role must reach the others over RabbitMQ.
    ['RABBITMQ_URL', { MODULES: 'gateway' }],
  ])('%s: %j', async (variable, env) => {
    const { code, output } = await runServer(env);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(lines[0]).toMatch(/^Invalid configuration: /);
  });
});
