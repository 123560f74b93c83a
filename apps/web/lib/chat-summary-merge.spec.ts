import type { ChatSummaryDto } from './contracts';
import { mergeChatSummary } from './chat-summary-merge';

const summary = (over: Partial<ChatSummaryDto>): ChatSummaryDto =>
  ({
    id: 'c1', kind: 'group', title: 'Trip', avatarUrl: null, members: [], createdAt: '2026-11-29T10:00:00.000Z', historyVisible: false,
    otherUserId: null, lastMessage: null, unreadCount: 0, muted: false, lastReadSeq: 0, lastDeliveredSeq: 0, lastSeq: 0,
    lastActivityAt: '2026-11-29T10:00:00.000Z', ...over,
  }) as unknown as ChatSummaryDto;

describe('mergeChatSummary', () => {
  it('takes the server\'s summary when it knows the newest message (or nothing is held)', () => {
    const incoming = summary({ lastSeq: 5, unreadCount: 2, muted: true });
    expect(mergeChatSummary(undefined, incoming)).toBe(incoming);
    expect(mergeChatSummary(summary({ lastSeq: 5, unreadCount: 3 }), incoming)).toBe(incoming);
  });

  it('keeps a newer message already shown, and its unread count, under an older summary; the rest is the server\'s', () => {
    const preview = { messageId: 'm6', seq: 6 } as ChatSummaryDto['lastMessage'];
    const held = summary({ lastSeq: 6, unreadCount: 3, lastMessage: preview, lastReadSeq: 3, lastActivityAt: '2026-11-29T10:06:00.000Z' });
    const merged = mergeChatSummary(held, summary({ lastSeq: 5, unreadCount: 2, lastReadSeq: 3, muted: true, title: 'Renamed' }));
    expect(merged).toMatchObject({ lastSeq: 6, lastMessage: preview, unreadCount: 3, muted: true, title: 'Renamed', lastActivityAt: '2026-11-29T10:06:00.000Z' });
    // A read on another device that the summary carries still counts.
    expect(mergeChatSummary(held, summary({ lastSeq: 5, lastReadSeq: 5 }))).toMatchObject({ lastSeq: 6, lastReadSeq: 5, unreadCount: 1 });
  });

  it('keeps unread mentions past the summary\'s last seq, and drops those the read pointer passed (a read on any device)', () => {
    const held = summary({ lastSeq: 6, lastReadSeq: 2, unreadMentionSeqs: [4, 6] });
    expect(mergeChatSummary(held, summary({ lastSeq: 5, lastReadSeq: 2, unreadMentionSeqs: [3, 4] })).unreadMentionSeqs).toEqual([3, 4, 6]);
    expect(mergeChatSummary(held, summary({ lastSeq: 6, lastReadSeq: 4, unreadMentionSeqs: [4, 6] })).unreadMentionSeqs).toEqual([6]);
    expect(mergeChatSummary(held, { ...held, lastReadSeq: 6 }).unreadMentionSeqs).toEqual([]);
    // An older server's summary says nothing of mentions: the held ones stay.
    expect(mergeChatSummary(held, summary({ lastSeq: 6, lastReadSeq: 2 })).unreadMentionSeqs).toEqual([4, 6]);
  });
});
