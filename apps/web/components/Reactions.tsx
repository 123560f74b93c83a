'use client';
import { FormEvent, useRef, useState } from 'react';
import type { ReactionDto } from '@/lib/contracts';
import { useItemTabIndex } from './roving';

/** The picker's first row; any other emoji can be typed (the server checks it is exactly one). */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];
const LONG_PRESS_MS = 450;

/**
 * The emojis on a message with their counts; mine are highlighted and a tap toggles mine. Who reacted: the title
 * on hover, and a line under the chips after a long press (phones have no hover).
 */
export function ReactionChips({ reactions, meId, nameOf, onToggle, mine }: {
  reactions: ReactionDto[];
  meId: string | undefined;
  nameOf: (userId: string) => string;
  onToggle?: (emoji: string, on: boolean) => void;
  mine: boolean;
}) {
  const [who, setWho] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const longPressed = useRef(false);
  const tabIndex = useItemTabIndex();
  if (!reactions.length) return null;
  const names = (r: ReactionDto) => r.userIds.map(nameOf).join(', ');
  const stop = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  };
  const shown = reactions.find((r) => r.emoji === who);
  return (
    <div className={`mt-1 flex flex-col ${mine ? 'items-end' : 'items-start'}`}>
      <div className="flex flex-wrap gap-1" data-testid="reactions">
        {reactions.map((r) => {
          const reacted = !!meId && r.userIds.includes(meId);
          return (
            <button
              key={r.emoji}
              type="button"
              data-testid="reaction"
              data-emoji={r.emoji}
              data-count={r.count}
              aria-pressed={reacted}
              tabIndex={tabIndex}
              title={names(r)}
              aria-label={`${r.emoji} ${r.count}: ${names(r)}`}
              onPointerDown={() => {
                longPressed.current = false;
                stop();
                timer.current = setTimeout(() => {
                  longPressed.current = true;
                  setWho((current) => (current === r.emoji ? null : r.emoji));
                }, LONG_PRESS_MS);
              }}
              onPointerUp={stop}
              onPointerLeave={stop}
              onContextMenu={(e) => e.preventDefault()}
              onClick={() => {
                if (longPressed.current) return void (longPressed.current = false);
                onToggle?.(r.emoji, !reacted);
              }}
              className={`flex select-none items-center gap-1 rounded-full px-2 py-0.5 text-sm ring-1 ${
                reacted ? 'bg-brand-50 ring-brand-400 dark:bg-brand-700/40' : 'bg-white ring-slate-200 dark:bg-slate-900 dark:ring-slate-700'
              }`}
            >
              <span>{r.emoji}</span>
              <span className="text-xs font-medium text-slate-600 dark:text-slate-300">{r.count}</span>
            </button>
          );
        })}
      </div>
      {shown && (
        <p className="mt-0.5 max-w-full text-xs text-slate-500 [overflow-wrap:anywhere]" data-testid="reaction-who">
          {shown.emoji} {names(shown)}
        </p>
      )}
    </div>
  );
}

/** Quick emojis, or any one typed in (the keyboard's emoji panel). */
export function ReactionPicker({ onPick, onClose }: { onPick: (emoji: string) => void; onClose: () => void }) {
  const [other, setOther] = useState('');
  const tabIndex = useItemTabIndex();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (other.trim()) onPick(other.trim());
  };
  return (
    <div
      className="mt-1 flex flex-wrap items-center gap-1 rounded-2xl bg-white p-1 shadow-lg ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700"
      data-testid="reaction-picker"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      {QUICK_REACTIONS.map((emoji) => (
        <button key={emoji} type="button" tabIndex={tabIndex} onClick={() => onPick(emoji)} className="rounded-full p-1 text-lg hover:bg-slate-100 dark:hover:bg-slate-800" aria-label={`React with ${emoji}`} data-testid="pick-reaction" data-emoji={emoji}>
          {emoji}
        </button>
      ))}
      <form onSubmit={submit} className="flex items-center gap-1">
        <input
          value={other}
          onChange={(e) => setOther(e.target.value)}
          maxLength={32}
          tabIndex={tabIndex}
          placeholder="Any emoji"
          aria-label="Any emoji"
          className="w-24 rounded-full border border-slate-300 bg-transparent px-2 py-0.5 text-sm dark:border-slate-700"
          data-testid="custom-reaction"
        />
        <button type="submit" tabIndex={tabIndex} className="rounded-full px-2 py-0.5 text-sm text-brand-600 dark:text-brand-400">Add</button>
      </form>
      <button type="button" tabIndex={tabIndex} onClick={onClose} className="rounded-full px-2 text-sm text-slate-500" aria-label="Close">✕</button>
    </div>
  );
}
