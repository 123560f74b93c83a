import { decodeChangeCursor, encodeChangeCursor } from './change-cursor';

function refusal(cursor: string): unknown {
  try {
    decodeChangeCursor(cursor);
  } catch (error) {
    return error;
  }
  return null;
}

describe('change cursor', () => {
  it('round-trips a change number and is URL-safe', () => {
    for (const n of [0, 1, 42, Number.MAX_SAFE_INTEGER]) {
      const cursor = encodeChangeCursor(n);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeChangeCursor(cursor)).toBe(n);
    }
  });

  it('refuses what it did not make with VALIDATION.FAILED', () => {
    for (const junk of ['', 'abc', Buffer.from('[-1]').toString('base64url'), Buffer.from('["7"]').toString('base64url'), Buffer.from('[1.5]').toString('base64url')]) {
      expect(refusal(junk)).toMatchObject({ name: 'DomainError', code: 'VALIDATION.FAILED' });
    }
  });
});
