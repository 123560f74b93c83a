import { Injectable } from '@nestjs/common';
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from '@chat/contracts';

/** What the server keeps per socket (restored by connection state recovery, so plain JSON only). */
export interface ServerSocketData extends SocketData {
  /** Access-token expiry, epoch seconds: the socket is disconnected then. */
  exp: number;
}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ServerSocketData>;
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ServerSocketData>;

/**
 * The Socket.IO server, set by the gateway once Nest created it. Bus event handlers push through it; an event
 * that arrives before the server exists (boot) has no socket to reach anyway.
 */
@Injectable()
export class SocketServerRef {
  server: RealtimeServer | null = null;
}
