/** What decides whether a new message becomes a desktop notification (pure, so it is tested on its own). */
export interface ArrivingMessage {
  mine: boolean;
  muted: boolean;
  /** The tab is not visible (another tab, minimized). */
  hidden: boolean;
  /** The chat shown in this tab, if any. */
  openChatId: string | null;
  chatId: string;
  /** A group's own timeline line ("Ada added Bob"), not something someone wrote. */
  system?: boolean;
  /** The message mentions me. */
  mentionsMe?: boolean;
}

/**
 * A message from someone else, in a chat that is not muted (or one that mentions me: a mention gets through a
 * mute), that the user is not looking at: the tab is hidden or shows another chat (or none). Never for my own
 * messages, from any device.
 */
export function shouldNotify(m: ArrivingMessage): boolean {
  if (m.mine || m.system || (m.muted && !m.mentionsMe)) return false;
  return m.hidden || m.openChatId !== m.chatId;
}

export const NOTIFICATION_PREVIEW_LENGTH = 100;

/** The notification's body: the start of the text (one line), or what was sent without text. */
export function notificationPreview(text: string | null, hasImage: boolean): string {
  const oneLine = (text ?? '').replace(/\s+/g, ' ').trim();
  if (!oneLine) return hasImage ? 'Photo' : 'New message';
  return oneLine.length > NOTIFICATION_PREVIEW_LENGTH ? `${oneLine.slice(0, NOTIFICATION_PREVIEW_LENGTH - 1)}…` : oneLine;
}

/** The tab's title with the unread count in front, as chat apps do: `(3) Relay Chat`. */
export function titleWithUnread(base: string, unread: number): string {
  return unread > 0 ? `(${unread > 999 ? '999+' : unread}) ${base}` : base;
}
