import { copyWith } from './copy-with';

describe('copyWith', () => {
  it('makes what a spread makes: a new object, the base’s fields in order, then the new ones, which win', () => {
    const base = { id: 'm1', seq: 3, unreadCount: 1, text: 'hi' };
    const copy = copyWith(base, { unreadCount: 7, sentFrom: 's1' });
    expect(copy).toEqual({ ...base, unreadCount: 7, sentFrom: 's1' });
    expect(JSON.stringify(copy)).toBe(JSON.stringify({ ...base, unreadCount: 7, sentFrom: 's1' }));
    expect(copy).not.toBe(base);
    expect(base).toEqual({ id: 'm1', seq: 3, unreadCount: 1, text: 'hi' });
  });
});
