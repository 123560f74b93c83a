import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { isObservable, lastValueFrom, Observable } from 'rxjs';
import type { ServerOptions } from 'socket.io';

/** The Socket class of the socket.io copy Nest's adapter uses (it may be nested under @nestjs/platform-socket.io). */
type Socket = Parameters<IoAdapter['bindMessageHandlers']>[0];
import { ErrorCodes, SOCKET_MAX_PAYLOAD_BYTES, SOCKET_PATH } from '@chat/contracts';
import type { AppConfig } from '@chat/platform';
import { CompactRecoveryAdapter } from './compact-recovery-adapter';
import { DirectSocketEvents } from './direct-socket-events';
import { noteUpgradeResponse } from './handshake-request';
import { MessageHandlerTable } from './message-handler-table';
import { plaintextParser } from './plaintext-parser';
import type { RedisStreamsFanout } from './redis-streams-fanout';
import { splitSocketArgs } from './socket-args';

/**
 * The gateway's Socket.IO server settings in one place: path, frame cap, connection state recovery, and with
 * REDIS_URL the Redis Streams adapter (RedisStreamsFanout, required only then), so several gateway processes deliver
 * to each other's sockets.
 */
export class RealtimeIoAdapter extends IoAdapter {
  private readonly logger = new Logger('RealtimeIoAdapter');
  private fanout: RedisStreamsFanout | null = null;
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
      adapter.fanout = await (require('./redis-streams-fanout') as typeof import('./redis-streams-fanout')).RedisStreamsFanout.connect(config);
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
      ...(recoveryMs > 0 && !this.fanout ? { adapter: CompactRecoveryAdapter.forWindow(recoveryMs) } : {}),
    } as ServerOptions);
    // Lets the handshake middleware free the upgrade request once the socket is authenticated (handshake-request.ts).
    server.engine.use(noteUpgradeResponse);
    if (this.fanout) {
      server.adapter(this.fanout.adapter());
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
    await this.fanout?.close();
  }
}
