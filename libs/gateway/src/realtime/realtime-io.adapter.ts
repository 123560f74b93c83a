import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import Redis from 'ioredis';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { isObservable, lastValueFrom, Observable } from 'rxjs';
import type { ServerOptions } from 'socket.io';

/** The Socket class of the socket.io copy Nest's adapter uses (it may be nested under @nestjs/platform-socket.io). */
type Socket = Parameters<IoAdapter['bindMessageHandlers']>[0];
import { ErrorCodes, SOCKET_MAX_PAYLOAD_BYTES, SOCKET_PATH } from '@chat/contracts';
import { type AppConfig, redisClientOptions } from '@chat/platform';
import { CompactRecoveryAdapter } from './compact-recovery-adapter';
import { DirectSocketEvents } from './direct-socket-events';
import { noteUpgradeResponse } from './handshake-request';
import { MessageHandlerTable } from './message-handler-table';
import { plaintextParser } from './plaintext-parser';
import { splitSocketArgs } from './socket-args';

/**
 * The Streams adapter fires SET (a dropped socket's session) and PUBLISH without waiting for them. With a command
 * timeout they can now fail, and a rejection nobody listens to would end the process: mark them observed (the
 * promise handed back still rejects for callers that do wait).
 */
function observeFireAndForget(redis: Redis): void {
  for (const name of ['set', 'publish'] as const) {
    const original = (redis[name] as (...args: unknown[]) => Promise<unknown>).bind(redis);
    (redis as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const result = original(...args);
      result.catch(() => undefined);
      return result;
    };
  }
}

/**
 * The gateway's Socket.IO server settings in one place: path, frame cap, connection state recovery, and with
 * REDIS_URL the Redis Streams adapter (the classic Redis adapter cannot recover connection state), so several
 * gateway processes deliver to each other's sockets.
 */
export class RealtimeIoAdapter extends IoAdapter {
  private readonly logger = new Logger('RealtimeIoAdapter');
  private redis: Redis | null = null;
  private direct: DirectSocketEvents | null = null;

  constructor(
    private readonly app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  /** Connects Redis before Nest creates the server, so the first socket already goes through the adapter. */
  static async create(app: INestApplicationContext, config: AppConfig): Promise<RealtimeIoAdapter> {
    const adapter = new RealtimeIoAdapter(app, config);
    if (config.env.REDIS_URL) {
      adapter.redis = new Redis(config.env.REDIS_URL, { ...redisClientOptions(config.env.REDIS_COMMAND_TIMEOUT_MS), lazyConnect: true });
      adapter.redis.on('error', () => undefined);
      observeFireAndForget(adapter.redis);
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
      parser: plaintextParser,
      // Origin is checked in the handshake middleware; CORS headers are only for the polling transport.
      cors: { origin: [...this.config.corsOrigins], credentials: true },
      // Recovery re-runs the auth middleware: a stolen or expired token cannot resume a session.
      connectionStateRecovery: recoveryMs > 0 ? { maxDisconnectionDuration: recoveryMs, skipMiddlewares: false } : undefined,
      // One gateway keeps the packets a dropped socket may miss in a compact, bounded log; with Redis, the Streams
      // adapter below keeps them in Redis instead.
      ...(recoveryMs > 0 && !this.redis ? { adapter: CompactRecoveryAdapter.forWindow(recoveryMs) } : {}),
    } as ServerOptions);
    // Lets the handshake middleware free the upgrade request once the socket is authenticated (handshake-request.ts).
    server.engine.use(noteUpgradeResponse);
    if (this.redis) {
      const ns = this.config.env.NAMESPACE;
      server.adapter(
        createAdapter(this.redis, {
          streamName: `${ns}:socket.io`,
          channelPrefix: `${ns}:socket.io`,
          sessionKeyPrefix: `${ns}:sio:session:`,
          maxLen: 100_000,
          onlyPlaintext: true,
          // The stream readers share the client's command timeout (a stalled Redis must not hold a reconnecting
          // socket's session restore), so each blocking read ends well before it.
          blockTimeInMs: Math.max(25, Math.floor(this.config.env.REDIS_COMMAND_TIMEOUT_MS / 2)),
        }),
      );
      this.logger.debug('Socket.IO Redis Streams adapter enabled');
    }
    return server;
  }

  /**
   * Nest's default builds an RxJS pipeline per handler per socket (fromEvent, mergeMap, takeUntil...), which is
   * most of an idle socket's memory. Same behaviour with one plain listener per socket: call the handler, then
   * ack with what it returned (errors were already turned into error acks by WsErrorFilter). The event → handler
   * lookup is shared by all sockets; a socket keeps only the callbacks Nest bound to it. Events the gateway serves
   * directly (DirectSocketEvents) skip Nest's pipeline.
   */
  bindMessageHandlers(socket: Socket, handlers: MessageMappingProperties[], _transform: (data: any) => Observable<any>): void {
    const table = MessageHandlerTable.for(handlers);
    const callbacks = handlers.map((handler) => handler.callback);
    const direct = this.directEvents();
    socket.onAny((event: string, ...args: unknown[]) => {
      const { data, ack } = splitSocketArgs(args);
      const handle = direct.handlerOf(event);
      if (handle) return handle(socket as never, data, ack);
      const slot = table.slotOf(event);
      if (!slot) {
        if (typeof ack === 'function') ack({ ok: false, error: { code: ErrorCodes.VALIDATION_FAILED, message: `Unknown event "${String(event).slice(0, 64)}"` } });
        return;
      }
      void this.dispatch(socket, callbacks[slot.index], slot.isAckHandledManually, data, ack);
    });
  }

  private directEvents(): DirectSocketEvents {
    this.direct ??= this.app.get<DirectSocketEvents>(DirectSocketEvents, { strict: false });
    return this.direct;
  }

  private async dispatch(socket: Socket, callback: MessageMappingProperties['callback'], isAckHandledManually: boolean, data: unknown, ack: unknown): Promise<void> {
    try {
      let response = await callback(data, ack);
      if (isObservable(response)) response = await lastValueFrom(response, { defaultValue: undefined });
      if (response === undefined || response === null) return;
      if (typeof response === 'object' && 'event' in response && typeof (response as { event: unknown }).event === 'string') {
        socket.emit((response as { event: string }).event, (response as { data?: unknown }).data);
      } else if (!isAckHandledManually && typeof ack === 'function') {
        ack(response);
      }
    } catch (error) {
      this.logger.error({ err: error }, 'Socket handler failed outside the exception filter');
    }
  }

  async dispose(): Promise<void> {
    await super.dispose();
    await this.redis?.quit().catch(() => undefined);
  }
}
