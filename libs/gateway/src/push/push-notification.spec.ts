import { LastMessagePreview } from '@chat/contracts';
import { pushNotificationOf, shouldPush } from './push-notification';

describe('Web Push rules', () => {
  it('skips a muted chat unless the message mentions the member', () => {
    expect(shouldPush({ userId: 'bob', muted: false }, [])).toBe(true);
    expect(shouldPush({ userId: 'bob', muted: true }, [])).toBe(false);
    expect(shouldPush({ userId: 'bob', muted: true }, ['cy'])).toBe(false);
    expect(shouldPush({ userId: 'bob', muted: true }, ['cy', 'bob'])).toBe(true);
  });

  it('shows mentions with current names and says the reader was mentioned', () => {
    const preview: LastMessagePreview = {
      messageId: 'm', seq: 3, senderId: 'ada', text: 'lunch, @[bob]?', hasImage: false, deleted: false, createdAt: '2026-11-29T10:00:00.000Z',
    };
    const names: Record<string, string> = { bob: 'Bob' };
    const shown = pushNotificationOf(preview, { chatId: 'c', senderName: 'Ada', groupTitle: 'Hikers', mentioned: true, nameOf: (id) => names[id] });
    expect(shown).toEqual({ chatId: 'c', messageId: 'm', seq: 3, title: 'Ada mentioned you in Hikers', body: 'lunch, @Bob?' });
    expect(pushNotificationOf(preview, { chatId: 'c', senderName: 'Ada', groupTitle: 'Hikers' }).title).toBe('Ada in Hikers');
  });
});
