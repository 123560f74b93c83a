import { ErrorCodes } from '@chat/contracts';
import { DomainError } from '@chat/platform';
import { ChatListCursor } from './persistence/chat.repository';

// Opaque to clients: base64url of [activityAt, chatId], the keyset position in the user's chat list.

export const encodeChatListCursor = (cursor: ChatListCursor) =>
  Buffer.from(JSON.stringify([cursor.activityAt, cursor.chatId])).toString('base64url');

export function decodeChatListCursor(cursor: string | null | undefined): ChatListCursor | null {
  if (!cursor) return null;
  try {
    const [activityAt, chatId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Number.isSafeInteger(activityAt) && typeof chatId === 'string') return { activityAt, chatId };
  } catch {
    // fall through to the error below
  }
  throw new DomainError(ErrorCodes.VALIDATION_FAILED, 'Invalid cursor');
}
