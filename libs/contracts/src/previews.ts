// A leaf file (types only besides this function): the web app imports it as it is.
import type { LastMessagePreview } from './chats.contract';
import type { FilePreview, FileRef, MessageDto } from './messages.contract';

export const PREVIEW_LENGTH = 120;

/**
 * The chat list's preview of a message (in any of its states), the same on the server (Chats) and in a client
 * that updates its list from a `message:new`, `message:edited` or `message:deleted` frame.
 */
export function previewOf(message: MessageDto): LastMessagePreview {
  const deleted = message.deletedAt !== null;
  return {
    messageId: message.id,
    seq: message.seq,
    senderId: message.senderId,
    text: deleted || !message.text ? null : message.text.slice(0, PREVIEW_LENGTH),
    hasImage: !deleted && message.image !== null,
    file: !deleted && message.file ? filePreviewOf(message.file) : null,
    deleted,
    createdAt: message.createdAt,
    editedAt: message.editedAt,
  };
}

/** What a quote or the chat list shows of a file: its kind and name, not its URL. */
export function filePreviewOf(file: Pick<FileRef, 'kind' | 'name'>): FilePreview {
  return { kind: file.kind, name: file.name };
}
