import type { HistoryPage, MessageDto, SyncChatPosition, SyncResult } from '../contracts';
import { createStore } from '../store';
import { createEngine } from './create-engine';
import { chat, fakeApi, FakeClock, FakeSocket, ME, message, settle } from './test-kit';

/**
 * The engine whole, over a fake server: the chat c1 holds messages 1..`total` (the test adds more), the history
 * page is the newest 40, sync answers what comes after the seq asked for (at most `perRound` a round) and the
 * changes since the cursor sent (the cursor is the number of changes seen, as text).
 */
function world() {
  const server = { messages: [] as MessageDto[], changes: [] as MessageDto[], perRound: 1000 };
  const add = (...seqs: number[]) => server.messages.push(...seqs.map((n) => message(n)));
  const syncs: SyncChatPosition[][] = [];
  const socket = new FakeSocket((event, payload) => {
    if (event !== 'sync') return event === 'presence:query' ? { ok: true, data: [] } : undefined;
    syncs.push(payload.chats);
    const result: SyncResult = {
      chats: payload.chats.map((p: SyncChatPosition) => {
        const after = server.messages.filter((m) => m.seq > p.lastSeq);
        const since = Number(p.changeCursor ?? server.changes.length);
        return {
          chatId: p.chatId,
          messages: after.slice(0, server.perRound),
          changed: server.changes.slice(since).filter((m) => m.seq <= p.lastSeq),
          changeCursor: String(server.changes.length),
          pins: [],
          complete: after.length <= server.perRound,
        };
      }),
      unknownChatIds: [],
      notFoundChatIds: [],
      users: [],
    };
    return { ok: true, data: result };
  });
  const page = (items: MessageDto[], more: Partial<HistoryPage> = {}): HistoryPage =>
    ({ items, hasOlder: false, hasNewer: false, changeCursor: String(server.changes.length), ...more }) as HistoryPage;
  const api = fakeApi({
    'GET /chats?': () => ({ items: [chat({ lastSeq: server.messages.at(-1)?.seq ?? 0, lastDeliveredSeq: server.messages.at(-1)?.seq ?? 0 })], nextCursor: null }),
    'GET /chats/c1/messages?limit=': () => page(server.messages.slice(-40), { hasOlder: server.messages.length > 40 }),
    'GET /chats/c1/messages?after=': (path) => {
      const after = Number(/after=(\d+)/.exec(path)![1]);
      return page(server.messages.filter((m) => m.seq > after).slice(0, 100));
    },
    'GET /chats/c1/read-states': () => [],
    'GET /chats/c1/pins': () => [],
    'GET /users/': () => [],
  });
  const store = createStore();
  const engine = createEngine({
    store, api, clock: new FakeClock(), openSocket: () => socket, refreshSession: async () => 'ok',
    loadOutbox: () => [], saveOutbox: () => undefined, online: () => true, visible: () => true, notify: () => undefined,
  });
  const seqs = () => store.getState().threads.c1?.items.map((m) => m.seq) ?? [];
  return { server, add, syncs, socket, api, store, engine, seqs };
}

describe('catch-up', () => {
  let w: ReturnType<typeof world>;
  beforeEach(async () => {
    w = world();
    w.add(1, 2, 3, 4, 5);
    await w.engine.start(ME, () => undefined);
    w.socket.connect();
    await w.engine.openThread('c1');
    await settle();
  });
  afterEach(() => w.engine.stop());

  it('after a reconnect fetches the gap, from the last seq held, without duplicates', async () => {
    expect(w.seqs()).toEqual([1, 2, 3, 4, 5]);
    w.socket.disconnect();
    w.add(6, 7, 8);
    w.socket.connect();
    await settle();
    expect(w.syncs.at(-1)).toEqual([{ chatId: 'c1', lastSeq: 5, changeCursor: '0' }]);
    expect(w.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // A live frame of a message the sync brought changes nothing; the next reconnect asks from 8.
    w.socket.receive('message:new', { ...message(8), unreadCount: 0 });
    expect(w.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    w.socket.disconnect();
    w.socket.connect();
    await settle();
    expect(w.syncs.at(-1)).toEqual([{ chatId: 'c1', lastSeq: 8, changeCursor: '0' }]);
  });

  it('applies the edits and deletions since the change cursor, and sends the new cursor next time', async () => {
    w.socket.disconnect();
    w.server.changes.push(message(2, { text: 'edited', editedAt: '2026-11-29T11:00:00.000Z' }), message(4, { text: null, deletedAt: '2026-11-29T11:00:01.000Z' }));
    w.socket.connect();
    await settle();
    const held = w.store.getState().threads.c1!;
    expect(held.items.map((m) => m.text)).toEqual(['hello 1', 'edited', 'hello 3', null, 'hello 5']);
    expect(held.changeCursor).toBe('2');
    w.socket.disconnect();
    w.socket.connect();
    await settle();
    expect(w.syncs.at(-1)).toEqual([{ chatId: 'c1', lastSeq: 5, changeCursor: '2' }]);
  });

  it('keeps asking while the server stops early, each round from the last seq received', async () => {
    w.server.perRound = 2;
    w.socket.disconnect();
    w.add(6, 7, 8, 9, 10);
    w.socket.connect();
    await settle(40);
    expect(w.syncs.slice(-3).map((round) => round[0]!.lastSeq)).toEqual([5, 7, 9]);
    expect(w.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('fills a hole a live frame reveals (frames out of order) from history', async () => {
    w.add(6, 7);
    w.socket.receive('message:new', { ...message(7), unreadCount: 2 });
    await settle();
    expect(w.api.calls).toContain('GET /chats/c1/messages?after=5&limit=100');
    expect(w.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(w.store.getState().chats.c1).toMatchObject({ lastSeq: 7 });
  });

  it('a reopened thread keeps the older change cursor it had (never skips a change it lacks)', async () => {
    // The thread was caught up to cursor '0'; a history page at a later cursor must not replace it.
    w.server.changes.push(message(3, { text: 'edited', editedAt: '2026-11-29T11:00:00.000Z' }));
    w.store.setState((s) => ({ threads: { ...s.threads, c1: { ...s.threads.c1!, loaded: false } } }));
    await w.engine.openThread('c1');
    expect(w.store.getState().threads.c1!.changeCursor).toBe('0');
  });
});
