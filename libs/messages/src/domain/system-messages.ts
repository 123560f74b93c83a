import { SYSTEM_CLIENT_ID_PREFIX, SYSTEM_SENDER_ID, SystemEvent } from '@chat/contracts';
import { MessageDraft } from './message';

/**
 * The key that makes a system message single: one per chat and version of Chats' change, whatever the number of
 * deliveries. Stored as the client message id, under the unique (chat, sender, client message id), with a prefix
 * no client may use (isReservedClientId).
 */
export function systemClientId(version: number): string {
  return `${SYSTEM_CLIENT_ID_PREFIX}${version}`;
}

export function isReservedClientId(clientMessageId: string): boolean {
  return clientMessageId.startsWith(SYSTEM_CLIENT_ID_PREFIX);
}

/**
 * The timeline's line for a change of a group: sent by the member who made it (so their pointers move past it, as a
 * sender's do), or by SYSTEM_SENDER_ID when nobody did. No text, no image: clients word it from `system`.
 */
export function systemMessageDraft(id: string, chatId: string, version: number, event: SystemEvent, at: Date): MessageDraft {
  return {
    id,
    chatId,
    senderId: event.actorId ?? SYSTEM_SENDER_ID,
    clientMessageId: systemClientId(version),
    text: null,
    image: null,
    file: null,
    forwarded: false,
    replyToId: null,
    createdAt: at,
    editedAt: null,
    deletedAt: null,
    system: event,
  };
}
