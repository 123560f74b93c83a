import { ChatsEvents, MembersChangedEvent } from '@chat/contracts';
import { OutboxEvent } from '@chat/platform';
import { Chat } from './chat';

/** The chat's whole membership after a change, with its version: what Messages' projection is built from. */
export function membersChangedEvent(chat: Pick<Chat, 'id' | 'kind'>, version: number, memberIds: string[], added: string[], removed: string[]): OutboxEvent {
  const payload: MembersChangedEvent = { chatId: chat.id, kind: chat.kind, version, memberIds, added, removed };
  return { pattern: ChatsEvents.membersChanged, payload };
}
