import { layoutThread, layoutThreadAfter, ThreadEntry } from './message-groups';
import { drawnSections, rowIndexOf, threadRows, threadRowsAfter } from './thread-rows';

const at = (day: number, minutes: number) => new Date(2026, 10, day, 10, minutes).toISOString();
const entry = (key: string, createdAt: string): ThreadEntry => ({ key, senderId: 'ann', createdAt });

// Two days; the divider before 'd' (a section of its own on the second day).
const entries = [entry('a', at(28, 0)), entry('b', at(28, 1)), entry('c', at(29, 0)), entry('d', at(29, 1)), entry('e', at(29, 2))];
const sections = layoutThread(entries, 'd');

describe('threadRows', () => {
  it('lists the older-page row, each pill, the divider and the entries in order, entries numbered from 1', () => {
    const rows = threadRows(sections, true);
    expect(rows.map((r) => (r.kind === 'entry' ? `${r.key}#${r.position}` : r.kind))).toEqual(['older', 'day', 'a#1', 'b#2', 'day', 'c#3', 'divider', 'd#4', 'e#5']);
    // Row keys are unique: the virtualizer measures rows by key.
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
    expect(threadRows(sections, false)[0]!.kind).toBe('day');
  });

  it('finds a row by its key', () => {
    const rows = threadRows(sections, true);
    const indexOf = rowIndexOf(rows);
    expect(['older', 'a', 'c', 'divider', 'e', 'nope'].map(indexOf)).toEqual([0, 2, 5, 6, 8, undefined]);
  });
});

describe('drawnSections', () => {
  const rows = threadRows(sections, true);
  const window = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('groups a window back into its sections, with the divider just before its own', () => {
    const drawn = drawnSections(rows, window(0, rows.length - 1), sections);
    expect(drawn.older?.index).toBe(0);
    expect(drawn.sections.map((s) => [s.pill ? 'pill' : '-', s.divider ? 'divider' : '-', s.rows.map((r) => r.row.key).join('')])).toEqual([
      ['pill', '-', 'ab'],
      ['pill', '-', 'c'],
      ['-', 'divider', 'de'],
    ]);
    expect(drawn.sections.every((s) => s.floatingDay === null)).toBe(true);
  });

  it('keeps the day on screen for a section whose pill row is above the window, taking no room', () => {
    // From 'b' (index 3): the first day's pill (index 1) is not drawn.
    const drawn = drawnSections(rows, window(3, 5), sections);
    expect(drawn.older).toBeNull();
    expect(drawn.sections[0]!.pill).toBeNull();
    expect(drawn.sections[0]!.floatingDay).toBe(entries[0]!.createdAt);
    expect(drawn.sections[1]!.pill?.index).toBe(4);
    expect(drawn.sections[1]!.floatingDay).toBeNull();
  });

  it('gives a section that starts at the divider no floating pill of its own', () => {
    const drawn = drawnSections(rows, window(7, 8), sections);
    expect(drawn.sections).toHaveLength(1);
    // The divider's section continues the day of 'c': no pill, and none floats (the one above stops at the divider).
    expect(drawn.sections[0]!.floatingDay).toBeNull();
    expect(drawn.sections[0]!.rows.map((r) => r.row.key)).toEqual(['d', 'e']);
  });
});

describe('threadRowsAfter', () => {
  // A new message a minute, a new day every 40; the divider, when there is one, before 'm25'.
  const all = Array.from({ length: 90 }, (_, i) => entry(`m${i}`, at(28 + Math.floor(i / 40), i % 40)));
  const copy = <T,>(x: T): T => JSON.parse(JSON.stringify(x));

  it('after entries appended, makes the same rows as threadRows, reusing the rows that did not change', () => {
    for (const divider of [null, 'm25']) {
      for (const hasOlder of [false, true]) {
        for (const [held, more] of [[0, 1], [1, 1], [30, 1], [39, 2], [40, 1], [60, 30]] as const) {
          const layout = layoutThreadAfter(null, all.slice(0, held), divider);
          const previous = threadRowsAfter(null, layout.sections, hasOlder);
          const before = copy(previous.rows);
          const next = threadRowsAfter(previous, layoutThreadAfter(layout, all.slice(0, held + more), divider).sections, hasOlder);
          expect(next.rows).toEqual(threadRows(layoutThread(all.slice(0, held + more), divider), hasOlder));
          expect(copy(previous.rows)).toEqual(before);
          // Every entry row but the last one held (its group may end there no more) is the same object.
          const sameUpTo = held - 1;
          const reused = next.rows.filter((r) => r.kind === 'entry' && r.position <= sameUpTo);
          expect(reused.every((r) => previous.rows.includes(r))).toBe(true);
        }
      }
    }
  });

  it('makes the rows afresh for other sections or a change of the older-page row', () => {
    const first = layoutThread(all.slice(0, 50), null);
    const previous = threadRowsAfter(null, first, true);
    expect(threadRowsAfter(previous, first, false).rows).toEqual(threadRows(first, false));
    const other = layoutThread(all.slice(10, 60), 'm25');
    expect(threadRowsAfter(previous, other, true).rows).toEqual(threadRows(other, true));
    expect(threadRowsAfter(previous, first, true)).toBe(previous);
  });
});
