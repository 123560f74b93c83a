import { LastMessagePreview } from '@chat/contracts';
import { isListed, isNewerPreview, mergeMessage, mergePointers, unreadOf } from './chat-activity';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));
const preview = (seq: number, changes: Partial<LastMessagePreview> = {}): LastMessagePreview => ({
  messageId: `m${seq}`, seq, senderId: 'ada', text: `text ${seq}`, hasImage: false, deleted: false, createdAt: at(seq).toISOString(), editedAt: null, ...changes,
});

describe('chat activity rules', () => {
  it('orders previews by seq, then by the state of the same message: sent, edited (later edits later), deleted', () => {
    expect(isNewerPreview(null, preview(1))).toBe(true);
    expect(isNewerPreview(preview(1), preview(2))).toBe(true);
    expect(isNewerPreview(preview(2), preview(1, { deleted: true }))).toBe(false);
    expect(isNewerPreview(preview(2), preview(2, { editedAt: at(5).toISOString() }))).toBe(true);
    expect(isNewerPreview(preview(2, { editedAt: at(5).toISOString() }), preview(2, { editedAt: at(4).toISOString() }))).toBe(false);
    expect(isNewerPreview(preview(2, { editedAt: at(5).toISOString() }), preview(2, { deleted: true, text: null }))).toBe(true);
    expect(isNewerPreview(preview(2, { deleted: true, text: null }), preview(2, { editedAt: at(9).toISOString() }))).toBe(false);
    expect(isNewerPreview(preview(2), preview(2))).toBe(false);
  });

  it('merges a message by maximum and says when nothing changes', () => {
    const empty = { lastSeq: 0, lastActivityAt: at(0), lastMessage: null };
    const two = mergeMessage(empty, preview(2))!;
    expect(two).toEqual({ lastSeq: 2, lastActivityAt: at(2), lastMessage: preview(2) });
    expect(mergeMessage(two, preview(1))).toBeNull();
    expect(mergeMessage(two, preview(2))).toBeNull();
    expect(mergeMessage(two, preview(2, { deleted: true, text: null }))).toEqual({ ...two, lastMessage: preview(2, { deleted: true, text: null }) });
  });

  it('derives unread from the last seq and the read pointer, never below zero', () => {
    expect(unreadOf({ lastSeq: 9 }, { lastReadSeq: 4 })).toBe(5);
    expect(unreadOf({ lastSeq: 4 }, { lastReadSeq: 9 })).toBe(0);
  });

  it('lists a hidden chat again only after activity later than the hide', () => {
    expect(isListed({ lastActivityAt: at(5) }, { hiddenAt: null })).toBe(true);
    expect(isListed({ lastActivityAt: at(5) }, { hiddenAt: at(5) })).toBe(false);
    expect(isListed({ lastActivityAt: at(6) }, { hiddenAt: at(5) })).toBe(true);
  });

  it('merges pointers each by maximum, keeping the time of the one kept', () => {
    const current = { lastReadSeq: 3, lastReadAt: at(3), lastDeliveredSeq: 5, lastDeliveredAt: at(5) };
    expect(mergePointers(current, { lastReadSeq: 4, lastReadAt: at(9), lastDeliveredSeq: 4, lastDeliveredAt: at(9) })).toEqual({ ...current, lastReadSeq: 4, lastReadAt: at(9) });
    expect(mergePointers(current, { lastReadSeq: 2, lastReadAt: at(9), lastDeliveredSeq: 5, lastDeliveredAt: at(9) })).toBeNull();
  });
});
