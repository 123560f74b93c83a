'use client';
import { useStore } from '@/lib/store';

/** Screen readers hear new messages as they arrive. */
export function LiveRegion() {
  const text = useStore((s) => s.announcement);
  return (
    <div aria-live="polite" aria-atomic="true" className="sr-only" data-testid="live-region">
      {text}
    </div>
  );
}
