import { MemberReadStateDto, MessageDto } from '@chat/contracts';
import { withReceipts } from './message-views';

const message = (seq: number, senderId: string): MessageDto => ({
  id: `m${seq}`,
  chatId: 'c',
  seq,
  senderId,
  clientMessageId: `c${seq}`,
  text: 'hi',
  image: null,
  file: null,
  replyTo: null,
  createdAt: '2026-11-21T10:00:00.000Z',
  editedAt: null,
  deletedAt: null,
  system: null,
  forwarded: false,
});
const state = (userId: string, lastReadSeq: number, lastReadAt: string | null = null): MemberReadStateDto => ({
  userId,
  lastReadSeq,
  lastDeliveredSeq: lastReadSeq,
  lastReadAt,
  lastDeliveredAt: lastReadAt,
});

describe('read receipts from read pointers', () => {
  it('1:1: seen when the other member’s pointer reached the message, with the pointer’s time', () => {
    const states = [state('ada', 3), state('bob', 2, '2026-11-21T10:05:00.000Z')];
    const [one, two, three] = withReceipts([message(1, 'ada'), message(2, 'ada'), message(3, 'ada')], 'direct', states);
    expect(one).toMatchObject({ seen: true, seenAt: '2026-11-21T10:05:00.000Z' });
    expect(two).toMatchObject({ seen: true });
    expect(three).toMatchObject({ seen: false, seenAt: null });
    expect(three.readBy).toBeUndefined();
  });

  it('groups: readBy lists members past the message, never the sender', () => {
    const states = [state('ada', 5), state('bob', 4), state('cy', 1)];
    const [four, five] = withReceipts([message(4, 'ada'), message(5, 'bob')], 'group', states);
    expect(four.readBy).toEqual(['bob']);
    expect(five.readBy).toEqual(['ada']);
    expect(four.seen).toBeUndefined();
  });
});
