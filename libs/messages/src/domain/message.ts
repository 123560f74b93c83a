import { FileRef, ImageRef, SystemEvent } from '@chat/contracts';
import { v7 as uuidv7 } from 'uuid';

/**
 * A new message's id: a UUIDv7, ordered by creation time, so the index of message ids grows at its end (one page per
 * commit) instead of taking a random page per message (about one WAL page in six of an insert, measured).
 */
export const newMessageId = (): string => uuidv7();

/** A message as Messages stores it. The seq is per chat, gapless, assigned when the insert commits. */
export interface Message {
  id: string;
  chatId: string;
  seq: number;
  senderId: string;
  clientMessageId: string;
  text: string | null;
  image: ImageRef | null;
  file: FileRef | null;
  replyToId: string | null;
  createdAt: Date;
  editedAt: Date | null;
  /** A tombstone: text, image and file are cleared when set. */
  deletedAt: Date | null;
  /** A copy forwarded from another message (ForwardMessage); the original is not referenced. */
  forwarded: boolean;
  /**
   * The chat's change number of the last edit or delete-for-everyone (null while never changed). Per chat,
   * increasing in commit order: catch-up of changes resumes after a number, whatever the clocks say.
   */
  changeSeq: number | null;
  /** A line of the timeline written for a change of the group (see system-messages); null for a message someone wrote. */
  system: SystemEvent | null;
}

/** What a sender asks to store; the repository gives it its seq (and, on its first change, a change number). */
export type MessageDraft = Omit<Message, 'seq' | 'changeSeq'>;

export const DEFAULT_HISTORY_PAGE = 50;
export const MAX_HISTORY_PAGE = 100;
export const MAX_CHANGES_PAGE = 100;
export const REPLY_PREVIEW_LENGTH = 120;

/** Text with something in it besides whitespace, or null. */
export function meaningfulText(text: string | null | undefined): string | null {
  return text && text.trim().length > 0 ? text : null;
}
