import { createServer, Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, Socket as ClientSocket } from 'socket.io-client';
import { Adapter } from 'socket.io-adapter';
import { CompactRecoveryAdapter } from './compact-recovery-adapter';

const WINDOW_MS = 60_000;

/** A namespace's adapter as Socket.IO builds it, without listening: broadcast, persist and restore by hand. */
function adapterOf(maxBytes?: number): CompactRecoveryAdapter {
  const io = new Server({ connectionStateRecovery: { maxDisconnectionDuration: WINDOW_MS }, adapter: CompactRecoveryAdapter.forWindow(WINDOW_MS, maxBytes) });
  return io.of('/').adapter as unknown as CompactRecoveryAdapter;
}

/** Broadcasts one event to `rooms` (except `except`) and returns the offset the adapter gave it. */
function emit(adapter: CompactRecoveryAdapter, rooms: string[], payload: unknown, except: string[] = [], event = 'note'): string {
  const data: unknown[] = [event, payload];
  adapter.broadcast({ type: 2, nsp: '/', data }, { rooms: new Set(rooms), except: new Set(except) });
  return data[data.length - 1] as string;
}

const session = (pid: string, rooms: string[]) => ({ sid: `sid-${pid}`, pid, rooms, data: { userId: pid } });

describe('CompactRecoveryAdapter', () => {
  let now: number;
  beforeEach(() => {
    now = Date.parse('2026-11-21T10:00:00Z');
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('gives back, in order, the packets after the offset that reached the session and were not excluded', async () => {
    const adapter = adapterOf();
    const offset = emit(adapter, ['user:ada'], 0);
    adapter.persistSession(session('p1', ['user:ada', 'session:s1']));
    emit(adapter, ['user:ada'], 1);
    emit(adapter, ['user:bob'], 'not hers');
    emit(adapter, ['user:ada', 'user:bob'], 2);
    emit(adapter, ['user:ada'], 'excluded', ['session:s1']);
    emit(adapter, [], 3); // to everyone

    const restored = await adapter.restoreSession('p1', offset);
    expect(restored.sid).toBe('sid-p1');
    expect(restored.data).toEqual({ userId: 'p1' });
    expect(restored.missedPackets.map(([event, payload]) => [event, payload])).toEqual([['note', 1], ['note', 2], ['note', 3]]);
    // Each packet carries its own offset last, as the client expects.
    expect(restored.missedPackets.every((packet) => typeof packet[2] === 'string')).toBe(true);
    // A session is restored once.
    expect(await adapter.restoreSession('p1', offset)).toBeNull();
  });

  it('leaves out new messages\' content, which sync gives back, and keeps the events around them', async () => {
    const adapter = adapterOf();
    const offset = emit(adapter, ['user:ada'], 0);
    adapter.persistSession(session('ada', ['user:ada']));
    emit(adapter, ['user:ada'], { seq: 1 }, [], 'message:new');
    emit(adapter, ['user:ada'], 1);
    expect((await adapter.restoreSession('ada', offset)).missedPackets).toEqual([['note', 1, expect.any(String)]]);
  });

  it('resumes a session whose last packet was a new message, from that message\'s offset', async () => {
    const adapter = adapterOf();
    const offset = emit(adapter, ['user:ada'], { seq: 1 }, [], 'message:new');
    expect(offset).toMatch(/^[0-9a-z]+$/);
    adapter.persistSession(session('ada', ['user:ada']));
    emit(adapter, ['user:ada'], { seq: 2 }, [], 'message:new');
    emit(adapter, ['user:ada'], 'typing');
    expect(await adapter.restoreSession('ada', offset)).toMatchObject({ pid: 'ada', missedPackets: [['note', 'typing', expect.any(String)]] });
  });

  it('skips a new message\'s broadcast when no socket here would take it, and sends it when one would', () => {
    const adapter = adapterOf();
    const sent = jest.spyOn(Adapter.prototype, 'broadcast').mockImplementation(() => undefined);
    adapter.addAll('socket-a', new Set(['socket-a', 'user:ada']));
    adapter.addAll('socket-b', new Set(['socket-b', 'user:ada']));
    emit(adapter, ['user:bob'], 'nobody here', [], 'message:new');
    emit(adapter, ['user:ada'], 'only to the sender', ['socket-a', 'socket-b'], 'message:new');
    expect(sent).not.toHaveBeenCalled();
    emit(adapter, ['user:ada'], 'to her other device', ['socket-a'], 'message:new');
    emit(adapter, ['user:bob'], 'logged, so sent whoever is here');
    expect(sent.mock.calls.map(([packet]) => packet.data[1])).toEqual(['to her other device', 'logged, so sent whoever is here']);
  });

  it('refuses a session disconnected longer than the window, and an offset that has left the log', async () => {
    const adapter = adapterOf();
    const old = emit(adapter, ['user:ada'], 'old');
    now += WINDOW_MS / 2;
    const recent = emit(adapter, ['user:ada'], 'recent');
    adapter.persistSession(session('p1', ['user:ada']));
    adapter.persistSession(session('p2', ['user:ada']));
    now += WINDOW_MS / 2 + 1;
    // The first packet is now older than the window: gone from the log, so nothing can be recovered after it.
    expect(await adapter.restoreSession('p1', old)).toBeNull();
    expect(await adapter.restoreSession('p2', recent)).toMatchObject({ pid: 'p2', missedPackets: [] });

    // An offset the log never gave (a forged or foreign one) recovers nothing either.
    for (const forged of ['zzzzzz', '-1', '1e3', '__proto__']) {
      adapter.persistSession(session('p4', ['user:ada']));
      expect(await adapter.restoreSession('p4', forged)).toBeNull();
    }

    adapter.persistSession(session('p3', ['user:ada']));
    const last = emit(adapter, ['user:ada'], 'last');
    now += WINDOW_MS + 1;
    expect(await adapter.restoreSession('p3', last)).toBeNull();
  });

  it('drops the oldest packets while the log is over its size, and keeps finding offsets after compaction', async () => {
    const payload = 'x'.repeat(100);
    const entryBytes = JSON.stringify(['note', payload, 'id']).length;
    const adapter = adapterOf(entryBytes * 10);
    const offsets = Array.from({ length: 3000 }, () => emit(adapter, ['user:ada'], payload));
    adapter.persistSession(session('p1', ['user:ada']));
    adapter.persistSession(session('p2', ['user:ada']));
    // Only about the last ten fit: an older offset recovers nothing (the client resyncs by seq instead).
    expect(await adapter.restoreSession('p1', offsets[2980])).toBeNull();
    const restored = await adapter.restoreSession('p2', offsets[2995]);
    expect(restored.missedPackets.map((packet) => packet[2])).toEqual(offsets.slice(2996));
  });

  describe('over real sockets', () => {
    let http: HttpServer;
    let io: Server;
    let client: ClientSocket;

    beforeEach(async () => {
      jest.restoreAllMocks(); // real time: the sockets' timers need it
      http = createServer();
      io = new Server(http, { connectionStateRecovery: { maxDisconnectionDuration: WINDOW_MS }, adapter: CompactRecoveryAdapter.forWindow(WINDOW_MS) });
      io.on('connection', (socket) => {
        if (!socket.recovered) void socket.join('user:ada');
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    });

    afterEach(async () => {
      client?.disconnect();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    });

    it('a socket that drops and comes back gets what it missed, once, in order, and its rooms', async () => {
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      client = connect(url, { transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 50 });
      const received: number[] = [];
      client.on('note', (n: number) => received.push(n));
      await new Promise<void>((resolve) => client.once('connect', () => resolve()));
      io.to('user:ada').emit('note', 1);
      await waitFor(() => received.length === 1);

      // The transport drops (not a deliberate disconnect): the server keeps the session for the window.
      const dropped = new Promise<void>((resolve) => io.once('connection', () => resolve()));
      client.io.engine.close();
      await waitFor(() => io.of('/').sockets.size === 0);
      for (const n of [2, 3, 4]) io.to('user:ada').emit('note', n);
      await dropped;
      await waitFor(() => received.length === 4);
      expect(client.recovered).toBe(true);
      expect(received).toEqual([1, 2, 3, 4]);
      // The recovered socket is back in its rooms without joining again.
      io.to('user:ada').emit('note', 5);
      await waitFor(() => received.length === 5);
      expect(received).toEqual([1, 2, 3, 4, 5]);
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
