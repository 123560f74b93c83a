import type { Connection } from 'mongoose';
import { HealthProbe } from '../health/health-probe';

/** What the probe reads of a Mongoose connection (a fake in unit tests). */
export type PingableConnection = Pick<Connection, 'readyState'> & {
  db?: { admin(): { ping(): Promise<unknown> } } | null;
};

const CONNECTED = 1;

/**
 * Readiness of a module's MongoDB: connected, and a ping answered within `timeoutMs`. The driver queues
 * commands while it looks for a server (30 s by default), so without the bound /health/ready would hang
 * exactly when it matters.
 */
export function mongoReadinessProbe(name: string, connection: PingableConnection, timeoutMs = 1000): HealthProbe {
  return {
    name,
    async check() {
      if (connection.readyState !== CONNECTED || !connection.db) throw new Error(`MongoDB is not connected (state ${connection.readyState})`);
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          connection.db.admin().ping(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`MongoDB did not answer a ping within ${timeoutMs} ms`)), timeoutMs);
            timer.unref();
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
