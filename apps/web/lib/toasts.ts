import { useSyncExternalStore } from 'react';

/** A short notice at the bottom of the screen: the outcome of an action ("Copied", "Message deleted") or why it failed. */
export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

/** Long enough to read twice; errors a little longer. Hovering or focusing a toast holds it (see Toaster). */
export const TOAST_MS = { info: 5000, error: 8000 } as const;
/** More at once is noise: the oldest goes. */
const MAX_SHOWN = 3;

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function set(next: Toast[]): void {
  toasts = next;
  for (const l of listeners) l();
}

export function showToast(text: string, kind: Toast['kind'] = 'info'): void {
  // The same notice twice in a row (two failed retries) shows once.
  if (toasts.some((t) => t.text === text && t.kind === kind)) return;
  set([...toasts, { id: nextId++, text, kind }].slice(-MAX_SHOWN));
}

/** A failed action: its error's message, else a generic line (a network failure has no useful one). */
export function showError(error: unknown, fallback = 'Something went wrong. Try again.'): void {
  const message = error instanceof Error && error.message && error.message !== 'Failed to fetch' ? error.message : fallback;
  showToast(message, 'error');
}

export function dismissToast(id: number): void {
  set(toasts.filter((t) => t.id !== id));
}

export function useToasts(): Toast[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => toasts,
    () => [],
  );
}
