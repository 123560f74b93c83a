import { io } from 'socket.io-client';
import { api, refreshSession } from '../api';
import { SOCKET_PATH } from '../contracts';
import { loadOutbox, saveOutbox } from '../outbox-storage';
import { appStore } from '../store';
import { createEngine } from './create-engine';
import { realClock, SocketLike } from './ports';

export { showChat } from './live-events';

/** Same origin in production; in `npm run dev`, the API server's port on this host (see next.config.mjs). */
function socketOrigin(): string | undefined {
  const port = process.env.NEXT_PUBLIC_SOCKET_PORT;
  return port ? `${location.protocol}//${location.hostname}:${port}` : undefined;
}

/** The page's engine: the real socket, API, store and browser (see create-engine.ts for the parts). */
const engine = createEngine({
  store: appStore,
  api,
  clock: realClock,
  // WebSocket first; long-polling when something in between (a proxy, the dev server) refuses the upgrade.
  openSocket: () => io(socketOrigin(), { path: SOCKET_PATH, withCredentials: true, transports: ['websocket', 'polling'], tryAllTransports: true }) as unknown as SocketLike,
  refreshSession,
  loadOutbox,
  saveOutbox,
  online: () => typeof navigator === 'undefined' || navigator.onLine,
  visible: () => typeof document !== 'undefined' && document.visibilityState === 'visible',
});

const markOpenChatRead = () => engine.markOpenChatRead();
const onBrowserOffline = () => engine.connection()?.onBrowserOffline();
const onBrowserOnline = () => engine.connection()?.onBrowserOnline();

export async function startEngine(me: Parameters<typeof engine.start>[0], onSignedOut: () => void): Promise<void> {
  if (typeof window !== 'undefined') {
    window.addEventListener('online', onBrowserOnline);
    window.addEventListener('offline', onBrowserOffline);
    document.addEventListener('visibilitychange', markOpenChatRead);
    window.addEventListener('focus', markOpenChatRead);
  }
  await engine.start(me, onSignedOut);
}

export function stopEngine(): void {
  if (typeof window !== 'undefined') {
    window.removeEventListener('online', onBrowserOnline);
    window.removeEventListener('offline', onBrowserOffline);
    document.removeEventListener('visibilitychange', markOpenChatRead);
    window.removeEventListener('focus', markOpenChatRead);
  }
  engine.stop();
}

export const {
  refreshChats, ensureUsers, openDirectChat, createGroup, loadBlocked, blockUser, unblockUser,
  openThread, closeThread, loadOlder, loadNewer, loadAround, loadLatest, loadPins,
  editMessage, deleteMessage, deleteForMe, forwardMessage, pinMessage, unpinMessage, reactToMessage,
  queueMessage, retryMessage, discardMessage, flushOutbox, noteTyping,
} = engine;
export { markOpenChatRead };
