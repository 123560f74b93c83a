import { ImageRef } from '@chat/contracts';

/** A message as Messages stores it. The seq is per chat, gapless, assigned when the insert commits. */
export interface Message {
  id: string;
  chatId: string;
  seq: number;
  senderId: string;
  clientMessageId: string;
  text: string | null;
  image: ImageRef | null;
  replyToId: string | null;
  createdAt: Date;
  editedAt: Date | null;
  /** A tombstone: text and image are cleared when set. */
  deletedAt: Date | null;
}

/** What a sender asks to store; the repository gives it its seq. */
export type MessageDraft = Omit<Message, 'seq'>;

export const DEFAULT_HISTORY_PAGE = 50;
export const MAX_HISTORY_PAGE = 100;
export const REPLY_PREVIEW_LENGTH = 120;

/** Text with something in it besides whitespace, or null. */
export function meaningfulText(text: string | null | undefined): string | null {
  return text && text.trim().length > 0 ? text : null;
}
