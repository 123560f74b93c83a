import type { HistoryPage } from '../contracts';
import { createStore } from '../store';
import { createEngine } from './create-engine';
import { chat, fakeApi, FakeClock, FakeSocket, ME, message, settle } from './test-kit';

/**
 * Live frames over a fake server: the chats c1 (messages 1..3) and c2 (none), the page visible or hidden as the test
 * says. What matters here is what the engine sends back for a new message: its pointers (delivered, read).
 */
function world() {
  const socket = new FakeSocket((event) => (event === 'sync' ? { ok: true, data: { chats: [], unknownChatIds: [], notFoundChatIds: [], users: [] } } : { ok: true, data: [] }));
  const page = (items = [message(1), message(2), message(3)]): HistoryPage => ({ items, hasOlder: false, hasNewer: false, changeCursor: '0' }) as HistoryPage;
  const api = fakeApi({
    'GET /chats?': () => ({ items: [chat({ lastSeq: 3, lastReadSeq: 3, lastDeliveredSeq: 3 }), chat({ id: 'c2' })], nextCursor: null }),
    'GET /chats/c1/messages?limit=': () => page(),
    'GET /chats/c1/read-states': () => [],
    'GET /chats/c1/pins': () => [],
    'GET /users/': () => [],
  });
  const store = createStore();
  const state = { visible: true };
  const engine = createEngine({
    store, api, clock: new FakeClock(), openSocket: () => socket, refreshSession: async () => 'ok',
    loadOutbox: () => [], saveOutbox: () => undefined, online: () => true, visible: () => state.visible, notify: () => undefined,
  });
  return { socket, store, engine, state };
}

describe('live events: what a new message sends back', () => {
  let w: ReturnType<typeof world>;
  beforeEach(async () => {
    w = world();
    await w.engine.start(ME, () => undefined);
    w.socket.connect();
    await w.engine.openThread('c1');
    await settle();
    w.socket.sent.length = 0;
  });
  afterEach(() => w.engine.stop());

  it('in the open chat, seen: read at once, and only read goes out (read implies delivered on the server)', () => {
    w.socket.receive('message:new', { ...message(4), unreadCount: 1 });
    expect(w.socket.sentOf('message:read')).toEqual([{ chatId: 'c1', seq: 4 }]);
    expect(w.socket.sentOf('message:delivered')).toEqual([]);
    expect(w.store.getState().chats.c1).toMatchObject({ lastSeq: 4, lastReadSeq: 4, unreadCount: 0 });
  });

  it('in another chat: delivered, not read', () => {
    w.socket.receive('message:new', { ...message(1, { id: 'x1', chatId: 'c2' }), unreadCount: 1 });
    expect(w.socket.sentOf('message:delivered')).toEqual([{ chatId: 'c2', seq: 1 }]);
    expect(w.socket.sentOf('message:read')).toEqual([]);
    expect(w.store.getState().chats.c2).toMatchObject({ unreadCount: 1 });
  });

  it('in the open chat while the page is hidden: delivered, not read', () => {
    w.state.visible = false;
    w.socket.receive('message:new', { ...message(4), unreadCount: 1 });
    expect(w.socket.sentOf('message:delivered')).toEqual([{ chatId: 'c1', seq: 4 }]);
    expect(w.socket.sentOf('message:read')).toEqual([]);
  });

  it('my own message (another device of mine): neither', () => {
    w.socket.receive('message:new', { ...message(4, { senderId: ME.id }), unreadCount: 0 });
    expect(w.socket.sentOf('message:delivered')).toEqual([]);
    expect(w.socket.sentOf('message:read')).toEqual([]);
  });
});
