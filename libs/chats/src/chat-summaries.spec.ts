import { LastMessagePreview } from '@chat/contracts';
import { toChatSummary } from './chat-summaries';
import { Chat, newMember } from './domain/chat';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 21, 10, minutes));
const preview = (minutes: number): LastMessagePreview => ({
  messageId: 'm', seq: 7, senderId: 'ada', text: 'before you came', hasImage: false, deleted: false, createdAt: at(minutes).toISOString(), editedAt: null,
});
const chat = (kind: Chat['kind'], historyVisible: boolean, lastMessage: LastMessagePreview): Chat => ({
  id: 'c', kind, pairKey: null, title: 'g', avatarUrl: null, createdBy: 'ada', createdAt: at(0), lastSeq: 7, lastActivityAt: at(5), lastMessage, membersVersion: 3, historyVisible,
});

describe('chat summaries', () => {
  const joinedLate = newMember('c', 'bob', 'member', at(10));

  it('shows a member who joined a group that hides earlier history no preview of a message from before they joined', () => {
    expect(toChatSummary(chat('group', false, preview(5)), [], joinedLate).lastMessage).toBeNull();
    expect(toChatSummary(chat('group', false, preview(11)), [], joinedLate).lastMessage).toMatchObject({ text: 'before you came' });
  });

  it('shows it when the group shows earlier history, and always in a 1:1 chat', () => {
    expect(toChatSummary(chat('group', true, preview(5)), [], joinedLate).lastMessage).not.toBeNull();
    const direct = toChatSummary(chat('direct', false, preview(5)), [], joinedLate);
    expect(direct.lastMessage).not.toBeNull();
    expect(direct.historyVisible).toBe(true);
  });
});
