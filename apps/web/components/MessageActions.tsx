'use client';
import { Ref } from 'react';
import { Icon } from './Icon';
import { useItemTabIndex } from './roving';

/** What a message offers: each action only where its handler is given. */
export interface MessageActionHandlers {
  /** Not deleted for everyone: only "delete for me" is left on a tombstone. */
  live: boolean;
  /** Whether it is pinned: its pin action unpins. */
  pinned?: boolean;
  /** Reactions (the picker is the bubble's: only whether there is one matters here). */
  onReact?: unknown;
  onReply?: () => void;
  onForward?: () => void;
  onCopy?: () => void;
  /** Pin or unpin (`pinned` says which); absent when the user may not. */
  onTogglePin?: () => void;
  onEdit?: () => void;
  onDelete?: () => void;
  /** Delete for me: offered on every message shown, tombstones included. */
  onDeleteForMe?: () => void;
}

interface ActionSpec {
  label: string;
  icon: Parameters<typeof Icon>[0]['name'];
  onClick: () => void;
  testId: string;
}

/** The plain buttons a message offers, in the order they show (after React), each only where its handler is given. */
function plainActions({ live, pinned, onReply, onForward, onCopy, onTogglePin, onEdit, onDelete, onDeleteForMe }: MessageActionHandlers): ActionSpec[] {
  const all: (ActionSpec | false | undefined)[] = [
    live && !!onReply && { label: 'Reply', icon: 'reply', onClick: onReply, testId: 'action-reply' },
    live && !!onForward && { label: 'Forward', icon: 'forward', onClick: onForward, testId: 'action-forward' },
    live && !!onCopy && { label: 'Copy text', icon: 'copy', onClick: onCopy, testId: 'action-copy' },
    live && !!onTogglePin && { label: pinned ? 'Unpin' : 'Pin', icon: 'pin', onClick: onTogglePin, testId: pinned ? 'action-unpin' : 'action-pin' },
    live && !!onEdit && { label: 'Edit', icon: 'edit', onClick: onEdit, testId: 'action-edit' },
    live && !!onDelete && { label: 'Delete for everyone', icon: 'trash', onClick: onDelete, testId: 'action-delete' },
    !!onDeleteForMe && { label: 'Delete for me', icon: 'hide', onClick: onDeleteForMe, testId: 'action-delete-for-me' },
  ];
  return all.filter((a): a is ActionSpec => !!a);
}

const BUTTON = 'rounded-full p-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800';

function Action({ label, icon, onClick, testId }: ActionSpec) {
  const tabIndex = useItemTabIndex();
  return (
    <button type="button" onClick={onClick} aria-label={label} title={label} tabIndex={tabIndex} data-action className={BUTTON} data-testid={testId}>
      <Icon name={icon} size={16} />
    </button>
  );
}

/** A message's action buttons, in the order they show beside the bubble. */
export function MessageActions({ picking, reactButton, onTogglePicker, ...handlers }: MessageActionHandlers & { picking: boolean; reactButton: Ref<HTMLButtonElement>; onTogglePicker(): void }) {
  const tabIndex = useItemTabIndex();
  return (
    <>
      {handlers.live && !!handlers.onReact && (
        <button
          ref={reactButton}
          type="button"
          onClick={onTogglePicker}
          aria-label="React"
          title="React"
          aria-expanded={picking}
          tabIndex={tabIndex}
          data-action
          className={BUTTON}
          data-testid="action-react"
        >
          <Icon name="smile" size={16} />
        </button>
      )}
      {plainActions(handlers).map((action) => <Action key={action.testId} {...action} />)}
    </>
  );
}

/**
 * The room the buttons take, kept while they are not made: the bubble beside them is as wide with them as without,
 * so its text does not wrap anew (and its row change height) when the pointer comes over it. Each button is 1.5rem
 * wide (a 16 px icon and p-1), with the row's 0.125rem gap between them.
 */
export function MessageActionsRoom(handlers: MessageActionHandlers) {
  const count = (handlers.live && handlers.onReact ? 1 : 0) + plainActions(handlers).length;
  return count ? <span aria-hidden className="block shrink-0" style={{ width: `calc(${count} * 1.5rem + ${count - 1} * 0.125rem)` }} /> : null;
}
