import { departure, detailChanges, roleChange, successorAdmin } from './group-changes';

describe('group changes (the lines of the timeline)', () => {
  const group = { title: 'Hike', avatarUrl: null, historyVisible: false };

  it('lists each real change of the details once, in a fixed order, and nothing for what is already so', () => {
    expect(detailChanges(group, { title: 'Hike', avatarUrl: null, historyVisible: false })).toEqual([]);
    expect(detailChanges(group, {})).toEqual([]);
    expect(detailChanges(group, { historyVisible: true, avatarUrl: '/media/a.webp', title: 'Climb' })).toEqual([
      { type: 'renamed', title: 'Climb' },
      { type: 'photo-changed', removed: false },
      { type: 'history-visibility-changed', visible: true },
    ]);
    expect(detailChanges({ ...group, avatarUrl: '/media/a.webp' }, { avatarUrl: null })).toEqual([{ type: 'photo-changed', removed: true }]);
  });

  it('tells leaving from being removed by who did it', () => {
    expect(departure('bob', 'bob')).toEqual({ type: 'member-left', userId: 'bob' });
    expect(departure('bob', 'ada')).toEqual({ type: 'member-removed', userId: 'bob' });
  });

  it('says a role change only when the role changes', () => {
    expect(roleChange({ userId: 'bob', role: 'member' }, true)).toEqual({ type: 'admin-made', userId: 'bob' });
    expect(roleChange({ userId: 'bob', role: 'admin' }, false)).toEqual({ type: 'admin-removed', userId: 'bob' });
    expect(roleChange({ userId: 'bob', role: 'admin' }, true)).toBeNull();
    expect(roleChange({ userId: 'bob', role: 'member' }, false)).toBeNull();
  });

  it('names the longest-standing member admin only when no admin is left', () => {
    expect(successorAdmin([{ userId: 'bob', role: 'member' }, { userId: 'cy', role: 'member' }])).toBe('bob');
    expect(successorAdmin([{ userId: 'bob', role: 'member' }, { userId: 'cy', role: 'admin' }])).toBeNull();
    expect(successorAdmin([])).toBeNull();
  });
});
