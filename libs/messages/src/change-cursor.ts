import { ErrorCodes } from '@chat/contracts';
import { DomainError } from '@chat/platform';

// Opaque to clients: base64url of [changeSeq], the chat's change number the holder has seen everything up to.
// Wrapped rather than a bare number so clients do not do arithmetic on it and the format can grow.

export const encodeChangeCursor = (changeSeq: number) => Buffer.from(JSON.stringify([changeSeq])).toString('base64url');

export function decodeChangeCursor(cursor: string): number {
  try {
    const [changeSeq] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Number.isSafeInteger(changeSeq) && changeSeq >= 0) return changeSeq;
  } catch {
    // fall through to the error below
  }
  throw new DomainError(ErrorCodes.VALIDATION_FAILED, 'Invalid change cursor');
}
