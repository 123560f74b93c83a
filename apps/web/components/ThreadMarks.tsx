'use client';
import type { Ref } from 'react';
import { dayLabel } from '@/lib/format';

/**
 * What stands between messages in a thread. None of them is focusable or has a role: they sit inside the message
 * list between its items, and the list's items are the messages.
 */

/**
 * The day's pill: sticky at the top of its section (see message-groups.ts), so never over the divider. A row of the
 * message list (measured: `ref` and `index`, its spacing padding, not margin, so it is inside what is measured); or,
 * `floating`, for a section whose pill row is not drawn (ThreadRows): sticky too, but taking no room.
 */
export function DayPill({ day, ref, index, floating }: { day: string; ref?: Ref<HTMLDivElement>; index?: number; floating?: boolean }) {
  return (
    <div
      ref={ref}
      data-index={index}
      className={`pointer-events-none sticky top-0 z-10 flex justify-center ${floating ? 'h-0 items-start' : 'py-2'}`}
      data-testid="day-separator"
      data-floating={floating || undefined}
    >
      <span className={`pointer-events-auto rounded-full bg-slate-200 px-3 py-0.5 text-xs font-medium text-slate-600 dark:bg-slate-800 dark:text-slate-300 ${floating ? 'mt-2' : ''}`}>
        {dayLabel(day)}
      </span>
    </div>
  );
}

/** Where the unread messages start; the thread scrolls to it when the chat opens. A measured row, like the pill. */
export function NewMessagesDivider({ ref, index }: { ref?: Ref<HTMLDivElement>; index?: number }) {
  return (
    <div ref={ref} data-index={index} id="new-divider" className="flex items-center gap-2 px-4 py-2 text-xs font-semibold text-brand-600 dark:text-brand-400" data-testid="new-messages-divider">
      <span className="h-px flex-1 bg-brand-400" /> New messages <span className="h-px flex-1 bg-brand-400" />
    </div>
  );
}

/** A change of the group (created, renamed, someone added...): a centred line, not a bubble. */
export function SystemLine({ text }: { text: string }) {
  return (
    <div className="flex justify-center px-4 py-1.5">
      <span className="rounded-lg bg-slate-100 px-3 py-1 text-center text-xs text-slate-600 dark:bg-slate-900 dark:text-slate-300">{text}</span>
    </div>
  );
}
