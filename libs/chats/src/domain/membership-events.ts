import { ChatsEvents, GroupChange, MembersChangedEvent, SystemEvent } from '@chat/contracts';
import { OutboxEvent } from '@chat/platform';
import { Chat } from './chat';

/**
 * The chat's whole membership and settings after a change, with its version and the change itself: what Messages'
 * projection and its system messages are built from. A 1:1 chat always shows its whole history and has no
 * system messages.
 */
export function membersChangedEvent(
  chat: Pick<Chat, 'id' | 'kind' | 'historyVisible'>,
  version: number,
  memberIds: string[],
  added: string[],
  removed: string[],
  change: SystemEvent | null = null,
): OutboxEvent {
  const payload: MembersChangedEvent = {
    chatId: chat.id,
    kind: chat.kind,
    version,
    memberIds,
    added,
    removed,
    historyVisible: chat.kind === 'direct' || chat.historyVisible,
    change: chat.kind === 'group' ? change : null,
  };
  return { pattern: ChatsEvents.membersChanged, payload };
}

export const byActor = (change: GroupChange, actorId: string | null): SystemEvent => ({ ...change, actorId });
