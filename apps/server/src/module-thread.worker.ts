import 'reflect-metadata';
import { parentPort } from 'node:worker_threads';
import { HealthProbes, loadConfig, Metrics, ThreadPeer } from '@chat/platform';
import { createApp, serveRoles } from './bootstrap';
import { THREAD_SERVICES, ThreadProbeFailure } from './module-thread';

/**
 * The module thread (module-thread.ts): MODULE_THREAD's roles in an application of their own, without HTTP, reached
 * through the in-process transport's ThreadPeer. The environment is the process's (a worker thread gets a copy).
 */
async function main(): Promise<void> {
  const port = parentPort!;
  const config = loadConfig(process.env).onThread('modules');
  const app = await createApp(config, port);
  const peer = app.get(ThreadPeer);
  const probes = app.get(HealthProbes);
  const metrics = app.get(Metrics);
  peer.serve(THREAD_SERVICES.health, async () => {
    const failures: ThreadProbeFailure[] = [];
    for (const probe of probes.list()) {
      try {
        await probe.check();
      } catch (error) {
        failures.push({ name: probe.name, message: String(error) });
      }
    }
    return failures;
  });
  peer.serve(THREAD_SERVICES.metrics, () => metrics.threadMetrics());
  port.on('message', (message: { close?: boolean }) => {
    if (message?.close) void app.close().then(() => process.exit(0), () => process.exit(1));
  });
  await serveRoles(app, config);
}

main().catch((error) => {
  process.stderr.write(`The module thread could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
