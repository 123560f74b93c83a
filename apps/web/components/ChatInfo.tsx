'use client';
import { useState } from 'react';
import { addMembers, hideChat, leaveGroup, removeMember, renameGroup, setAdmin, setHistoryVisible, setMuted } from '@/lib/chat-admin';
import { blockUser, unblockUser } from '@/lib/engine';
import type { ChatSummaryDto } from '@/lib/contracts';
import { askConfirm } from '@/lib/confirm';
import { isNarrowScreen } from '@/lib/device';
import { chatPeerId, chatTitle, plainText, State, useStore, userName } from '@/lib/store';
import { showError } from '@/lib/toasts';
import { usePeopleSearch } from '@/lib/use-people-search';
import { Avatar } from './Avatar';
import { Icon } from './Icon';
import { RowSkeleton } from './Skeleton';
import { useFocusTrap } from './use-focus-trap';

/** A member's face: mine from my own profile (the list calls me "You", my avatar keeps my name's initials). */
function faceOf(s: State, userId: string): { name: string; url: string | null | undefined } {
  if (userId === s.me?.id) return { name: s.me.displayName, url: s.me.avatarUrl };
  return { name: userName(s, userId), url: s.users[userId]?.avatarUrl };
}

/**
 * The chat's info panel: mute for everyone; for a group its name and members, which admins can change; leave a
 * group or hide a 1:1 chat. Every action waits for the server's answer, so what shows is what is stored.
 */
export function ChatInfo({ chat, onClose, onGone, onJumpTo }: { chat: ChatSummaryDto; onClose: () => void; onGone: () => void; onJumpTo: (messageId: string) => void }) {
  const s = useStore((st) => st);
  const [busy, setBusy] = useState(false);
  // Focus moves in on open and back to the button that opened it on close; on a phone the panel covers the
  // thread, so Tab stays inside it there.
  const [narrow] = useState(isNarrowScreen);
  const panel = useFocusTrap<HTMLElement>({ trap: narrow, onEscape: onClose });
  const me = s.me?.id;
  const isAdmin = chat.members.some((m) => m.userId === me && m.role === 'admin');
  const group = chat.kind === 'group';

  // While one action waits for the server the others do nothing. Their controls say so with aria-disabled, not
  // `disabled`: a control that becomes disabled drops focus to the page (after a confirmation, say).
  async function run(action: () => Promise<unknown>) {
    if (busy) return;
    setBusy(true);
    try {
      await action();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  }

  const peer = chatPeerId(s, chat);
  const title = chatTitle(s, chat);
  return (
    <aside
      ref={panel}
      className="absolute inset-0 z-30 flex flex-col bg-white md:static md:z-auto md:w-80 md:shrink-0 md:border-l md:border-slate-200 lg:w-96 dark:bg-slate-950 md:dark:border-slate-800"
      aria-label="Chat info"
      data-testid="chat-info"
    >
      <header className="flex items-center gap-2 border-b border-slate-200 px-3 py-2.5 dark:border-slate-800">
        <button onClick={onClose} className="rounded-full p-2 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label="Close chat info" data-testid="close-chat-info">
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
            aria-disabled={busy}
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
              disabled={!isAdmin}
              aria-disabled={busy}
              onChange={(e) => void run(() => setHistoryVisible(chat.id, e.target.checked))}
              aria-checked={chat.historyVisible}
              data-testid="history-visible-toggle"
              className="h-5 w-5 shrink-0 accent-brand-500"
            />
          </label>
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
                    <span className="line-clamp-2">{pin.message.deleted ? 'Deleted message' : (pin.message.text ? plainText(s, pin.message.text) : pin.message.hasImage ? 'Photo' : '')}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>

        {!group && peer && (
          <button
            aria-disabled={busy}
            onClick={() => {
              const blocked = s.blocked.includes(peer);
              if (blocked) void run(() => unblockUser(peer));
              else
                void askConfirm({ title: `Block ${title}?`, body: 'They will not be able to message you or see when you are online.', confirmLabel: 'Block', danger: true }).then((ok) => {
                  if (ok) void run(() => blockUser(peer));
                });
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
            <ul className="divide-y divide-slate-100 dark:divide-slate-900" role="list" aria-busy={chat.members.some((m) => !s.users[m.userId] && m.userId !== me)}>
              {chat.members.map((m) =>
                // Not met yet: their name and photo are on their way (a row of "Someone" would be wrong for a moment).
                !s.users[m.userId] && m.userId !== me ? (
                  <RowSkeleton key={m.userId} label="Loading member…" testId="member-skeleton" />
                ) : (
                <li key={m.userId} className="flex items-center gap-3 py-2" data-testid="member" data-user-id={m.userId}>
                  <Avatar {...faceOf(s, m.userId)} size={34} />
                  <span className="min-w-0 flex-1">
                    <span className="block truncate font-medium">{userName(s, m.userId)}</span>
                    {m.role === 'admin' && <span className="text-xs text-brand-600 dark:text-brand-400" data-testid="admin-badge">admin</span>}
                  </span>
                  {isAdmin && m.userId !== me && (
                    <span className="flex shrink-0 gap-1 text-xs">
                      <button
                        aria-disabled={busy}
                        onClick={() => void run(() => setAdmin(chat.id, m.userId, m.role !== 'admin'))}
                        className="rounded px-2 py-1 hover:bg-slate-100 dark:hover:bg-slate-800"
                        data-testid="toggle-admin"
                      >
                        {m.role === 'admin' ? 'Remove admin' : 'Make admin'}
                      </button>
                      <button
                        aria-disabled={busy}
                        onClick={() =>
                          void askConfirm({ title: `Remove ${userName(s, m.userId)} from the group?`, confirmLabel: 'Remove', danger: true }).then((ok) => {
                            if (ok) void run(() => removeMember(chat.id, m.userId));
                          })
                        }
                        className="rounded px-2 py-1 text-red-600 hover:bg-red-50 dark:hover:bg-red-950"
                        data-testid="remove-member"
                      >
                        Remove
                      </button>
                    </span>
                  )}
                </li>
                ),
              )}
            </ul>
            {isAdmin && <AddPeople chat={chat} busy={busy} onAdd={(ids) => run(() => addMembers(chat.id, ids))} />}
          </section>
        )}

        <button
          aria-disabled={busy}
          onClick={() => {
            const question = group
              ? { title: 'Leave this group?', body: 'You will no longer get its messages.', confirmLabel: 'Leave' }
              : { title: 'Delete this chat for you?', body: 'It comes back if a new message arrives.', confirmLabel: 'Delete' };
            void askConfirm({ ...question, danger: true }).then((ok) => {
              if (ok) void run(() => (group ? leaveGroup(chat.id) : hideChat(chat.id)).then(onGone));
            });
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
                aria-disabled={busy}
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
