import { MessageDto } from '@chat/contracts';
import { isLaterMentionState, mentionStateOf, unreadMentionSeqs } from './mentions';

const message = (over: Partial<MessageDto>): MessageDto => ({
  id: 'm', chatId: 'c', seq: 4, senderId: 'ada', clientMessageId: 'x', text: 'hi', image: null, file: null, replyTo: null,
  createdAt: '2026-11-29T10:00:00.000Z', editedAt: null, deletedAt: null, system: null, forwarded: false, ...over,
});

describe('mention states of a message', () => {
  it('has nothing to apply for a new message without mentions (no read, no write)', () => {
    expect(mentionStateOf(message({ mentions: [] }))).toBeNull();
  });

  it('mentions the members named, never the sender, in the state of the event', () => {
    expect(mentionStateOf(message({ mentions: ['bob', 'ada'] }))).toEqual({ seq: 4, state: '0', userIds: ['bob'] });
    // From the text when an older server's event has no mentions field.
    expect(mentionStateOf(message({ text: 'hey @[cy]' }))).toEqual({ seq: 4, state: '0', userIds: ['cy'] });
  });

  it('always applies an edit or a deletion (they may take mentions away), and orders sent < edited (later later) < deleted', () => {
    const edited = mentionStateOf(message({ editedAt: '2026-11-29T10:01:00.000Z', mentions: [] }))!;
    const later = mentionStateOf(message({ editedAt: '2026-11-29T10:02:00.000Z', mentions: ['bob'] }))!;
    const deleted = mentionStateOf(message({ deletedAt: '2026-11-29T10:03:00.000Z', text: null, mentions: ['bob'] }))!;
    expect(deleted.userIds).toEqual([]);
    expect(isLaterMentionState(null, '0')).toBe(true);
    expect(isLaterMentionState('0', edited.state)).toBe(true);
    expect(isLaterMentionState(edited.state, later.state)).toBe(true);
    expect(isLaterMentionState(later.state, edited.state)).toBe(false);
    expect(isLaterMentionState(later.state, deleted.state)).toBe(true);
    expect(isLaterMentionState(deleted.state, '0')).toBe(false);
    expect(isLaterMentionState('0', '0')).toBe(false);
  });

  it('counts only mentions past the read pointer, ascending', () => {
    expect(unreadMentionSeqs([9, 3, 7], 5)).toEqual([7, 9]);
    expect(unreadMentionSeqs([], 0)).toEqual([]);
  });
});
