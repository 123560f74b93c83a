'use client';
import { dayLabel } from '@/lib/format';

/**
 * What stands between messages in a thread. None of them is focusable or has a role: they sit inside the message
 * list between its items, and the list's items are the messages.
 */

/** The day's pill: sticky at the top of its section (see message-groups.ts), so never over the divider. */
export function DayPill({ day }: { day: string }) {
  return (
    <div className="sticky top-0 z-10 my-2 flex justify-center" data-testid="day-separator">
      <span className="rounded-full bg-slate-200/90 px-3 py-0.5 text-xs font-medium text-slate-600 backdrop-blur dark:bg-slate-800/90 dark:text-slate-300">
        {dayLabel(day)}
      </span>
    </div>
  );
}

/** Where the unread messages start; the thread scrolls to its id when the chat opens. */
export function NewMessagesDivider() {
  return (
    <div id="new-divider" className="my-2 flex items-center gap-2 px-4 text-xs font-semibold text-brand-600 dark:text-brand-400" data-testid="new-messages-divider">
      <span className="h-px flex-1 bg-brand-400" /> New messages <span className="h-px flex-1 bg-brand-400" />
    </div>
  );
}

/** A change of the group (created, renamed, someone added...): a centred line, not a bubble. */
export function SystemLine({ text }: { text: string }) {
  return (
    <div className="my-1.5 flex justify-center px-4">
      <span className="rounded-lg bg-slate-100 px-3 py-1 text-center text-xs text-slate-600 dark:bg-slate-900 dark:text-slate-300">{text}</span>
    </div>
  );
}
