'use client';
import { useEffect, useRef, useState } from 'react';
import { addMembers, hideChat, leaveGroup, removeMember, renameGroup, setAdmin, setHistoryVisible, setMuted } from '@/lib/chat-admin';
import { blockUser, unblockUser } from '@/lib/engine';
import type { ChatSummaryDto } from '@/lib/contracts';
import { chatPeerId, chatTitle, useStore, userName } from '@/lib/store';
import { usePeopleSearch } from '@/lib/use-people-search';
import { Avatar } from './Avatar';
import { Icon } from './Icon';

/**
 * The chat's info panel: mute for everyone; for a group its name and members, which admins can change; leave a
 * group or hide a 1:1 chat. Every action waits for the server's answer, so what shows is what is stored.
 */
export function ChatInfo({ chat, onClose, onGone, onJumpTo }: { chat: ChatSummaryDto; onClose: () => void; onGone: () => void; onJumpTo: (messageId: string) => void }) {
  const s = useStore((st) => st);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const me = s.me?.id;
  const isAdmin = chat.members.some((m) => m.userId === me && m.role === 'admin');
  const group = chat.kind === 'group';

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e: any) {
      setError(e.message);
    } finally {
      setBusy(false);
    }
  }

  // The panel takes the focus when it opens (the thread gives it back to the opener on close).
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => closeButton.current?.focus(), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const peer = chatPeerId(s, chat);
  const title = chatTitle(s, chat);
  return (
    <aside
      className="absolute inset-0 z-30 flex flex-col bg-white md:static md:z-auto md:w-80 md:shrink-0 md:border-l md:border-slate-200 lg:w-96 dark:bg-slate-950 md:dark:border-slate-800"
      aria-label="Chat info"
      data-testid="chat-info"
    >
      <header className="flex items-center gap-2 border-b border-slate-200 px-3 py-2.5 dark:border-slate-800">
        <button ref={closeButton} onClick={onClose} className="rounded-full p-2 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label="Close chat info" data-testid="close-chat-info">
          <Icon name="close" />
        </button>
        <span className="font-semibold">{group ? 'Group info' : 'Chat info'}</span>
      </header>
      <div className="min-h-0 flex-1 space-y-5 overflow-y-auto p-4">
        <div className="flex flex-col items-center gap-2 text-center">
          <Avatar name={title} url={group ? chat.avatarUrl : peer ? s.users[peer]?.avatarUrl : null} size={72} />
          {group && isAdmin ? (
            <RenameForm key={chat.title} current={chat.title ?? ''} busy={busy} onSave={(t) => run(() => renameGroup(chat.id, t))} />
          ) : (
            <h3 className="text-lg font-semibold">{title}</h3>
          )}
        </div>

        <label className="flex items-center justify-between gap-3 rounded-lg border border-slate-200 px-3 py-2 dark:border-slate-800">
          <span className="flex items-center gap-2">
            <Icon name="bellOff" size={18} />
            Mute notifications
          </span>
          <input
            type="checkbox"
            role="switch"
            checked={chat.muted}
            disabled={busy}
            onChange={(e) => void run(() => setMuted(chat.id, e.target.checked))}
            aria-checked={chat.muted}
            data-testid="mute-toggle"
            className="h-5 w-5 accent-brand-500"
          />
        </label>

        {group && (
          <label className="flex items-center justify-between gap-3 rounded-lg border border-slate-200 px-3 py-2 dark:border-slate-800">
            <span className="min-w-0">
              <span className="block">New members see earlier messages</span>
              <span className="block text-xs text-slate-500">{isAdmin ? 'Applies to people added from now on' : 'Only admins can change this'}</span>
            </span>
            <input
              type="checkbox"
              role="switch"
              checked={chat.historyVisible}
              disabled={busy || !isAdmin}
              onChange={(e) => void run(() => setHistoryVisible(chat.id, e.target.checked))}
              aria-checked={chat.historyVisible}
              data-testid="history-visible-toggle"
              className="h-5 w-5 shrink-0 accent-brand-500"
            />
          </label>
        )}

        {error && (
          <p role="alert" className="rounded-lg bg-red-50 p-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
            {error}
          </p>
        )}

        <section aria-label="Pinned messages" data-testid="pinned-list">
          <h4 className="mb-2 flex items-center gap-1.5 text-sm font-semibold text-slate-500">
            <Icon name="pin" size={14} /> Pinned messages
          </h4>
          {(s.pins[chat.id] ?? []).length === 0 ? (
            <p className="text-sm text-slate-500">Nothing pinned yet.</p>
          ) : (
            <ul className="space-y-1" role="list">
              {(s.pins[chat.id] ?? []).map((pin) => (
                <li key={pin.messageId}>
                  <button
                    onClick={() => onJumpTo(pin.messageId)}
                    className="block w-full rounded-lg border-l-4 border-brand-500 bg-slate-50 px-3 py-1.5 text-left text-sm hover:bg-slate-100 dark:bg-slate-900 dark:hover:bg-slate-800"
                    data-testid="pinned-item"
                    data-message-id={pin.messageId}
                  >
                    <span className="block text-xs font-semibold">{userName(s, pin.message.senderId)}</span>
                    <span className="line-clamp-2">{pin.message.deleted ? 'Deleted message' : pin.message.text ?? (pin.message.hasImage ? 'Photo' : '')}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>

        {!group && peer && (
          <button
            disabled={busy}
            onClick={() => {
              const blocked = s.blocked.includes(peer);
              if (blocked) void run(() => unblockUser(peer));
              else if (confirm(`Block ${title}? They will not be able to message you or see when you are online.`)) void run(() => blockUser(peer));
            }}
            className="flex w-full items-center justify-center gap-2 rounded-lg border border-slate-200 py-2 font-medium hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-900"
            data-testid={s.blocked.includes(peer) ? 'unblock-user' : 'block-user'}
          >
            <Icon name="block" size={18} />
            {s.blocked.includes(peer) ? `Unblock ${title}` : `Block ${title}`}
          </button>
        )}

        {group && (
          <section aria-label="Members">
            <h4 className="mb-2 text-sm font-semibold text-slate-500">{chat.members.length} members</h4>
            <ul className="divide-y divide-slate-100 dark:divide-slate-900" role="list">
              {chat.members.map((m) => (
                <li key={m.userId} className="flex items-center gap-3 py-2" data-testid="member" data-user-id={m.userId}>
                  <Avatar name={userName(s, m.userId)} url={s.users[m.userId]?.avatarUrl} size={34} />
                  <span className="min-w-0 flex-1">
                    <span className="block truncate font-medium">{userName(s, m.userId)}</span>
                    {m.role === 'admin' && <span className="text-xs text-brand-600 dark:text-brand-400" data-testid="admin-badge">admin</span>}
                  </span>
                  {isAdmin && m.userId !== me && (
                    <span className="flex shrink-0 gap-1 text-xs">
                      <button
                        disabled={busy}
                        onClick={() => void run(() => setAdmin(chat.id, m.userId, m.role !== 'admin'))}
                        className="rounded px-2 py-1 hover:bg-slate-100 dark:hover:bg-slate-800"
                        data-testid="toggle-admin"
                      >
                        {m.role === 'admin' ? 'Remove admin' : 'Make admin'}
                      </button>
                      <button
                        disabled={busy}
                        onClick={() => confirm(`Remove ${userName(s, m.userId)} from the group?`) && void run(() => removeMember(chat.id, m.userId))}
                        className="rounded px-2 py-1 text-red-600 hover:bg-red-50 dark:hover:bg-red-950"
                        data-testid="remove-member"
                      >
                        Remove
                      </button>
                    </span>
                  )}
                </li>
              ))}
            </ul>
            {isAdmin && <AddPeople chat={chat} busy={busy} onAdd={(ids) => run(() => addMembers(chat.id, ids))} />}
          </section>
        )}

        <button
          disabled={busy}
          onClick={() => {
            const question = group ? 'Leave this group?' : 'Delete this chat for you? It comes back if a new message arrives.';
            if (confirm(question)) void run(() => (group ? leaveGroup(chat.id) : hideChat(chat.id)).then(onGone));
          }}
          className="w-full rounded-lg border border-red-200 py-2 font-medium text-red-600 hover:bg-red-50 dark:border-red-900 dark:hover:bg-red-950"
          data-testid={group ? 'leave-group' : 'hide-chat'}
        >
          {group ? 'Leave group' : 'Delete chat'}
        </button>
      </div>
    </aside>
  );
}

function RenameForm({ current, busy, onSave }: { current: string; busy: boolean; onSave: (title: string) => Promise<void> }) {
  const [title, setTitle] = useState(current);
  const trimmed = title.trim();
  return (
    <form
      className="flex w-full gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (trimmed && trimmed !== current) void onSave(trimmed);
      }}
    >
      <input
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        maxLength={100}
        aria-label="Group name"
        data-testid="group-title-input"
        className="min-w-0 flex-1 rounded-lg border border-slate-300 bg-transparent px-3 py-1.5 text-center font-semibold dark:border-slate-700"
      />
      <button disabled={busy || !trimmed || trimmed === current} className="rounded-lg bg-brand-500 px-3 text-sm font-medium text-white disabled:opacity-50" data-testid="save-group-title">
        Save
      </button>
    </form>
  );
}

/** People search, leaving out who is already in: tap to add. */
function AddPeople({ chat, busy, onAdd }: { chat: ChatSummaryDto; busy: boolean; onAdd: (ids: string[]) => Promise<void> }) {
  const [q, setQ] = useState('');
  const results = usePeopleSearch(q, { limit: 10 });
  const inChat = new Set(chat.members.map((m) => m.userId));
  return (
    <div className="mt-3 space-y-2">
      <input
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder="Add people by name, or by exact email"
        aria-label="Add people"
        data-testid="add-people-search"
        className="w-full rounded-lg border border-slate-300 bg-transparent px-3 py-2 dark:border-slate-700"
      />
      <ul role="list">
        {results
          .filter((u) => !inChat.has(u.id))
          .map((u) => (
            <li key={u.id}>
              <button
                disabled={busy}
                onClick={() => void onAdd([u.id]).then(() => setQ(''))}
                className="flex w-full items-center gap-3 rounded-lg px-2 py-2 text-left hover:bg-slate-50 dark:hover:bg-slate-900"
                data-testid="add-person"
              >
                <Avatar name={u.displayName} url={u.avatarUrl} size={30} />
                <span className="min-w-0 flex-1 truncate">{u.displayName}</span>
                <span className="text-sm font-medium text-brand-600 dark:text-brand-400">Add</span>
              </button>
            </li>
          ))}
      </ul>
    </div>
  );
}
