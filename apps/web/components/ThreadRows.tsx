'use client';
import { Fragment, KeyboardEvent, FocusEvent, ReactNode, Ref, RefObject, useCallback, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ThreadSection } from '@/lib/message-groups';
import { drawnSections, ThreadRow } from '@/lib/thread-rows';
import { ThreadSkeleton } from './Skeleton';
import { DayPill, NewMessagesDivider } from './ThreadMarks';

/**
 * The message list, virtualized (@tanstack/react-virtual): a long thread keeps only the rows near the viewport in
 * the page, so a new message, a typing or a presence change costs the same with 2,000 loaded messages as with 50
 * (every row in the page made each frame's style, layout and paint grow with the thread). A thread of up to
 * RENDER_ALL_ROWS rows is drawn whole: cheap, and the browser's find-in-page sees all of it.
 *
 * The rows stay in normal flow (spacers above and below stand for the rows not drawn), so the day pills stay sticky
 * within their sections. Each drawn row is measured; its margins are inside it, so the sizes add up to the list.
 * A row above the view measured for the first time (its estimate was off) moves the view by the difference, so
 * scrolling up through rows never drawn before does not jump; Thread keeps the view still when an older page comes in.
 */
export const RENDER_ALL_ROWS = 300;
const heightOf = (row: Element) => row.getBoundingClientRect().height;
const OVERSCAN_ROWS = 20;
const ESTIMATED_HEIGHT: Record<ThreadRow<unknown>['kind'], number> = { older: 112, divider: 32, day: 38, entry: 56 };

export interface ThreadRowsHandle {
  /** The scroll position that puts a row at the top (measured, or estimated for rows never drawn). */
  rowTop(index: number): number | undefined;
  /** Scrolls a row into the window (it is drawn after the next render). */
  scrollToRow(index: number, align: 'start' | 'center' | 'end'): void;
  /** To the bottom; in a long thread, again as the rows drawn there are measured, until it stays there. */
  scrollToEnd(): void;
}

interface Props<T> {
  rows: readonly ThreadRow<T>[];
  sections: readonly ThreadSection<T>[];
  scroller: RefObject<HTMLDivElement | null>;
  handle: Ref<ThreadRowsHandle>;
  /** An entry's row: its element must take `measure` as its ref and carry `data-index`. */
  renderEntry(row: Extract<ThreadRow<T>, { kind: 'entry' }>, index: number, measure: (el: HTMLElement | null) => void): ReactNode;
  /** After every render of the rows (a scroll draws other rows): a row waited for may be drawn now. */
  onDrawn(): void;
  /** While true, rows measured above the view do not move it (Thread is moving it for an older page itself). */
  holdScroll(): boolean;
  list: {
    ref: RefObject<HTMLDivElement | null>;
    busy: boolean;
    onKeyDown(e: KeyboardEvent<HTMLElement>): void;
    onFocus(e: FocusEvent<HTMLElement>): void;
    onBlur(e: FocusEvent<HTMLElement>): void;
  };
}

export function ThreadRows<T>({ rows, sections, scroller, handle, renderEntry, onDrawn, holdScroll, list }: Props<T>) {
  // Where the list starts in the scroller (its padding, a notice above it): rows are positioned from there.
  const [listTop, setListTop] = useState(0);
  // The same function while the rows are the same: the virtualizer lays out every row again (O(rows)) whenever
  // its key function changes, and it renders several times per new message or scroll step.
  const keyOf = useCallback((i: number) => rows[i]!.key, [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => ESTIMATED_HEIGHT[rows[i]!.kind],
    getItemKey: keyOf,
    // One measure everywhere (on mount, by its ResizeObserver, and by the pass below): its default rounds what the
    // observer reports but not what the pass reads, so each undid the other and every new message rendered twice more.
    measureElement: heightOf,
    overscan: rows.length <= RENDER_ALL_ROWS ? RENDER_ALL_ROWS : OVERSCAN_ROWS,
    scrollMargin: listTop,
  });
  // A row above the view measured for the first time moves the view by its estimate's error (rows keep normal flow,
  // so the rows below it moved by as much); not while Thread puts the view back after an older page came in.
  virtualizer.shouldAdjustScrollPositionOnItemSizeChange = (item) => !holdScroll() && item.start < (scroller.current?.scrollTop ?? 0);
  const items = virtualizer.getVirtualItems();
  // The rows as of the last commit: a drawn row that is not the same object now changed (see below).
  const rowsBefore = useRef<readonly ThreadRow<T>[] | null>(null);
  useLayoutEffect(() => {
    const el = list.ref.current;
    const top = el?.offsetTop ?? 0;
    if (top !== listTop) setListTop(top);
    // Rows drawn while the view scrolls, and rows an older page regrouped, are measured by the virtualizer only at
    // the next frame (its ResizeObserver): measured here, now, so what Thread computes in this commit from row
    // positions (where an older page moved the message on screen to) uses real sizes, not estimates. Otherwise
    // (a new message, typing) the rows mounted were measured as they mounted, and the pass would cost a layout.
    if (holdScroll()) {
      el?.querySelectorAll<HTMLElement>(':scope [data-index]').forEach((row) => virtualizer.resizeItem(Number(row.dataset.index), heightOf(row)));
    } else if (virtualizer.isScrolling) {
      // Only the rows never measured: a scroll that draws no new row (a new message scrolls the view to the end, and
      // the row at the top goes) costs no layout here.
      for (const item of items) {
        const row = virtualizer.itemSizeCache.has(item.key) ? undefined : virtualizer.elementsCache.get(item.key);
        if (row?.isConnected) virtualizer.resizeItem(item.index, heightOf(row));
      }
    }
    // Drawn rows whose content changed in this commit (a new message takes the tail and the time off the one before
    // it; an edit), measured now, with the rows just mounted (the layout is done once for both): left to the
    // virtualizer's ResizeObserver, they were measured at the next frame and rendered the list once more. Rows kept
    // as they were (threadRowsAfter) are the same objects.
    const before = rowsBefore.current;
    rowsBefore.current = rows;
    if (before && before !== rows && !holdScroll()) {
      for (const item of items) {
        if (rows[item.index] === before[item.index] || !virtualizer.itemSizeCache.has(item.key)) continue;
        const row = virtualizer.elementsCache.get(item.key);
        if (row?.isConnected) virtualizer.resizeItem(item.index, heightOf(row));
      }
    }
    onDrawn();
  });
  useImperativeHandle(handle, () => ({
    rowTop: (index) => virtualizer.getOffsetForIndex(index, 'start')?.[0],
    scrollToRow: (index, align) => virtualizer.scrollToIndex(index, { align }),
    scrollToEnd: () => {
      const el = scroller.current;
      if (el) el.scrollTop = el.scrollHeight;
      // From far above, the rows drawn at the bottom were estimated until now: their real sizes move the end. With the
      // last row drawn already (a new message at the bottom), the list's height is real and that was the end.
      const drawnItems = virtualizer.getVirtualItems();
      const lastDrawn = drawnItems[drawnItems.length - 1]?.index;
      if (virtualizer.options.count > RENDER_ALL_ROWS && lastDrawn !== virtualizer.options.count - 1) virtualizer.scrollToEnd();
    },
  }), [virtualizer, scroller]);

  const first = items[0];
  const last = items[items.length - 1];
  const spaceAbove = first ? first.start - listTop : 0;
  const spaceBelow = last ? Math.max(0, virtualizer.getTotalSize() - (last.end - listTop)) : 0;
  const measure = virtualizer.measureElement;
  // A row's element, kept while the rows and renderEntry are the same: a render of the virtualizer's own (a row
  // measured, the scrolling started or stopped, a row drawn or gone) gives React the same element for every row
  // that stays, which it skips without asking the row.
  const entryElements = useMemo(() => new Map<string, ReactNode>(), [rows, renderEntry, measure]);
  const entryElement = (row: Extract<ThreadRow<T>, { kind: 'entry' }>, index: number) => {
    let element = entryElements.get(row.key);
    if (element === undefined) entryElements.set(row.key, (element = <Fragment key={row.key}>{renderEntry(row, index, measure)}</Fragment>));
    return element;
  };
  // The same elements while the same rows are drawn: a render of the virtualizer's own (the scrolling started or
  // stopped) then leaves every row alone instead of asking each one again.
  const drawnRows = useMemo(() => {
    const drawn = drawnSections(rows, items.map((item) => item.index), sections);
    return (
      <>
        {drawn.older && (
          <div ref={measure} data-index={drawn.older.index} className="flow-root">
            <ThreadSkeleton rows={2} label="Loading earlier messages…" testId="older-skeleton" />
          </div>
        )}
        {drawn.sections.map((section) => (
          <Fragment key={section.key}>
            {section.divider && <NewMessagesDivider ref={measure} index={section.divider.index} />}
            {/* The day pill sticks only within its section, which ends at the divider: it never covers it. */}
            <div data-testid="thread-section">
              {section.pill && section.pill.row.kind === 'day' && <DayPill day={section.pill.row.day} ref={measure} index={section.pill.index} />}
              {section.floatingDay && <DayPill day={section.floatingDay} floating />}
              {section.rows.map(({ row, index }) => (row.kind === 'entry' ? entryElement(row, index) : null))}
            </div>
          </Fragment>
        ))}
      </>
    );
  }, [rows, items, sections, entryElements]);

  return (
    <div ref={list.ref} role="list" aria-label="Messages" aria-busy={list.busy} onKeyDown={list.onKeyDown} onFocus={list.onFocus} onBlur={list.onBlur} style={{ paddingTop: spaceAbove, paddingBottom: spaceBelow }}>
      {drawnRows}
    </div>
  );
}
