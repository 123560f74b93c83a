import { chat, message } from './engine/test-kit';
import { all, chatsUpserted, messageNotedInChatList, messageUpserted, presenceNoted, receiptMoved, typingNoted, typingPruned } from './state-updates';
import { chatOrder, createStore, shallowEqual } from './store';

/** What a component keeps when it selects one slice: the same object means no re-render. */
describe('state updates touch only the slice they change', () => {
  const start = () => {
    const store = createStore();
    store.setState(chatsUpserted([chat({ id: 'a' }), chat({ id: 'b', lastActivityAt: '2026-11-29T09:30:00.000Z' })]));
    store.setState(typingNoted('b', 'bob', Date.now() + 5000));
    store.setState(presenceNoted([{ userId: 'ann', online: true, lastSeen: null }, { userId: 'bob', online: false, lastSeen: null }]));
    return store;
  };

  it('typing in chat a leaves chat b\'s typing, every chat and every thread as they were', () => {
    const store = start();
    const before = store.getState();
    store.setState(typingNoted('a', 'ann', Date.now() + 5000));
    const after = store.getState();
    expect(after.typing.b).toBe(before.typing.b);
    expect(after.typing.a).toEqual({ ann: expect.any(Number) });
    expect(after.chats).toBe(before.chats);
    expect(after.threads).toBe(before.threads);
  });

  it('a presence change replaces only that user\'s entry; the same presence again notifies nobody', () => {
    const store = start();
    const before = store.getState();
    store.setState(presenceNoted([{ userId: 'ann', online: false, lastSeen: '2026-11-29T12:00:00.000Z' }]));
    expect(store.getState().presence.bob).toBe(before.presence.bob);
    let notified = 0;
    store.subscribe(() => notified++);
    store.setState(presenceNoted([{ userId: 'ann', online: false, lastSeen: '2026-11-29T12:00:00.000Z' }]));
    store.setState(typingPruned(0));
    store.setState(receiptMoved('a', 'ann', 'read', 0));
    store.setState(receiptMoved('a', 'ann', 'read', 0));
    expect(notified).toBe(1);
  });

  it('a new message replaces its chat\'s summary and thread only, and moves the chat up the list', () => {
    const store = start();
    const before = store.getState();
    expect(chatOrder(before)).toEqual(['b', 'a']);
    const m = message(1, { chatId: 'a', createdAt: '2026-11-29T10:00:00.000Z' });
    store.setState(all(messageNotedInChatList(m, 1), messageUpserted(m)));
    const after = store.getState();
    expect(after.chats.b).toBe(before.chats.b);
    expect(after.chats.a).toMatchObject({ lastSeq: 1, unreadCount: 1 });
    expect(after.threads.a!.items).toHaveLength(1);
    expect(chatOrder(after)).toEqual(['a', 'b']);
    // The order is derived once per change of the chats, so every reader gets the same array.
    expect(chatOrder(after)).toBe(chatOrder(after));
  });

  it('expired typing indicators go, chats with none expired keep their objects', () => {
    const store = start();
    store.setState(typingNoted('a', 'ann', 1000));
    const before = store.getState();
    store.setState(typingPruned(2000));
    expect(store.getState().typing.a).toEqual({});
    expect(store.getState().typing.b).toBe(before.typing.b);
  });

  it('shallowEqual compares what selectors derive', () => {
    expect(shallowEqual({ a: 1, b: 'x' }, { a: 1, b: 'x' })).toBe(true);
    expect(shallowEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(shallowEqual(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(shallowEqual(['a'], ['a', 'b'])).toBe(false);
  });
});
