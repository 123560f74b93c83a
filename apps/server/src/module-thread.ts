import { INestApplication, Logger } from '@nestjs/common';
import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { HealthProbes, Metrics, ThreadMetrics, ThreadPeer, ThreadPort } from '@chat/platform';

/** What one thread asks the other for besides module calls. */
export const THREAD_SERVICES = { health: 'health', metrics: 'metrics' } as const;

/** A readiness probe's failure on the other thread, as its /health/ready would name it. */
export interface ThreadProbeFailure {
  name: string;
  message: string;
}

/**
 * The second thread of a process that runs every role without RabbitMQ (MODULE_THREAD, by default Messages and
 * Chats), seen from the main thread. Why: one Node thread runs on one core, and in one process the storage
 * modules' SQLite commits, inserts and merges took about half of a busy event loop; on their own thread they use
 * the machine's second core, and a commit never holds up the sockets. The boundary between the threads is the
 * module boundary: the in-process transport spans both (ThreadPeer), so nothing else changes, and a crash of
 * either thread ends the process, as a crash of the one thread did.
 */
export class ModuleThread {
  private readonly logger = new Logger('ModuleThread');
  private closing = false;
  private readonly exited: Promise<unknown>;

  private constructor(private readonly worker: Worker) {
    this.exited = once(worker, 'exit');
    worker.on('error', (error) => this.logger.error({ err: error }, 'The module thread failed'));
    worker.on('exit', (code) => {
      if (this.closing) return;
      // Its modules are gone: the process cannot serve, and a supervisor restarts it whole (the outboxes redeliver).
      process.stderr.write(`The module thread exited (code ${code}); stopping the process\n`);
      process.exit(1);
    });
  }

  /** Starts the thread; it builds its own application from the same environment (module-thread.worker.ts). */
  static start(): ModuleThread {
    return new ModuleThread(new Worker(join(__dirname, 'module-thread.worker.js')));
  }

  /** The main thread's end of the channel, for its transport. */
  get port(): ThreadPort {
    return this.worker;
  }

  /** The thread's readiness probes and metrics count in this thread's /health/ready and /metrics. */
  reportThrough(app: INestApplication): void {
    const peer = app.get(ThreadPeer);
    app.get(HealthProbes).register({
      name: 'module-thread',
      check: async () => {
        const failures = await peer.call<ThreadProbeFailure[]>(THREAD_SERVICES.health);
        if (failures.length) throw new Error(failures.map((failure) => `${failure.name}: ${failure.message}`).join('; '));
      },
    });
    app.get(Metrics).includeOtherThread(() => peer.call<ThreadMetrics>(THREAD_SERVICES.metrics));
  }

  /** Closes the thread's application (its relays stop, its databases close) and waits for the thread to end. */
  async close(): Promise<void> {
    if (this.closing) return this.exited.then(() => undefined);
    this.closing = true;
    this.worker.postMessage({ close: true });
    const timeout = setTimeout(() => void this.worker.terminate(), 10_000);
    await this.exited;
    clearTimeout(timeout);
  }
}
