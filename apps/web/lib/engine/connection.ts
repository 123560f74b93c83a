import type { RefreshOutcome } from '../api';
import type { Connection } from '../store';
import type { Clock, SocketLike, Store } from './ports';

export interface ConnectionDeps {
  store: Store;
  clock: Clock;
  /** Makes the socket (socket.io's `io` in the app, a fake in tests); it connects by itself. */
  open(): SocketLike;
  /** Rotates the session's cookies after the server refused the socket's. */
  refreshSession(): Promise<RefreshOutcome>;
  /** The session is over (the refresh was refused). */
  onSignedOut(): void;
  /** Connected (again): catch up, send what waits, and so on. */
  onConnected(): void;
  /** Whether the browser believes it has a network. */
  online(): boolean;
}

export interface ConnectionControl {
  socket(): SocketLike | null;
  /** Socket.IO retries by itself only after some kinds of loss; this catches the rest (called every few seconds). */
  reconnectIfIdle(): void;
  /** The browser knows it lost the network before the socket's heartbeat does. */
  onBrowserOffline(): void;
  onBrowserOnline(): void;
  close(): void;
}

const RETRY_MS = 2000;

/**
 * The one socket: its state in the store (online, reconnecting, offline), and the reconnects socket.io does not do
 * by itself: after a server-side disconnect, an expired session (refreshed first) or a refused handshake.
 */
export function createConnection({ store, clock, open, refreshSession, onSignedOut, onConnected, online }: ConnectionDeps): ConnectionControl {
  let socket: SocketLike | null = open();
  let reauthenticating = false;
  const setConnection = (connection: Connection) => store.setState((s) => (s.connection === connection ? {} : { connection }));
  const lost = () => setConnection(online() ? 'reconnecting' : 'offline');

  async function reauthenticateAndReconnect(): Promise<void> {
    if (reauthenticating) return;
    reauthenticating = true;
    try {
      const outcome = await refreshSession();
      // A server restart is not a sign-out: only a refused refresh ends the session.
      if (outcome === 'rejected') onSignedOut();
      else if (outcome === 'ok') socket?.connect();
      else clock.setTimeout(() => socket?.connect(), RETRY_MS);
    } finally {
      reauthenticating = false;
    }
  }

  const s = socket;
  s.on('connect', () => {
    setConnection('online');
    onConnected();
  });
  s.on('disconnect', (reason: string) => {
    lost();
    // A server-side disconnect is not retried by socket.io itself.
    if (reason === 'io server disconnect') void reauthenticateAndReconnect();
  });
  s.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    lost();
    if (error.data?.code === 'AUTH.UNAUTHENTICATED') void reauthenticateAndReconnect();
    // A refusal by the server's middleware is not retried by socket.io itself; a store of the server's that is
    // briefly down is worth another try, with the same token.
    else if (error.data?.code === 'COMMON.DEPENDENCY_UNAVAILABLE') clock.setTimeout(() => socket === s && !s.connected && !s.active && s.connect(), RETRY_MS);
  });
  s.on('auth:expired', () => void reauthenticateAndReconnect());
  if (!online()) setConnection('offline');

  return {
    socket: () => socket,
    reconnectIfIdle() {
      if (!socket || socket.connected || socket.active || reauthenticating || !online()) return;
      socket.connect();
    },
    onBrowserOffline() {
      // Drop the socket at once, so sends go to the outbox instead of into a dead connection.
      setConnection('offline');
      socket?.disconnect();
    },
    onBrowserOnline() {
      setConnection('reconnecting');
      if (socket && !socket.connected) socket.connect();
    },
    close() {
      socket?.removeAllListeners();
      socket?.disconnect();
      socket = null;
    },
  };
}
