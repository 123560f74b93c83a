import { message } from './engine/test-kit';
import { applyChanges, findByClientId, findMessage, mergeMessages, removeMessage, ThreadState, updateMessage } from './thread-model';

const seqs = (t: ThreadState) => t.items.map((m) => m.seq);
const thread = (...s: number[]) => mergeMessages(undefined, s.map((n) => message(n)), { loaded: true });

describe('thread model: merging messages', () => {
  it('keeps seq order whatever order messages come in, without duplicates', () => {
    let t = thread(5, 2, 9);
    expect(seqs(t)).toEqual([2, 5, 9]);
    t = mergeMessages(t, [message(7), message(1), message(5), message(12), message(7)]);
    expect(seqs(t)).toEqual([1, 2, 5, 7, 9, 12]);
    t = mergeMessages(t, [message(3), message(4), message(6)]);
    expect(seqs(t)).toEqual([1, 2, 3, 4, 5, 6, 7, 9, 12]);
  });

  it('appends a newer message onto a copy: the other messages keep their objects, the old array is untouched', () => {
    const t = thread(1, 2, 3);
    const next = mergeMessages(t, [message(4)]);
    expect(seqs(next)).toEqual([1, 2, 3, 4]);
    expect(seqs(t)).toEqual([1, 2, 3]);
    expect(next.items.slice(0, 3).every((m, i) => m === t.items[i])).toBe(true);
  });

  it('prepends an older page in one step', () => {
    const t = mergeMessages(thread(41, 42, 43), [message(38), message(39), message(40)], { hasOlder: false });
    expect(seqs(t)).toEqual([38, 39, 40, 41, 42, 43]);
    expect(t.hasOlder).toBe(false);
  });

  it('gives back the same thread when nothing changes (an empty catch-up, a repeated frame)', () => {
    const t = thread(1, 2);
    expect(mergeMessages(t, [])).toBe(t);
    expect(mergeMessages(t, [], { loaded: true })).toBe(t);
    expect(mergeMessages(t, [t.items[0]!, { ...t.items[1]! }])).toBe(t);
    expect(mergeMessages(t, [], { hasOlder: true })).not.toBe(t);
  });

  it('finds messages by id and by the client id of the device that sent them', () => {
    let t = thread(1, 2, 3);
    t = mergeMessages(t, [message(4, { clientMessageId: 'mine-1' })]);
    expect(findMessage(t, 'm2')?.seq).toBe(2);
    expect(findByClientId(t, 'mine-1')?.seq).toBe(4);
    expect(findMessage(t, 'nope')).toBeUndefined();
    expect(findMessage(removeMessage(t, 'm2'), 'm2')).toBeUndefined();
  });

  it('takes a newer copy of a held message (an edit), keeping fields the socket copy lacks', () => {
    const t = mergeMessages(thread(1), [message(1, { readBy: ['bob'] })]);
    const { readBy: _omit, ...socketCopy } = message(1, { text: 'edited', editedAt: '2026-11-29T11:00:00.000Z' });
    const next = mergeMessages(t, [socketCopy]);
    expect(next.items).toHaveLength(1);
    expect(next.items[0]).toMatchObject({ text: 'edited', readBy: ['bob'] });
  });

  it('never steps back: an older edit after a newer one, or an edit after a deletion, is ignored', () => {
    const later = message(1, { text: 'second', editedAt: '2026-11-29T11:00:02.000Z' });
    const earlier = message(1, { text: 'first', editedAt: '2026-11-29T11:00:01.000Z' });
    let t = mergeMessages(thread(1), [later]);
    expect(mergeMessages(t, [earlier])).toBe(t);
    expect(mergeMessages(t, [message(1)])).toBe(t);
    t = mergeMessages(t, [message(1, { text: null, deletedAt: '2026-11-29T11:00:03.000Z' })]);
    expect(mergeMessages(t, [later]).items[0]).toMatchObject({ text: null, deletedAt: '2026-11-29T11:00:03.000Z' });
  });
});

describe('thread model: changes (edits and deletions caught up)', () => {
  it('replaces held copies, skips messages not held (no hole), and refreshes quotes of the changed message', () => {
    const reply = message(3, { replyTo: { id: 'm1', seq: 1, senderId: 'ann', text: 'hello 1', hasImage: false, file: null, deleted: false } });
    const t = mergeMessages(thread(1, 2), [reply]);
    const next = applyChanges(t, [message(1, { text: null, deletedAt: '2026-11-29T11:00:00.000Z' }), message(0, { text: 'not held' })])!;
    expect(seqs(next)).toEqual([1, 2, 3]);
    expect(next.items[0]!.deletedAt).not.toBeNull();
    expect(next.items[2]!.replyTo).toMatchObject({ id: 'm1', deleted: true, text: null });
    expect(next.items[1]).toBe(t.items[1]);
  });

  it('updates one message in place of its copy (reactions), and leaves a thread without it alone', () => {
    const t = thread(1, 2);
    const next = updateMessage(t, 'm2', (m) => ({ ...m, reactions: [{ emoji: '👍', userIds: ['me'] }] }))!;
    expect(next.items[1]!.reactions).toHaveLength(1);
    expect(next.items[0]).toBe(t.items[0]);
    expect(updateMessage(t, 'm9', (m) => m)).toBe(t);
  });

  it('merges a catch-up of 2,000 messages into a 2,000-message thread in one pass', () => {
    const t = thread(...Array.from({ length: 2000 }, (_, i) => i + 1));
    const gap = Array.from({ length: 2000 }, (_, i) => message(2001 + i));
    const next = mergeMessages(t, gap);
    expect(next.items).toHaveLength(4000);
    expect(next.items.every((m, i) => m.seq === i + 1)).toBe(true);
    expect(findMessage(next, 'm3999')?.seq).toBe(3999);
  });
});
