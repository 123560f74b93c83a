import type { MessageDto } from './contracts';
import type { State } from './store';

/**
 * What the live region says about a message that arrived: `said`, except for a muted chat (muting means no
 * sound of any kind, a screen reader's voice included).
 */
export function announcementFor(s: State, message: MessageDto, said: string): Partial<State> {
  if (s.chats[message.chatId]?.muted) return {};
  return { announcement: said, announcedId: message.id };
}

/** Messages deleted for everyone: the live region must not keep the text of one (it can be read back there). */
export function withoutDeletedAnnouncement(s: State, changed: MessageDto[]): Partial<State> {
  if (!s.announcedId || !changed.some((m) => m.id === s.announcedId && m.deletedAt)) return {};
  return { announcement: '', announcedId: null };
}
