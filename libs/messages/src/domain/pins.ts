import { ChatKind, MAX_PINS_PER_CHAT } from '@chat/contracts';

/** A pinned message as Messages stores it. */
export interface Pin {
  chatId: string;
  messageId: string;
  seq: number;
  pinnedBy: string;
  pinnedAt: Date;
}

/**
 * Who may pin and unpin: in a 1:1 chat either member (it is theirs alike); in a group only an admin, so a busy group's
 * pinned list stays what its admins chose.
 */
export function mayPin(kind: ChatKind, role: 'admin' | 'member' | null | undefined): boolean {
  if (kind === 'direct') return true;
  return role === 'admin';
}

/** Whether one more pin fits (a pin already there is no new pin: pinning it again changes nothing). */
export function roomForPin(pinnedCount: number): boolean {
  return pinnedCount < MAX_PINS_PER_CHAT;
}
