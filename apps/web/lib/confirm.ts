import { useSyncExternalStore } from 'react';

/** One question for the app's confirmation dialog (ConfirmDialog, mounted once in the layout). */
export interface ConfirmRequest {
  title: string;
  body?: string;
  /** The button that does it, e.g. "Delete"; the other one cancels. */
  confirmLabel: string;
  /** Destructive: the confirm button is red. */
  danger?: boolean;
}

interface Pending extends ConfirmRequest {
  resolve: (ok: boolean) => void;
}

let pending: Pending | null = null;
const listeners = new Set<() => void>();

function set(next: Pending | null): void {
  pending = next;
  for (const l of listeners) l();
}

/** Asks; resolves true on confirm, false on cancel, Escape, or a newer question taking its place. */
export function askConfirm(request: ConfirmRequest): Promise<boolean> {
  pending?.resolve(false);
  return new Promise((resolve) => set({ ...request, resolve }));
}

/** The dialog's answer: closes it and settles the question. */
export function answerConfirm(ok: boolean): void {
  const asked = pending;
  set(null);
  asked?.resolve(ok);
}

export function usePendingConfirm(): ConfirmRequest | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => pending,
    () => null,
  );
}

/** `const confirm = useConfirm(); if (await confirm({ ... })) ...` */
export function useConfirm(): (request: ConfirmRequest) => Promise<boolean> {
  return askConfirm;
}
