import type { ChatSummaryDto } from '../contracts';
import type { OutboxEntry } from '../store';
import { createStore } from '../store';
import { messageUpserted } from '../state-updates';
import { createLink } from './link';
import { createOutbox } from './outbox';
import { chat, FakeClock, FakeSocket, ME, message, ServerAnswer, settle } from './test-kit';

function setup(server: (event: string, payload: any) => ServerAnswer | Promise<ServerAnswer>) {
  const store = createStore({ me: ME });
  const socket = new FakeSocket(server);
  const clock = new FakeClock();
  const saved: OutboxEntry[][] = [];
  const outbox = createOutbox({ store, clock, link: createLink(() => socket, clock), persist: (_user, entries) => saved.push(entries) });
  const entry = (id: string) => ({ clientMessageId: id, chatId: 'c1', text: `text ${id}`, image: null, replyToId: null });
  return { store, socket, clock, saved, outbox, entry };
}

/** The server's confirmation of a send: the message as stored, with the sender's clientMessageId. */
const stored = (payload: any, seq: number) => ({ ok: true as const, data: message(seq, { id: `s${seq}`, senderId: ME.id, clientMessageId: payload.clientMessageId, text: payload.text }) });

describe('outbox', () => {
  it('keeps (persists) a message written offline, and sends it on connect; the ack moves it into the thread and out of the outbox', async () => {
    let seq = 0;
    const { store, socket, saved, outbox, entry } = setup((event, payload) => (event === 'message:send' ? stored(payload, ++seq) : undefined));
    outbox.queue(entry('a'));
    outbox.queue(entry('b'));
    await settle();
    expect(socket.sentOf('message:send')).toHaveLength(0);
    expect(store.getState().outbox.map((o) => [o.clientMessageId, o.status])).toEqual([['a', 'pending'], ['b', 'pending']]);
    expect(saved.at(-1)!.map((o) => o.clientMessageId)).toEqual(['a', 'b']);

    socket.connect();
    await outbox.flush();
    await settle();
    // In the order written, so the server gives them seqs in that order.
    expect(socket.sentOf('message:send').map((p) => p.clientMessageId)).toEqual(['a', 'b']);
    expect(store.getState().outbox).toEqual([]);
    expect(saved.at(-1)).toEqual([]);
    expect(store.getState().threads.c1!.items.map((m) => [m.seq, m.clientMessageId])).toEqual([[1, 'a'], [2, 'b']]);
  });

  /** The chat list after one send acked at seq 8, from a chat held as `held`. */
  async function chatAfterAckAt8(held: Partial<ChatSummaryDto>) {
    const { store, socket, outbox, entry } = setup((event, payload) => (event === 'message:send' ? stored(payload, 8) : undefined));
    store.setState(() => ({ chats: { c1: chat(held) } }));
    socket.connect();
    outbox.queue(entry('a'));
    await settle();
    return store.getState().chats.c1!;
  }

  it('moves the chat list on the ack, the sending socket\'s only copy of its message: preview, order, read', async () => {
    const after = await chatAfterAckAt8({ lastSeq: 7, lastReadSeq: 5, unreadCount: 2, lastMessage: { messageId: 'm7', senderId: 'ann', text: 'hello 7' } as any });
    expect(after).toMatchObject({ lastSeq: 8, lastReadSeq: 8, unreadCount: 0, lastMessage: { messageId: 's8', text: 'text a' } });
    expect(after.lastActivityAt).toBe(message(8).createdAt);
  });

  it('leaves the chat list alone when a newer message arrived before the ack', async () => {
    const after = await chatAfterAckAt8({ lastSeq: 9, lastReadSeq: 7, unreadCount: 1, lastMessage: { messageId: 'm9', senderId: 'ann', text: 'hello 9' } as any });
    expect(after).toMatchObject({ lastSeq: 9, unreadCount: 1, lastMessage: { messageId: 'm9' } });
  });

  it('marks a refused message failed with the server\'s reason; retry sends it again with the same clientMessageId', async () => {
    let refuse = true;
    const { store, socket, outbox, entry } = setup((event, payload) =>
      event !== 'message:send' ? undefined : refuse ? { ok: false, error: { code: 'CHAT.NOT_MEMBER', message: 'Not a member' } } : stored(payload, 1),
    );
    socket.connect();
    outbox.queue(entry('a'));
    await settle();
    expect(store.getState().outbox).toMatchObject([{ clientMessageId: 'a', status: 'failed', error: 'Not a member' }]);

    refuse = false;
    outbox.retry('a');
    await settle();
    expect(socket.sentOf('message:send').map((p) => p.clientMessageId)).toEqual(['a', 'a']);
    expect(store.getState().outbox).toEqual([]);
  });

  it('retries an unanswered send after a growing pause, and lets the user decide after three tries', async () => {
    const { store, socket, clock, outbox, entry } = setup((event) => (event === 'message:send' ? 'silent' : undefined));
    socket.connect();
    outbox.queue(entry('a'));
    await settle();
    expect(store.getState().outbox[0]).toMatchObject({ status: 'pending', attempts: 1 });
    clock.advance(1999);
    await settle();
    expect(socket.sentOf('message:send')).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(socket.sentOf('message:send')).toHaveLength(2);
    clock.advance(4000);
    await settle();
    expect(store.getState().outbox[0]).toMatchObject({ status: 'failed', attempts: 3, error: 'No answer from the server' });
    expect(clock.pending()).toBe(0);
    outbox.discard('a');
    expect(store.getState().outbox).toEqual([]);
  });

  it('waits as long as the server asks when it is rate-limited, and never drops the entry', async () => {
    let limited = true;
    const { store, socket, clock, outbox, entry } = setup((event, payload) =>
      event !== 'message:send' ? undefined : limited ? { ok: false, error: { code: 'COMMON.RATE_LIMITED', message: 'Slow down', details: { retryAfterSeconds: 5 } } } : stored(payload, 1),
    );
    socket.connect();
    outbox.queue(entry('a'));
    await settle();
    expect(store.getState().outbox[0]).toMatchObject({ status: 'pending' });
    limited = false;
    clock.advance(4999);
    await settle();
    expect(socket.sentOf('message:send')).toHaveLength(1);
    clock.advance(1001);
    await settle();
    expect(store.getState().outbox).toEqual([]);
  });

  it('stops when the connection drops mid-send and leaves the entry pending for the next connect', async () => {
    const { store, socket, outbox, entry } = setup((event) => {
      if (event === 'message:send') socket.disconnect();
      return 'silent';
    });
    socket.connect();
    outbox.queue(entry('a'));
    await settle();
    expect(store.getState().outbox).toMatchObject([{ clientMessageId: 'a', status: 'pending' }]);
    expect(store.getState().outbox[0]!.attempts).toBeUndefined();
  });

  it('drops the entry when its message arrives by another path first (the live frame of my own send)', () => {
    const { store, outbox, entry } = setup(() => undefined);
    outbox.queue(entry('a'));
    store.setState(messageUpserted(message(7, { senderId: ME.id, clientMessageId: 'a' })));
    expect(store.getState().outbox).toEqual([]);
  });
});
