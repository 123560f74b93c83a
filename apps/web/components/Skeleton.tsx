/**
 * Grey shapes where content is on its way: the layout does not jump when it lands. The shapes are hidden from
 * screen readers, which hear one "Loading…" line instead; the container they sit in says aria-busy.
 */
const shade = 'bg-slate-200 motion-safe:animate-pulse dark:bg-slate-800';

function Busy({ label }: { label: string }) {
  return <span className="sr-only">{label}</span>;
}

/** Rows of the chat list: avatar, name, preview. Items of a `<ul>`. */
export function ChatListSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, i) => (
        <li key={i} className="flex items-center gap-3 px-4 py-2.5" data-testid="chat-list-skeleton">
          {i === 0 && <Busy label="Loading chats…" />}
          <span aria-hidden className={`h-11 w-11 shrink-0 rounded-full ${shade}`} />
          <span aria-hidden className="flex-1 space-y-2">
            <span className={`block h-3 rounded ${shade}`} style={{ width: `${45 + ((i * 17) % 30)}%` }} />
            <span className={`block h-3 rounded ${shade}`} style={{ width: `${60 + ((i * 23) % 30)}%` }} />
          </span>
        </li>
      ))}
    </>
  );
}

/** Message bubbles, theirs and mine in turn: a thread's first page (`rows` 6) or an older page above (2). */
export function ThreadSkeleton({ rows = 6, label = 'Loading messages…', testId = 'thread-skeleton' }: { rows?: number; label?: string; testId?: string }) {
  return (
    <div className="space-y-2 px-3 py-2" data-testid={testId}>
      <Busy label={label} />
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} aria-hidden className={`flex ${i % 3 === 2 ? 'justify-end' : 'justify-start'}`}>
          <span className={`block h-9 rounded-2xl ${shade}`} style={{ width: `${30 + ((i * 19) % 35)}%` }} />
        </div>
      ))}
    </div>
  );
}

/** One row of a list whose content is on its way: a member of the chat info, a device, a blocked person. Item of a `<ul>`. */
export function RowSkeleton({ label, testId = 'row-skeleton' }: { label: string; testId?: string }) {
  return (
    <li className="flex items-center gap-3 py-2" data-testid={testId}>
      <Busy label={label} />
      <span aria-hidden className={`h-[34px] w-[34px] shrink-0 rounded-full ${shade}`} />
      <span aria-hidden className={`block h-3 w-1/3 rounded ${shade}`} />
    </li>
  );
}
