'use client';
import { Ref } from 'react';
import { Icon } from './Icon';
import { useItemTabIndex } from './roving';

function Action({ label, icon, onClick, testId }: { label: string; icon: Parameters<typeof Icon>[0]['name']; onClick: () => void; testId: string }) {
  const tabIndex = useItemTabIndex();
  return (
    <button type="button" onClick={onClick} aria-label={label} title={label} tabIndex={tabIndex} data-action className="rounded-full p-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800" data-testid={testId}>
      <Icon name={icon} size={16} />
    </button>
  );
}

export interface MessageActionsProps {
  /** Not deleted for everyone: only "delete for me" is left on a tombstone. */
  live: boolean;
  pinned?: boolean;
  picking: boolean;
  reactButton: Ref<HTMLButtonElement>;
  onTogglePicker(): void;
  onReact?: unknown;
  onReply?: () => void;
  onForward?: () => void;
  onCopy?: () => void;
  onTogglePin?: () => void;
  onEdit?: () => void;
  onDelete?: () => void;
  onDeleteForMe?: () => void;
}

/** A message's action buttons, in the order they show beside the bubble; each only where its handler is given. */
export function MessageActions({ live, pinned, picking, reactButton, onTogglePicker, onReact, onReply, onForward, onCopy, onTogglePin, onEdit, onDelete, onDeleteForMe }: MessageActionsProps) {
  const tabIndex = useItemTabIndex();
  return (
    <>
      {live && !!onReact && (
        <button
          ref={reactButton}
          type="button"
          onClick={onTogglePicker}
          aria-label="React"
          title="React"
          aria-expanded={picking}
          tabIndex={tabIndex}
          data-action
          className="rounded-full p-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
          data-testid="action-react"
        >
          <Icon name="smile" size={16} />
        </button>
      )}
      {live && onReply && <Action label="Reply" icon="reply" onClick={onReply} testId="action-reply" />}
      {live && onForward && <Action label="Forward" icon="forward" onClick={onForward} testId="action-forward" />}
      {live && onCopy && <Action label="Copy text" icon="copy" onClick={onCopy} testId="action-copy" />}
      {live && onTogglePin && <Action label={pinned ? 'Unpin' : 'Pin'} icon="pin" onClick={onTogglePin} testId={pinned ? 'action-unpin' : 'action-pin'} />}
      {live && onEdit && <Action label="Edit" icon="edit" onClick={onEdit} testId="action-edit" />}
      {live && onDelete && <Action label="Delete for everyone" icon="trash" onClick={onDelete} testId="action-delete" />}
      {onDeleteForMe && <Action label="Delete for me" icon="hide" onClick={onDeleteForMe} testId="action-delete-for-me" />}
    </>
  );
}
