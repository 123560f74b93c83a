import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import Redis from 'ioredis';
import type { ServerOptions } from 'socket.io';
import { SOCKET_MAX_PAYLOAD_BYTES, SOCKET_PATH } from '@chat/contracts';
import type { AppConfig } from '@chat/platform';

/**
 * The gateway's Socket.IO server settings in one place: path, frame cap, connection state recovery, and with
 * REDIS_URL the Redis Streams adapter (the classic Redis adapter cannot recover connection state), so several
 * gateway processes deliver to each other's sockets.
 */
export class RealtimeIoAdapter extends IoAdapter {
  private readonly logger = new Logger('RealtimeIoAdapter');
  private redis: Redis | null = null;

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  /** Connects Redis before Nest creates the server, so the first socket already goes through the adapter. */
  static async create(app: INestApplicationContext, config: AppConfig): Promise<RealtimeIoAdapter> {
    const adapter = new RealtimeIoAdapter(app, config);
    if (config.env.REDIS_URL) {
      adapter.redis = new Redis(config.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: null });
      await adapter.redis.connect();
    }
    return adapter;
  }

  createIOServer(port: number, options?: ServerOptions): any {
    const recoveryMs = this.config.env.WS_RECOVERY_MS;
    const server = super.createIOServer(port, {
      ...options,
      path: SOCKET_PATH,
      serveClient: false,
      maxHttpBufferSize: SOCKET_MAX_PAYLOAD_BYTES,
      // Origin is checked in the handshake middleware; CORS headers are only for the polling transport.
      cors: { origin: [...this.config.corsOrigins], credentials: true },
      // Recovery re-runs the auth middleware: a stolen or expired token cannot resume a session.
      connectionStateRecovery: recoveryMs > 0 ? { maxDisconnectionDuration: recoveryMs, skipMiddlewares: false } : undefined,
    } as ServerOptions);
    if (this.redis) {
      const ns = this.config.env.NAMESPACE;
      server.adapter(
        createAdapter(this.redis, {
          streamName: `${ns}:socket.io`,
          channelPrefix: `${ns}:socket.io`,
          sessionKeyPrefix: `${ns}:sio:session:`,
          maxLen: 100_000,
          onlyPlaintext: true,
        }),
      );
      this.logger.log('Socket.IO Redis Streams adapter enabled');
    }
    return server;
  }

  async dispose(): Promise<void> {
    await super.dispose();
    await this.redis?.quit().catch(() => undefined);
  }
}
