import type { ChatSummaryDto, MessageDto } from './contracts';
import { announcementFor, withoutDeletedAnnouncement } from './announcement';
import { getState, resetState, setState } from './store';

const message = (over: Partial<MessageDto> = {}) => ({ id: 'm1', chatId: 'c1', deletedAt: null, ...over }) as MessageDto;
const chat = (muted: boolean) => ({ id: 'c1', muted }) as ChatSummaryDto;

describe('live region announcements', () => {
  beforeEach(() => resetState());

  it('announces a message of a chat that is not muted, and says nothing for a muted one', () => {
    setState(() => ({ chats: { c1: chat(false) } }));
    expect(announcementFor(getState(), message(), 'Ann: hi')).toEqual({ announcement: 'Ann: hi', announcedId: 'm1' });
    setState(() => ({ chats: { c1: chat(true) } }));
    expect(announcementFor(getState(), message(), 'Ann: hi')).toEqual({});
  });

  it('forgets the text of the message it announced once that message is deleted for everyone, and only then', () => {
    setState(() => ({ announcement: 'Ann: secret', announcedId: 'm1' }));
    expect(withoutDeletedAnnouncement(getState(), [message({ text: 'edited' })])).toEqual({});
    expect(withoutDeletedAnnouncement(getState(), [message({ id: 'm2', deletedAt: '2026-01-01T00:00:00Z' })])).toEqual({});
    expect(withoutDeletedAnnouncement(getState(), [message({ deletedAt: '2026-01-01T00:00:00Z' })])).toEqual({ announcement: '', announcedId: null });
  });
});
