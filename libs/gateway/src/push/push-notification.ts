import type { LastMessagePreview } from '@chat/contracts';

/** What the service worker shows, and nothing more: the payload leaves the server (encrypted) through a push service. */
export interface PushNotification {
  chatId: string;
  messageId: string;
  seq: number;
  title: string;
  body: string;
}

const BODY_LENGTH = 100;

export function pushNotificationOf(preview: LastMessagePreview, context: { chatId: string; senderName: string; groupTitle: string | null }): PushNotification {
  const text = preview.text ? (preview.text.length > BODY_LENGTH ? `${preview.text.slice(0, BODY_LENGTH - 1)}…` : preview.text) : null;
  return {
    chatId: context.chatId,
    messageId: preview.messageId,
    seq: preview.seq,
    title: context.groupTitle ? `${context.senderName} in ${context.groupTitle}` : context.senderName,
    body: text ?? (preview.hasImage ? 'Photo' : preview.file ? (preview.file.kind === 'voice' ? 'Voice message' : preview.file.name) : 'New message'),
  };
}
