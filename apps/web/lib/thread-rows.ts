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
  return threadRowsAfter(null, sections, hasOlder).rows;
}

/** Rows, with the sections they were made from. */
export interface ThreadRows<T> {
  sections: readonly ThreadSection<T>[];
  hasOlder: boolean;
  rows: ThreadRow<T>[];
}

/**
 * The same as threadRows, reusing what `previous` made: the rows of the sections that are the same objects as
 * before (up to the first that is not) are copied over as they are, and so is each row of an entry still placed the
 * same (the same placed entry at the same row and position). After a new message (see layoutThreadAfter) only the
 * rows of what changed are new. Nothing of `previous` is changed.
 */
export function threadRowsAfter<T extends { key: string }>(previous: ThreadRows<T> | null, sections: readonly ThreadSection<T>[], hasOlder: boolean): ThreadRows<T> {
  const held = previous && previous.hasOlder === hasOlder ? previous : null;
  // The first section that is not the same; the rows before it are the same rows.
  let same = 0;
  if (held) while (same < sections.length && same < held.sections.length && sections[same] === held.sections[same]) same++;
  if (held && same === sections.length && same === held.sections.length) return held.sections === sections ? held : { ...held, sections };
  let kept = held ? held.rows.length : 0;
  while (kept > 0 && sectionOf(held!.rows[kept - 1]!) >= same) kept--;
  const rows: ThreadRow<T>[] = held ? held.rows.slice(0, kept) : hasOlder ? [{ kind: 'older', key: 'older' }] : [];
  let position = 0;
  for (let r = rows.length - 1; r >= 0 && !position; r--) {
    const row = rows[r]!;
    if (row.kind === 'entry') position = row.position;
  }
  const before = held?.rows;
  for (let i = held ? same : 0; i < sections.length; i++) {
    const section = sections[i]!;
    if (section.afterDivider) rows.push({ kind: 'divider', key: 'divider', section: i });
    if (section.day) rows.push({ kind: 'day', key: `pill:${section.key}`, section: i, day: section.day });
    for (const placed of section.entries) {
      position++;
      const was = before?.[rows.length];
      rows.push(was?.kind === 'entry' && was.placed === placed && was.section === i && was.position === position ? was : { kind: 'entry', key: placed.entry.key, section: i, placed, position });
    }
  }
  return { sections, hasOlder, rows };
}

/** The section a row belongs to (the older-page row: before all of them). */
const sectionOf = (row: ThreadRow<unknown>): number => (row.kind === 'older' ? -1 : row.section);

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
