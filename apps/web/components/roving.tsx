'use client';
import { createContext, FocusEvent, HTMLAttributes, KeyboardEvent, ReactNode, Ref, RefObject, useCallback, useContext, useState } from 'react';

/**
 * Roving focus for a list (the message list): the list is one Tab stop, arrows move between its items, and the
 * controls inside an item (its actions, links, image...) are Tab stops only while focus is in that item. So Tab
 * from a focused message goes into its actions, Escape comes back to the message, and Tab past the last action
 * leaves the list.
 */

/** Whether the controls of the item around are Tab stops now. Outside a roving list: always. */
const ItemEntered = createContext(true);

/** For a control inside a list item: -1 while focus is not in its item, else its own (native) order. */
export function useItemTabIndex(): -1 | undefined {
  return useContext(ItemEntered) ? undefined : -1;
}

const ITEM = '[data-roving-key]';
const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * `activeKey`: the item that is the list's Tab stop (the last one until another is focused); `entered`: focus is
 * inside the list. The item elements carry `data-roving-key`; actions that Enter should reach carry `data-action`.
 */
export function useRovingList(list: RefObject<HTMLElement | null>) {
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [entered, setEntered] = useState(false);

  const onFocus = useCallback((e: FocusEvent<HTMLElement>) => {
    const item = (e.target as HTMLElement).closest<HTMLElement>(ITEM);
    if (item) setActiveKey(item.dataset.rovingKey!);
    setEntered(true);
  }, []);

  const onBlur = useCallback((e: FocusEvent<HTMLElement>) => {
    if (!list.current?.contains(e.relatedTarget as Node | null)) setEntered(false);
  }, [list]);

  const onKeyDown = useCallback((e: KeyboardEvent<HTMLElement>) => {
    const target = e.target as HTMLElement;
    const item = target.closest<HTMLElement>(ITEM);
    if (!item || !list.current) return;
    if (target !== item) {
      // From a control of the item back to the item (a picker inside closes itself on the same key).
      if (e.key === 'Escape') item.focus();
      return;
    }
    const items = Array.from(list.current.querySelectorAll<HTMLElement>(ITEM));
    const at = items.indexOf(item);
    const to = { ArrowUp: at - 1, ArrowDown: at + 1, Home: 0, End: items.length - 1 }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      const next = items[Math.max(0, Math.min(items.length - 1, to))];
      // Scrolled by hand: `nearest` keeps the view still where the item is already in it, and its scroll margin
      // keeps it clear of the sticky day pill.
      next?.focus({ preventScroll: true });
      next?.scrollIntoView({ block: 'nearest' });
      return;
    }
    if (e.key === 'Enter') {
      // Into the item's actions (or, without any, its first control).
      const first = item.querySelector<HTMLElement>('[data-action]') ?? item.querySelector<HTMLElement>(TABBABLE);
      if (first) {
        e.preventDefault();
        first.focus();
      }
    }
  }, [list]);

  /** The list's one Tab stop: the active item while `isItem` says it is still there, else the `last` item. */
  const tabStop = (isItem: (key: string) => boolean, last: string | null): string | null => (activeKey !== null && isItem(activeKey) ? activeKey : last);

  return { onFocus, onBlur, onKeyDown, tabStop, entered };
}

/** An item of a roving list: focusable (the list's Tab stop when `tabStop`), its controls Tab stops while `entered`. */
export function RovingItem({ itemKey, tabStop, entered, children, ref, ...rest }: { itemKey: string; tabStop: boolean; entered: boolean; children: ReactNode; ref?: Ref<HTMLDivElement> } & HTMLAttributes<HTMLDivElement>) {
  return (
    <div ref={ref} role="listitem" tabIndex={tabStop ? 0 : -1} data-roving-key={itemKey} {...rest}>
      <ItemEntered.Provider value={tabStop && entered}>{children}</ItemEntered.Provider>
    </div>
  );
}
