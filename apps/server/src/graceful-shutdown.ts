import { INestApplication, Logger } from '@nestjs/common';
import { AppConfig } from '@chat/platform';

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish (up to SHUTDOWN_GRACE_MS),
 * then close transports, stores and databases through Nest's shutdown hooks, and exit.
 */
export function installGracefulShutdown(app: INestApplication, config: AppConfig): void {
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
      process.exit(0);
    } catch (error) {
      logger.error(error);
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
