import { GROUP_WINDOW_MS, layoutThread, layoutThreadAfter, ThreadEntry } from './message-groups';

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

describe('layoutThreadAfter', () => {
  // Three senders, pauses short and long, a system line and a new day now and then: every kind of break.
  const thread = (n: number) => {
    const out: ThreadEntry[] = [];
    let minutes = 0;
    for (let i = 0; i < n; i++) {
      minutes += [1, 2, 7, 1, 600][i % 5]!;
      out.push(entry(`e${i}`, ['ann', 'ben', 'ann', 'ann', 'cy'][(i * 7) % 5]!, at(minutes), i % 11 === 10));
    }
    return out;
  };
  const copy = <T,>(x: T): T => JSON.parse(JSON.stringify(x));

  it('after entries appended, lays out the same as a layout of all of them, without changing the previous layout', () => {
    const all = thread(60);
    for (const [held, more] of [[0, 1], [1, 1], [10, 1], [10, 5], [59, 1], [30, 30]] as const) {
      for (const divider of [null, 'e5', `e${held + more - 1}`]) {
        const previous = layoutThreadAfter(null, all.slice(0, held), divider);
        const before = copy(previous.sections);
        const next = layoutThreadAfter(previous, all.slice(0, held + more), divider);
        expect(next.sections).toEqual(layoutThread(all.slice(0, held + more), divider));
        expect(copy(previous.sections)).toEqual(before);
      }
    }
  });

  it('keeps the sections before the last as they were (the same objects)', () => {
    const all = thread(40);
    const previous = layoutThreadAfter(null, all.slice(0, 39), null);
    const next = layoutThreadAfter(previous, all, null);
    expect(previous.sections.length).toBeGreaterThan(2);
    expect(next.sections.slice(0, previous.sections.length - 1).every((s, i) => s === previous.sections[i])).toBe(true);
  });

  it('lays out afresh when the entries are not the previous ones continued (another divider, an older page, an edit)', () => {
    const all = thread(20);
    const previous = layoutThreadAfter(null, all.slice(5, 15), null);
    const cases: [ThreadEntry[], string | null][] = [
      [all.slice(5, 16), 'e7'],
      [all.slice(0, 15), null],
      [[...all.slice(5, 9), { ...all[9]! }, ...all.slice(10, 16)], null],
      [all.slice(5, 12), null],
    ];
    for (const [entries, divider] of cases) expect(layoutThreadAfter(previous, entries, divider).sections).toEqual(layoutThread(entries, divider));
  });

  it('gives a section key met twice its own key when it continues a layout', () => {
    // A day that comes back after another (clocks that disagree): the second one's key must stay unique.
    const first = [entry('a', 'ann', at(0, 28)), entry('b', 'ann', at(0, 29))];
    const previous = layoutThreadAfter(null, first, null);
    const next = layoutThreadAfter(previous, [...first, entry('c', 'ann', at(1, 28))], null);
    expect(next.sections.map((s) => s.key)).toEqual(layoutThread([...first, entry('c', 'ann', at(1, 28))], null).map((s) => s.key));
    expect(new Set(next.sections.map((s) => s.key)).size).toBe(3);
    expect(previous.keys.size).toBe(2);
  });
});
