import { ErrorCodes } from '@chat/contracts';
import { DomainError } from '@chat/platform';
import { decodeSearchCursor, encodeSearchCursor, SearchShape } from './search-cursor';

describe('search cursor', () => {
  const shape: SearchShape = { terms: ['lunch'], chatId: null, order: 'newest' };

  it('gives back the position for the same search', () => {
    expect(decodeSearchCursor(encodeSearchCursor(shape, 1234), shape)).toBe(1234);
  });

  it('refuses a cursor of another search, an altered one and junk with a validation error', () => {
    const cursor = encodeSearchCursor(shape, 5);
    const refuse = (value: string, other = shape) => {
      try {
        decodeSearchCursor(value, other);
        return 'accepted';
      } catch (error) {
        return (error as DomainError).code;
      }
    };
    expect(refuse(cursor, { ...shape, terms: ['dinner'] })).toBe(ErrorCodes.VALIDATION_FAILED);
    expect(refuse(cursor, { ...shape, order: 'relevance' })).toBe(ErrorCodes.VALIDATION_FAILED);
    expect(refuse(cursor, { ...shape, chatId: 'c1' })).toBe(ErrorCodes.VALIDATION_FAILED);
    expect(refuse(Buffer.from(JSON.stringify([-1, 'x'])).toString('base64url'))).toBe(ErrorCodes.VALIDATION_FAILED);
    expect(refuse('%%%')).toBe(ErrorCodes.VALIDATION_FAILED);
  });
});
