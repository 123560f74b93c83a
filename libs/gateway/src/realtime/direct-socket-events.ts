import { Injectable } from '@nestjs/common';
import type { RealtimeSocket } from './socket-server.ref';

/** Handles one socket event itself, acks included (errors too: nothing else will). */
export type DirectSocketHandler = (socket: RealtimeSocket, data: unknown, ack: ((response: unknown) => void) | undefined) => void;

/**
 * Socket events served outside Nest's WebSocket pipeline (guards, pipes, interceptors, filters per event), for the
 * hot path: `message:send`. Nest's pipeline validated the same DTO twice (the global pipe and the gateway's) and
 * built a chain of contexts, closures and promises per event. RealtimeIoAdapter asks here first; every other event
 * keeps the pipeline.
 */
@Injectable()
export class DirectSocketEvents {
  private readonly handlers = new Map<string, DirectSocketHandler>();

  register(event: string, handler: DirectSocketHandler): void {
    this.handlers.set(event, handler);
  }

  handlerOf(event: string): DirectSocketHandler | undefined {
    return this.handlers.get(event);
  }
}
