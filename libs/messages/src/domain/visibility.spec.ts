import { isVisibleFrom, membersNotSeeing, membersSeeing, visibilityFloor } from './visibility';
import { isReservedClientId, systemClientId, systemMessageDraft } from './system-messages';

describe('history visibility', () => {
  it('starts a joining member at the next seq, or at the beginning when the group shows earlier history', () => {
    expect(visibilityFloor(false, 0)).toBe(1);
    expect(visibilityFloor(false, 41)).toBe(42);
    expect(visibilityFloor(true, 41)).toBe(0);
  });

  it('shows a member the messages from their floor on, and none before it', () => {
    expect(isVisibleFrom(42, 41)).toBe(false);
    expect(isVisibleFrom(42, 42)).toBe(true);
    expect(isVisibleFrom(0, 1)).toBe(true);
  });

  it('splits members into those who see a message and those who do not', () => {
    const members = [{ userId: 'ada', visibleFromSeq: 0 }, { userId: 'bob', visibleFromSeq: 10 }, { userId: 'cy', visibleFromSeq: 5 }];
    expect(membersSeeing(members, 7)).toEqual(['ada', 'cy']);
    expect(membersNotSeeing(members, 7)).toEqual(['bob']);
    expect(membersNotSeeing(members, 10)).toEqual([]);
  });
});

describe('system messages', () => {
  const at = new Date('2026-11-21T10:00:00.000Z');

  it('are keyed by the version of the change, under a prefix no client may use', () => {
    expect(systemClientId(7)).toBe('system:7');
    expect(isReservedClientId('system:7')).toBe(true);
    expect(isReservedClientId('f3e2-system:7')).toBe(false);
  });

  it('are sent by the member who made the change, or by the server when nobody did, with no text or image', () => {
    const renamed = systemMessageDraft('m1', 'c1', 3, { type: 'renamed', title: 'Climb', actorId: 'ada' }, at);
    expect(renamed).toEqual({
      id: 'm1', chatId: 'c1', senderId: 'ada', clientMessageId: 'system:3', text: null, image: null, file: null, forwarded: false, replyToId: null,
      createdAt: at, editedAt: null, deletedAt: null, system: { type: 'renamed', title: 'Climb', actorId: 'ada' },
    });
    expect(systemMessageDraft('m2', 'c1', 4, { type: 'admin-made', userId: 'bob', actorId: null }, at).senderId).toBe('system');
  });
});
