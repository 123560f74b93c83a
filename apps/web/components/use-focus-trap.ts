'use client';
import { RefObject, useEffect, useRef } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface FocusTrapOptions {
  /** Keep Tab inside (a modal dialog); a side panel only takes focus and gives it back. */
  trap: boolean;
  /** Escape: a modal hears it wherever focus is, a panel only while focus is inside it. */
  onEscape?: () => void;
  /** Where focus goes on open (the safe choice of a confirmation); else the first focusable element inside. */
  initialFocus?: RefObject<HTMLElement | null>;
}

interface Layer {
  container: RefObject<HTMLElement | null>;
  options: RefObject<FocusTrapOptions>;
}

/** Open panels and dialogs, the top one last: keys go to the top one only (a confirmation over the chat info). */
const layers: Layer[] = [];

function focusables(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
}

function onKeyDown(e: KeyboardEvent): void {
  const top = layers[layers.length - 1];
  const container = top?.container.current;
  if (!top || !container) return;
  const { trap, onEscape } = top.options.current!;
  const inside = container.contains(document.activeElement) || document.activeElement === document.body;
  if (e.key === 'Escape' && onEscape && (trap || inside)) {
    // Only this layer closes: not the panel beneath, not a handler of the element that has focus.
    e.preventDefault();
    e.stopPropagation();
    onEscape();
  } else if (e.key === 'Tab' && trap) {
    const all = focusables(container);
    if (!all.length) return e.preventDefault();
    const first = all[0]!;
    const last = all[all.length - 1]!;
    const at = document.activeElement;
    if (!container.contains(at)) {
      e.preventDefault();
      (e.shiftKey ? last : first).focus();
    } else if (e.shiftKey && at === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && at === last) {
      e.preventDefault();
      first.focus();
    }
  }
}

/**
 * Focus for a dialog or a panel: it moves in on open (to `initialFocus` or the first control), Tab stays inside
 * while `trap`, Escape calls `onEscape`, and on close focus goes back to the element that opened it. When that
 * element is gone by then (a deleted message's action), to the nearest control of what still holds it.
 * Attach the returned ref to the container.
 */
export function useFocusTrap<T extends HTMLElement>(options: FocusTrapOptions): RefObject<T | null> {
  const container = useRef<T>(null);
  const current = useRef(options);
  current.current = options;

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    // Ancestors of the opener, nearest first: where focus can go back when the opener itself has gone.
    const around: HTMLElement[] = [];
    for (let el = opener?.parentElement; el && el !== document.body; el = el.parentElement) around.push(el);

    const layer: Layer = { container, options: current };
    layers.push(layer);
    if (layers.length === 1) document.addEventListener('keydown', onKeyDown, true);

    const el = container.current;
    const first = current.current.initialFocus?.current ?? (el ? focusables(el)[0] : undefined);
    if (first) first.focus();
    else if (el) {
      el.tabIndex = -1;
      el.focus();
    }

    return () => {
      layers.splice(layers.indexOf(layer), 1);
      if (!layers.length) document.removeEventListener('keydown', onKeyDown, true);
      // Someone who clicked elsewhere meanwhile keeps focus where they put it.
      const active = document.activeElement;
      if (active && active !== document.body && !el?.contains(active)) return;
      if (opener?.isConnected) return opener.focus();
      const holder = around.find((a) => a.isConnected && focusables(a).length);
      if (holder) focusables(holder)[0]!.focus();
    };
  }, []);

  return container;
}
