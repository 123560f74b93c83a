import { LastMessagePreview, withMentionNames } from '@chat/contracts';

/** What the service worker shows, and nothing more: the payload leaves the server (encrypted) through a push service. */
export interface PushNotification {
  chatId: string;
  messageId: string;
  seq: number;
  title: string;
  body: string;
}

const BODY_LENGTH = 100;

/**
 * Whether a member's devices get a push for a message: never in a chat they muted, unless it mentions them (a
 * mention is meant to reach its person, as the web app's desktop notifications do).
 */
export function shouldPush(member: { userId: string; muted: boolean }, mentions: readonly string[]): boolean {
  return !member.muted || mentions.includes(member.userId);
}

export interface PushContext {
  chatId: string;
  senderName: string;
  groupTitle: string | null;
  /** The reader is mentioned: the title says so. */
  mentioned?: boolean;
  /** The current name of each person the text mentions (its `@[id]` tokens are shown as `@Name`). */
  nameOf?: (userId: string) => string;
}

export function pushNotificationOf(preview: LastMessagePreview, context: PushContext): PushNotification {
  const named = preview.text && context.nameOf ? withMentionNames(preview.text, context.nameOf) : preview.text;
  const text = named ? (named.length > BODY_LENGTH ? `${named.slice(0, BODY_LENGTH - 1)}…` : named) : null;
  return {
    chatId: context.chatId,
    messageId: preview.messageId,
    seq: preview.seq,
    title: context.mentioned
      ? `${context.senderName} mentioned you${context.groupTitle ? ` in ${context.groupTitle}` : ''}`
      : context.groupTitle
        ? `${context.senderName} in ${context.groupTitle}`
        : context.senderName,
    body: text ?? (preview.hasImage ? 'Photo' : preview.file ? (preview.file.kind === 'voice' ? 'Voice message' : preview.file.name) : 'New message'),
  };
}
