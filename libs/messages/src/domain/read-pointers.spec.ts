import { MemberPointers, movePointers, unreadCount } from './read-pointers';

const at = new Date('2026-01-01T00:00:00Z');
const member = (read: number, delivered: number): MemberPointers => ({ userId: 'u', lastReadSeq: read, lastReadAt: null, lastDeliveredSeq: delivered, lastDeliveredAt: null, visibleFromSeq: 0 });

describe('read pointers', () => {
  it('reading moves both pointers forward, delivering only the delivered one', () => {
    expect(movePointers(member(2, 3), { read: true, seq: 5, at }, 9)).toEqual({ userId: 'u', visibleFromSeq: 0, lastReadSeq: 5, lastReadAt: at, lastDeliveredSeq: 5, lastDeliveredAt: at });
    expect(movePointers(member(2, 3), { read: false, seq: 5, at }, 9)).toEqual({ userId: 'u', visibleFromSeq: 0, lastReadSeq: 2, lastReadAt: null, lastDeliveredSeq: 5, lastDeliveredAt: at });
  });

  it('never moves back, and says so with null', () => {
    expect(movePointers(member(5, 5), { read: true, seq: 4, at }, 9)).toBeNull();
    expect(movePointers(member(5, 7), { read: false, seq: 6, at }, 9)).toBeNull();
  });

  it('stops at the last seq of the chat: nothing not yet sent is read', () => {
    expect(movePointers(member(2, 2), { read: true, seq: 1000, at }, 9)?.lastReadSeq).toBe(9);
    expect(movePointers(member(9, 9), { read: true, seq: 1000, at }, 9)).toBeNull();
  });

  it('counts unread from the chat last seq and the read pointer, never below zero', () => {
    expect(unreadCount(10, 7)).toBe(3);
    expect(unreadCount(7, 10)).toBe(0);
  });
});
