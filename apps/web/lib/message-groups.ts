/**
 * How a thread is laid out: sections that each open with a day pill or follow the "new messages" divider, and in
 * them groups of consecutive messages of one sender (one name, one time, one tail). Pure, so it can be tested
 * without a browser.
 */

/** What the layout needs of an entry: a message, or one still in the outbox. */
export interface ThreadEntry {
  key: string;
  senderId: string;
  createdAt: string;
  /** A change of the group (created, renamed...): a line of its own, never part of a group. */
  system?: boolean;
}

/** Messages of one sender closer together than this form a group. */
export const GROUP_WINDOW_MS = 5 * 60_000;

export interface PlacedEntry<T> {
  entry: T;
  /** First of its group: carries the sender's name (in groups). */
  first: boolean;
  /** Last of its group: carries the time and the bubble's tail. */
  last: boolean;
}

/**
 * A run of entries under one sticky day pill. The "new messages" divider always starts a section of its own: a
 * sticky pill stays inside its section, so the pill above can never slide over the divider.
 */
export interface ThreadSection<T> {
  key: string;
  /** The day this section opens (its first entry's time) when it starts a new day: it shows a pill; else null. */
  day: string | null;
  /** The "new messages" divider stands just before this section. */
  afterDivider: boolean;
  entries: PlacedEntry<T>[];
}

/** A local calendar day as a number (cheaper than a string: the thread is laid out again on every message). */
function dayNumber(time: number): number {
  const d = new Date(time);
  return d.getFullYear() * 10_000 + d.getMonth() * 100 + d.getDate();
}

/**
 * An entry's time and day, by its timestamp: the thread is laid out again on every message, and parsing two
 * thousand dates and finding their local days took most of that. Forgotten wholesale past a bound (a long session).
 */
const timingOf = new Map<string, { time: number; day: number }>();
const TIMINGS_KEPT = 50_000;
function timing(createdAt: string): { time: number; day: number } {
  let known = timingOf.get(createdAt);
  if (!known) {
    if (timingOf.size >= TIMINGS_KEPT) timingOf.clear();
    const time = Date.parse(createdAt);
    known = { time, day: dayNumber(time) };
    timingOf.set(createdAt, known);
  }
  return known;
}

function continues(prev: ThreadEntry, prevTime: number, next: ThreadEntry, nextTime: number): boolean {
  if (prev.system || next.system || prev.senderId !== next.senderId) return false;
  const gap = nextTime - prevTime;
  return gap >= 0 && gap < GROUP_WINDOW_MS;
}

/** `dividerKey`: the entry the "new messages" divider stands before, if any. */
export function layoutThread<T extends ThreadEntry>(entries: readonly T[], dividerKey: string | null): ThreadSection<T>[] {
  return layoutThreadAfter(null, entries, dividerKey).sections;
}

/** A thread laid out, with what it was laid out from: the next layout can go on from where this one ended. */
export interface ThreadLayout<T> {
  entries: readonly T[];
  dividerKey: string | null;
  sections: ThreadSection<T>[];
  /** The sections' keys (a day met twice falls back to a key of its own). */
  keys: ReadonlySet<string>;
}

/**
 * The same as layoutThread, but when `previous` laid out the first of these very entries (the same objects) with
 * the same divider, as after a new message, only the entries after them are laid out: the sections before the last
 * are kept as they are, and the last one is copied to take the new entries (and the last placed entry of it, when
 * the first new one joins its group). A new message in a thread of thousands then costs what it adds, not a layout
 * of the thousands. Nothing of `previous` is changed.
 */
export function layoutThreadAfter<T extends ThreadEntry>(previous: ThreadLayout<T> | null, entries: readonly T[], dividerKey: string | null): ThreadLayout<T> {
  const from = previous && goesOn(previous, entries, dividerKey) ? previous.entries.length : 0;
  if (from === entries.length && previous && from > 0) return previous.entries === entries ? previous : { ...previous, entries };
  const sections: ThreadSection<T>[] = from ? previous!.sections.slice() : [];
  let keys = from ? (previous!.keys as Set<string>) : new Set<string>();
  let keysCopied = !from;
  let current: ThreadSection<T> | null = null;
  let prev: { entry: T; time: number; day: number } | null = null;
  if (from) {
    const last = sections[sections.length - 1]!;
    current = { ...last, entries: last.entries.slice() };
    sections[sections.length - 1] = current;
    const entry = entries[from - 1]!;
    prev = { entry, ...timing(entry.createdAt) };
  }
  for (let i = from; i < entries.length; i++) {
    const entry = entries[i]!;
    const { time, day } = timing(entry.createdAt);
    const newDay = !prev || prev.day !== day;
    const divider = entry.key === dividerKey;
    if (!current || newDay || divider) {
      // Keyed by what it is, not by its first entry: an older page that comes in above must not remount it (the
      // focused message would lose the focus).
      // A day met twice (clocks that disagree around midnight) falls back to its first entry's key.
      let key = divider ? 'new' : `day-${new Date(time).toDateString()}`;
      if (keys.has(key)) key = `${key}-${entry.key}`;
      if (!keysCopied) {
        keys = new Set(keys);
        keysCopied = true;
      }
      keys.add(key);
      current = { key, day: newDay ? entry.createdAt : null, afterDivider: divider, entries: [] };
      sections.push(current);
    }
    const placed = current.entries;
    const before = placed[placed.length - 1];
    const grouped = !!before && !!prev && continues(before.entry, prev.time, entry, time);
    // The first new entry's neighbour is the previous layout's: copied, not changed.
    if (grouped && i === from && from) placed[placed.length - 1] = { ...before, last: false };
    else if (grouped) before.last = false;
    placed.push({ entry, first: !grouped, last: true });
    prev = { entry, time, day };
  }
  return { entries, dividerKey, sections, keys };
}

/** Whether `entries` begin with the entries `previous` was laid out from, the same objects, under the same divider. */
function goesOn<T>(previous: ThreadLayout<T>, entries: readonly T[], dividerKey: string | null): boolean {
  const held = previous.entries;
  if (previous.dividerKey !== dividerKey || held.length > entries.length) return false;
  if (held === entries) return true;
  for (let i = held.length - 1; i >= 0; i--) if (held[i] !== entries[i]) return false;
  return true;
}
