import { notificationPreview, shouldNotify, titleWithUnread } from './notification-rules';

describe('shouldNotify', () => {
  const base = { mine: false, muted: false, hidden: false, openChatId: 'other', chatId: 'c1' };

  it('notifies for someone else’s message in a chat not on screen', () => {
    expect(shouldNotify(base)).toBe(true);
    expect(shouldNotify({ ...base, openChatId: null })).toBe(true);
  });

  it('notifies for the open chat only while the tab is hidden', () => {
    expect(shouldNotify({ ...base, openChatId: 'c1' })).toBe(false);
    expect(shouldNotify({ ...base, openChatId: 'c1', hidden: true })).toBe(true);
  });

  it('notifies for a mention of me even in a muted chat, but not while I look at it', () => {
    expect(shouldNotify({ ...base, muted: true, mentionsMe: true })).toBe(true);
    expect(shouldNotify({ ...base, muted: true, mentionsMe: true, openChatId: 'c1' })).toBe(false);
    expect(shouldNotify({ ...base, muted: true, mentionsMe: false, hidden: true })).toBe(false);
    expect(shouldNotify({ ...base, mine: true, mentionsMe: true, hidden: true })).toBe(false);
  });

  it('never for my own messages, a muted chat, or a group\'s own timeline line', () => {
    expect(shouldNotify({ ...base, mine: true, hidden: true })).toBe(false);
    expect(shouldNotify({ ...base, muted: true, hidden: true })).toBe(false);
    expect(shouldNotify({ ...base, system: true, hidden: true })).toBe(false);
  });
});

describe('notificationPreview', () => {
  it('is the text on one line, cut short', () => {
    expect(notificationPreview('hello\n  there', false)).toBe('hello there');
    const long = notificationPreview('x'.repeat(300), false);
    expect(long).toHaveLength(100);
    expect(long.endsWith('…')).toBe(true);
  });

  it('names what has no text', () => {
    expect(notificationPreview(null, true)).toBe('Photo');
    expect(notificationPreview('   ', false)).toBe('New message');
  });
});

describe('titleWithUnread', () => {
  it('puts the count in front, and nothing when all is read', () => {
    expect(titleWithUnread('Relay Chat', 3)).toBe('(3) Relay Chat');
    expect(titleWithUnread('Relay Chat', 0)).toBe('Relay Chat');
    expect(titleWithUnread('Relay Chat', 12345)).toBe('(999+) Relay Chat');
  });
});
