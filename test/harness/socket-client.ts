import { io, Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ErrorPayload, ServerToClientEvents } from '../../libs/contracts/src';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectOptions {
  token?: string;
  /** Browser-like Origin header; default: the gateway's own origin (allowed by the cluster's CORS_ORIGINS). */
  origin?: string | null;
  cookie?: string;
  /** Extra fields in `auth` (spoofing attempts). */
  auth?: Record<string, unknown>;
  query?: Record<string, string>;
  /** Let socket.io-client reconnect by itself after a drop (connection state recovery). */
  reconnection?: boolean;
}

/** A real socket.io-client connection over WebSocket; resolves once connected, rejects with the server's error. */
export function connectSocket(url: string, options: ConnectOptions): Promise<ChatSocket> {
  const headers: Record<string, string> = {};
  const origin = options.origin === undefined ? url : options.origin;
  if (origin) headers.origin = origin;
  if (options.cookie) headers.cookie = options.cookie;
  const socket: ChatSocket = io(url, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: { ...(options.token ? { token: options.token } : {}), ...options.auth },
    query: options.query,
    extraHeaders: headers,
    reconnection: options.reconnection ?? false,
    reconnectionDelay: 100,
    forceNew: true,
    timeout: 10_000,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error: Error & { data?: ErrorPayload }) => {
      socket.close();
      reject(Object.assign(new Error(error.message), { data: error.data }));
    });
  });
}

/** Emits with an ack and resolves with the ack payload. */
export function request<T>(socket: ChatSocket, event: keyof ClientToServerEvents, payload: unknown, timeoutMs = 10_000): Promise<Ack<T>> {
  return (socket.timeout(timeoutMs) as any).emitWithAck(event, payload);
}

/** Records every server event a socket receives, for waiting on and for asserting nothing arrived. */
export class EventLog {
  readonly events: { name: string; payload: any }[] = [];
  private waiters: (() => void)[] = [];

  constructor(socket: ChatSocket) {
    socket.onAny((name: string, payload: unknown) => {
      this.events.push({ name, payload });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  of(name: string): any[] {
    return this.events.filter((e) => e.name === name).map((e) => e.payload);
  }

  async waitFor(name: string, predicate: (payload: any) => boolean = () => true, timeoutMs = 10_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.of(name).find(predicate);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No "${name}" event matched within ${timeoutMs} ms; got: ${JSON.stringify(this.events.map((e) => e.name))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
