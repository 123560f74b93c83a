/**
 * The thread as one flat list of rows, for the virtualized message list: a long thread renders only the rows near
 * the viewport, and a virtualizer counts, measures and positions rows by index. The sections of message-groups.ts
 * (one per day, one after the "new messages" divider) come back when a window of rows is drawn: a day pill sticks
 * only within its section, so it must be drawn inside it. Pure, so it can be tested without a browser.
 */
import type { PlacedEntry, ThreadSection } from './message-groups';

export type ThreadRow<T> =
  /** "Loading earlier messages…" above the first loaded message, while older pages exist. */
  | { kind: 'older'; key: string }
  | { kind: 'divider'; key: string; section: number }
  | { kind: 'day'; key: string; section: number; day: string }
  | { kind: 'entry'; key: string; section: number; placed: PlacedEntry<T>; /** 1-based, among the entries */ position: number };

export function threadRows<T extends { key: string }>(sections: readonly ThreadSection<T>[], hasOlder: boolean): ThreadRow<T>[] {
  const rows: ThreadRow<T>[] = hasOlder ? [{ kind: 'older', key: 'older' }] : [];
  let position = 0;
  sections.forEach((section, i) => {
    if (section.afterDivider) rows.push({ kind: 'divider', key: 'divider', section: i });
    if (section.day) rows.push({ kind: 'day', key: `pill:${section.key}`, section: i, day: section.day });
    for (const placed of section.entries) rows.push({ kind: 'entry', key: placed.entry.key, section: i, placed, position: ++position });
  });
  return rows;
}

/** A row's index by its key, the map built on first use: most renders (a new message, typing) never ask. */
export function rowIndexOf<T>(rows: readonly ThreadRow<T>[]): (key: string) => number | undefined {
  let index: Map<string, number> | null = null;
  return (key) => (index ??= new Map(rows.map((row, i) => [row.key, i]))).get(key);
}

/** A drawn row and its index among all rows (what the virtualizer measures it by). */
export interface DrawnRow<T> {
  row: ThreadRow<T>;
  index: number;
}

/** A section as drawn: the rows of it that are in the window, in order. */
export interface DrawnSection<T> {
  key: string;
  /** Its divider, when drawn (it stands just before the section). */
  divider: DrawnRow<T> | null;
  /** Its pill, when drawn. */
  pill: DrawnRow<T> | null;
  /** The day whose pill is above the window while the section's rows are in it: drawn sticky, taking no room. */
  floatingDay: string | null;
  rows: DrawnRow<T>[];
}

/**
 * The window's rows (`indexes`, ascending) grouped back into their sections. A section whose pill scrolled out of
 * the window above keeps a pill that takes no room, so the day stays on screen while its messages do.
 */
export function drawnSections<T>(rows: readonly ThreadRow<T>[], indexes: readonly number[], sections: readonly ThreadSection<T>[]): { older: DrawnRow<T> | null; sections: DrawnSection<T>[] } {
  let older: DrawnRow<T> | null = null;
  const drawn: DrawnSection<T>[] = [];
  let current: DrawnSection<T> | null = null;
  let currentIndex = -1;
  for (const index of indexes) {
    const row = rows[index];
    if (!row) continue;
    if (row.kind === 'older') {
      older = { row, index };
      continue;
    }
    if (!current || row.section !== currentIndex) {
      const section = sections[row.section]!;
      currentIndex = row.section;
      // The pill is drawn in place when its row is in the window; a divider before the section means the window
      // starts at the section, so a missing pill row is then simply not in this section.
      current = { key: section.key, divider: null, pill: null, floatingDay: row.kind === 'entry' ? section.day : null, rows: [] };
      drawn.push(current);
    }
    if (row.kind === 'divider') current.divider = { row, index };
    else if (row.kind === 'day') current.pill = { row, index };
    else current.rows.push({ row, index });
  }
  return { older, sections: drawn };
}
