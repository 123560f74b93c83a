import { summaryFromSnapshot } from '@chat/contracts';
import { toChatDto, toChatSnapshot, toChatSummary } from './chat-summaries';
import { Chat, ChatMember, newMember } from './domain/chat';

const at = new Date('2026-01-02T03:04:05.000Z');
const member = (chatId: string, userId: string, changes: Partial<ChatMember> = {}): ChatMember => ({ ...newMember(chatId, userId, 'member', at), ...changes });

function chat(kind: Chat['kind']): Chat {
  return {
    id: 'c1', kind, pairKey: kind === 'direct' ? 'a:b' : null, title: kind === 'group' ? 'Team' : null, avatarUrl: null, createdBy: 'a',
    createdAt: at, lastSeq: 7, lastActivityAt: new Date(at.getTime() + 1000),
    lastMessage: { messageId: 'm7', seq: 7, senderId: 'b', text: 'hi', hasImage: false, deleted: false, createdAt: at.toISOString(), editedAt: null },
  };
}

describe('chat snapshots (chat.updated events)', () => {
  it.each(['direct', 'group'] as const)('give every member of a %s chat exactly the summary chats.get gives them', (kind) => {
    const members = [
      member('c1', 'a', { unreadCount: 0, lastReadSeq: 7, lastDeliveredSeq: 7 }),
      member('c1', 'b', { unreadCount: 3, muted: true, lastReadSeq: 4, lastDeliveredSeq: 6 }),
      ...(kind === 'group' ? [member('c1', 'c', { role: 'admin', unreadCount: 1 })] : []),
    ];
    // Through JSON, as the event travels.
    const snapshot = JSON.parse(JSON.stringify(toChatSnapshot(chat(kind), members)));
    for (const m of members) {
      const view = snapshot.views.find((v: { userId: string }) => v.userId === m.userId);
      expect(summaryFromSnapshot(snapshot, view)).toEqual(JSON.parse(JSON.stringify(toChatSummary(chat(kind), members, m))));
    }
  });
});

describe('toChatSummary', () => {
  it('is the chat as toChatDto gives it plus my own fields, in that key order', () => {
    const members = [member('c1', 'a', { unreadCount: 2, muted: true, lastReadSeq: 5, lastDeliveredSeq: 6 }), member('c1', 'b')];
    const summary = toChatSummary(chat('direct'), members, members[0]);
    expect(summary).toEqual({ ...toChatDto(chat('direct'), members), otherUserId: 'b', lastMessage: chat('direct').lastMessage, unreadCount: 2, muted: true, lastReadSeq: 5, lastDeliveredSeq: 6 });
    expect(Object.keys(summary)).toEqual([...Object.keys(toChatDto(chat('direct'), members)), 'otherUserId', 'lastMessage', 'unreadCount', 'muted', 'lastReadSeq', 'lastDeliveredSeq']);
  });
});
