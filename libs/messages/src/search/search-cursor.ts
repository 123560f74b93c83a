import { ErrorCodes, SearchOrder } from '@chat/contracts';
import { DomainError } from '@chat/platform';
import { createHash } from 'node:crypto';

/** What a page of results is a page of: a cursor only continues the same search. */
export interface SearchShape {
  terms: string[];
  chatId: string | null;
  order: SearchOrder;
}

// Opaque to clients: base64url of [position, fingerprint of the search]. The position is the adapter's (a row
// number or an offset); the fingerprint stops a cursor from one search being used to start another in the middle.
const fingerprint = ({ terms, chatId, order }: SearchShape) => createHash('sha256').update(JSON.stringify([terms, chatId, order])).digest('base64url').slice(0, 12);

export const encodeSearchCursor = (shape: SearchShape, position: number) => Buffer.from(JSON.stringify([position, fingerprint(shape)])).toString('base64url');

export function decodeSearchCursor(cursor: string, shape: SearchShape): number {
  try {
    const [position, print] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Number.isSafeInteger(position) && position >= 0 && print === fingerprint(shape)) return position;
  } catch {
    // fall through to the error below
  }
  throw new DomainError(ErrorCodes.VALIDATION_FAILED, 'Invalid cursor: it belongs to another search, or it was altered', [{ field: 'cursor', problems: ['must be a nextCursor of this search'] }]);
}
