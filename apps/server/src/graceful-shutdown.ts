import { INestApplication, Logger } from '@nestjs/common';
import { AppConfig } from '@chat/platform';
import type { ModuleThread } from './module-thread';

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish (up to SHUTDOWN_GRACE_MS),
 * then close transports, stores and databases through Nest's shutdown hooks, and exit. The module thread closes
 * last: requests in flight on the main thread may still need its modules.
 */
export function installGracefulShutdown(app: INestApplication, config: AppConfig, thread: ModuleThread | null = null): void {
  const logger = new Logger('Shutdown');
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: draining`);
    const force = setTimeout(() => {
      logger.error('Grace period over; exiting with work in flight');
      process.exit(1);
    }, config.env.SHUTDOWN_GRACE_MS + 5000);
    force.unref();
    try {
      await app.close();
      await thread?.close();
      process.exit(0);
    } catch (error) {
      logger.error(error);
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
