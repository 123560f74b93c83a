import type { RefreshOutcome } from '../api';
import type { MessageDto, UserDto } from '../contracts';
import type { OutboxEntry } from '../store';
import { createCatchUp } from './catch-up';
import { createConnection, ConnectionControl } from './connection';
import { createDirectory } from './directory';
import { createHistory } from './history';
import { createLink } from './link';
import { attachLiveEvents } from './live-events';
import { createMessageActions } from './message-actions';
import { createOutbox } from './outbox';
import type { ApiClient, Clock, SocketLike, Store } from './ports';
import { createPresenceTyping } from './presence-typing';

export interface EngineDeps {
  store: Store;
  api: ApiClient;
  clock: Clock;
  openSocket(): SocketLike;
  refreshSession(): Promise<RefreshOutcome>;
  loadOutbox(userId: string): OutboxEntry[];
  saveOutbox(userId: string, entries: OutboxEntry[]): void;
  online(): boolean;
  visible(): boolean;
  notify?: (message: MessageDto) => void;
}

const PRUNE_TYPING_MS = 1000;
const WATCHDOG_MS = 3000;

/**
 * The live side of the app, from its parts: the connection, the outbox that sends through it, catch-up after
 * reconnects, history, presence and typing, and the server's live events. Screens read the store and call these
 * functions; nothing else talks to the socket.
 */
export function createEngine(deps: EngineDeps) {
  const { store, api, clock } = deps;
  let connection: ConnectionControl | null = null;
  let timers: ReturnType<typeof setInterval>[] = [];
  const link = createLink(() => connection?.socket() ?? null, clock);
  const presence = createPresenceTyping({ store, link, clock });
  const directory = createDirectory({ store, api, link, presence });
  const history = createHistory({ store, api, link, directory, visible: deps.visible });
  const outbox = createOutbox({ store, link, clock, persist: deps.saveOutbox });
  const actions = createMessageActions({ store, api, link });
  const catchUp = createCatchUp({ store, link, refreshChats: directory.refreshChats });

  async function afterConnect(): Promise<void> {
    // catchUp ends with refreshChats, which asks for presence again.
    await catchUp();
    void outbox.flush();
    history.markOpenChatRead();
  }

  return {
    async start(me: UserDto, onSignedOut: () => void): Promise<void> {
      store.setState(() => ({ me, outbox: deps.loadOutbox(me.id), users: { [me.id]: me } }));
      connection = createConnection({
        store,
        clock,
        open: deps.openSocket,
        refreshSession: deps.refreshSession,
        onSignedOut,
        onConnected: () => void afterConnect(),
        online: deps.online,
      });
      attachLiveEvents(connection.socket()!, { store, link, directory, history, presence, actions, notify: deps.notify });
      void directory.loadBlocked();
      timers = [setInterval(presence.prune, PRUNE_TYPING_MS), setInterval(() => connection?.reconnectIfIdle(), WATCHDOG_MS)];
      await directory.refreshChats();
    },
    stop(): void {
      connection?.close();
      connection = null;
      for (const t of timers) clearInterval(t);
      timers = [];
      history.closeThread();
      store.reset();
    },
    connection: () => connection,
    catchUp,
    ...directory,
    ...history,
    ...actions,
    queueMessage: outbox.queue,
    retryMessage: outbox.retry,
    discardMessage: outbox.discard,
    flushOutbox: outbox.flush,
    noteTyping: presence.noteTyping,
  };
}

export type Engine = ReturnType<typeof createEngine>;
