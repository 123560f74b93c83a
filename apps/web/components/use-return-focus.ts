'use client';
import { useCallback, useRef } from 'react';

/**
 * For a panel or a viewer: `remember` where focus was when it opens (the button that opened it), `restore` it when
 * it closes, so a keyboard user goes on from where they were instead of from the top of the page.
 */
export function useReturnFocus() {
  const opener = useRef<HTMLElement | null>(null);
  const remember = useCallback(() => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  }, []);
  const restore = useCallback(() => {
    const el = opener.current;
    opener.current = null;
    if (el?.isConnected) el.focus();
  }, []);
  return { remember, restore };
}
