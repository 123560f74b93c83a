import { layoutThread, ThreadEntry } from './message-groups';
import { drawnSections, rowIndexOf, threadRows } from './thread-rows';

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
