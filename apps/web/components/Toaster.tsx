'use client';
import { useEffect, useState } from 'react';
import { dismissToast, Toast, TOAST_MS, useToasts } from '@/lib/toasts';
import { Icon } from './Icon';

/**
 * The app's toasts, mounted once in the layout: a polite live region, so a screen reader says each one once
 * without cutting off what it is reading. Each goes by itself, or with its close button.
 */
export function Toaster() {
  const toasts = useToasts();
  return (
    <div role="status" aria-live="polite" className="pointer-events-none fixed inset-x-0 bottom-20 z-[70] flex flex-col items-center gap-2 px-4" data-testid="toasts">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  );
}

function ToastItem({ toast }: { toast: Toast }) {
  // Held while the pointer or focus is on it (WCAG 2.2.1): nobody loses a message they are reading.
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (held) return;
    const timer = setTimeout(() => dismissToast(toast.id), TOAST_MS[toast.kind]);
    return () => clearTimeout(timer);
  }, [held, toast.id, toast.kind]);
  const error = toast.kind === 'error';
  return (
    <div
      className={`pointer-events-auto flex max-w-md items-center gap-3 rounded-xl px-4 py-2.5 text-sm shadow-lg ${
        error ? 'bg-red-700 text-white' : 'bg-slate-800 text-white dark:bg-slate-100 dark:text-slate-900'
      }`}
      onMouseEnter={() => setHeld(true)}
      onMouseLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={() => setHeld(false)}
      data-testid="toast"
      data-kind={toast.kind}
    >
      {error && <Icon name="alert" size={18} className="shrink-0" />}
      <span className="min-w-0 flex-1">
        {error && <span className="sr-only">Error: </span>}
        {toast.text}
      </span>
      <button onClick={() => dismissToast(toast.id)} className="-mr-1 shrink-0 rounded-full p-1 hover:bg-white/20" aria-label="Dismiss" data-testid="toast-dismiss">
        <Icon name="close" size={16} />
      </button>
    </div>
  );
}
