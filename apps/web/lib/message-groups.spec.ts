import { GROUP_WINDOW_MS, layoutThread, ThreadEntry } from './message-groups';

const at = (minutes: number, day = 29) => new Date(2026, 10, day, 10, 0).getTime() + minutes * 60_000;
const entry = (key: string, senderId: string, time: number, system = false): ThreadEntry => ({ key, senderId, createdAt: new Date(time).toISOString(), system });
/** Each section as its keys, with the group breaks: [['a', 'b'], ['c']] per section. */
const groups = (sections: ReturnType<typeof layoutThread>) =>
  sections.map((s) => s.entries.reduce<string[][]>((all, p) => (p.first ? [...all, [p.entry.key]] : (all[all.length - 1]!.push(p.entry.key), all)), []));

describe('layoutThread', () => {
  it('groups consecutive messages of one sender within the window; the first and last of each are marked', () => {
    const sections = layoutThread(
      [entry('a', 'ann', at(0)), entry('b', 'ann', at(1)), entry('c', 'ann', at(2)), entry('d', 'ben', at(3)), entry('e', 'ann', at(4))],
      null,
    );
    expect(groups(sections)).toEqual([[['a', 'b', 'c'], ['d'], ['e']]]);
    expect(sections[0]!.entries.map((p) => [p.entry.key, p.first, p.last])).toEqual([
      ['a', true, false], ['b', false, false], ['c', false, true], ['d', true, true], ['e', true, true],
    ]);
  });

  it('starts a new group after a pause of the window or more, and around a system line', () => {
    const pause = GROUP_WINDOW_MS / 60_000;
    const sections = layoutThread(
      [entry('a', 'ann', at(0)), entry('b', 'ann', at(pause - 0.1)), entry('c', 'ann', at(2 * pause)), entry('s', 'ann', at(2 * pause + 1), true), entry('d', 'ann', at(2 * pause + 2))],
      null,
    );
    expect(groups(sections)).toEqual([[['a', 'b'], ['c'], ['s'], ['d']]]);
  });

  it('opens a section with a day pill on each new day, and one without a pill at the divider, which breaks a group', () => {
    const sections = layoutThread(
      [entry('a', 'ann', at(0, 28)), entry('b', 'ann', at(0)), entry('c', 'ben', at(1)), entry('d', 'ben', at(2)), entry('e', 'ben', at(3))],
      'd',
    );
    expect(sections.map((s) => [s.entries[0]!.entry.key, s.day !== null, s.afterDivider])).toEqual([['a', true, false], ['b', true, false], ['d', false, true]]);
    expect(groups(sections)).toEqual([[['a']], [['b'], ['c']], [['d', 'e']]]);
  });

  it('gives a section that is both a new day and after the divider its pill, below the divider', () => {
    const sections = layoutThread([entry('a', 'ann', at(0, 28)), entry('b', 'ben', at(0))], 'b');
    expect(sections.map((s) => [s.entries[0]!.entry.key, s.day !== null, s.afterDivider])).toEqual([['a', true, false], ['b', true, true]]);
  });

  it('keys a section by its day (or as the divider\'s), so older entries above it keep it the same section', () => {
    const later = [entry('c', 'ben', at(10)), entry('d', 'ben', at(11))];
    const before = layoutThread(later, 'd');
    const after = layoutThread([entry('a', 'ann', at(1)), entry('b', 'ann', at(2)), ...later], 'd');
    expect(after.map((s) => s.key)).toEqual(before.map((s) => s.key));
    expect(new Set(after.map((s) => s.key)).size).toBe(after.length);
  });

  it('lays out nothing for an empty thread', () => {
    expect(layoutThread([], null)).toEqual([]);
  });
});
