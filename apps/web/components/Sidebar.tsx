'use client';
import { memo, useMemo, useState } from 'react';
import type { PublicUserDto, SearchOrder } from '@/lib/contracts';
import { MAX_SEARCH_QUERY_LENGTH } from '@/lib/contracts';
import { createGroup, openDirectChat } from '@/lib/engine';
import { shortWhen } from '@/lib/format';
import { chatOrder, chatPeerId, chatTitle, plainText, shallowEqual, State, useStore, userName } from '@/lib/store';
import { systemText } from '@/lib/system-text';
import { showError } from '@/lib/toasts';
import { usePeopleSearch } from '@/lib/use-people-search';
import { Avatar } from './Avatar';
import { Icon } from './Icon';
import { MessageSearchResults, SearchJump } from './MessageSearch';
import { PresenceAvatar } from './PresenceAvatar';
import { ChatListSkeleton } from './Skeleton';

function preview(s: State, chatId: string): string {
  const chat = s.chats[chatId]!;
  const last = chat.lastMessage;
  if (!last) return 'No messages yet';
  if (last.system) return systemText(s, last.system);
  const who = last.senderId === s.me?.id ? 'You: ' : chat.kind === 'group' ? `${userName(s, last.senderId)}: ` : '';
  if (last.deleted) return `${who}Message deleted`;
  return who + (last.text ? plainText(s, last.text) : (last.hasImage ? 'Photo' : last.file?.kind === 'voice' ? 'Voice message' : last.file ? `File: ${last.file.name}` : ''));
}

function typingText(s: State, chatId: string): string | null {
  const ids = Object.keys(s.typing[chatId] ?? {});
  if (!ids.length) return null;
  if (s.chats[chatId]?.kind === 'direct') return 'typing…';
  return ids.length === 1 ? `${userName(s, ids[0]!)} is typing…` : 'several people are typing…';
}

/** What one row of the list shows, as plain values: the row re-renders only when one of them changes. */
function rowOf(s: State, chatId: string) {
  const chat = s.chats[chatId];
  if (!chat) return null;
  const peer = chatPeerId(s, chat);
  return {
    peer,
    title: chatTitle(s, chat),
    avatarUrl: chat.kind === 'group' ? chat.avatarUrl : peer ? s.users[peer]?.avatarUrl : null,
    muted: chat.muted,
    when: chat.lastMessage?.createdAt ?? null,
    typing: typingText(s, chatId),
    preview: preview(s, chatId),
    unreadCount: chat.unreadCount,
    mentioned: (chat.unreadMentionSeqs?.length ?? 0) > 0,
  };
}

/**
 * rowOf for one chat, computed again only when what it reads changed (the chat, the people, typing there): every
 * change of the store asks every row, and a message in one chat leaves the other rows' inputs as they were.
 */
function rowSelector(chatId: string) {
  let last: { inputs: unknown[]; row: ReturnType<typeof rowOf> } | null = null;
  return (s: State) => {
    const inputs = [s.chats[chatId], s.users, s.me, s.typing[chatId]];
    if (!last || inputs.some((x, i) => x !== last!.inputs[i])) last = { inputs, row: rowOf(s, chatId) };
    return last.row;
  };
}

const ChatRow = memo(function ChatRow({ chatId, active, onSelect }: { chatId: string; active: boolean; onSelect: (chatId: string) => void }) {
  const select = useMemo(() => rowSelector(chatId), [chatId]);
  const row = useStore(select, shallowEqual);
  if (!row) return null;
  const { peer, title, typing } = row;
  return (
    // Rows out of view are neither laid out nor painted: a typing or presence change elsewhere does not walk them.
    <li className="[contain-intrinsic-size:auto_72px] [content-visibility:auto]">
      <button
        onClick={() => onSelect(chatId)}
        aria-current={active ? 'true' : undefined}
        data-testid="chat-item"
        data-chat-id={chatId}
        className={`flex w-full items-center gap-3 px-4 py-3 text-left outline-none hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500 focus-visible:ring-offset-0 dark:hover:bg-slate-900 ${
          active ? 'bg-brand-50 dark:bg-slate-800' : ''
        }`}
      >
        <PresenceAvatar userId={peer} name={title} url={row.avatarUrl} />
        <span className="min-w-0 flex-1">
          <span className="flex items-baseline gap-2">
            <span className="flex-1 truncate font-medium" data-testid="chat-title">{title}</span>
            {row.muted && (
              <span className="shrink-0 self-center text-slate-400" role="img" aria-label="Muted" data-testid="chat-muted">
                <Icon name="bellOff" size={14} />
              </span>
            )}
            {row.when && <span className="shrink-0 text-xs text-slate-500">{shortWhen(row.when)}</span>}
          </span>
          <span className="flex items-center gap-2">
            <span
              className={`flex-1 truncate text-sm ${typing ? 'italic text-brand-600 dark:text-brand-400' : 'text-slate-500'}`}
              data-testid={typing ? 'chat-typing' : 'chat-preview'}
            >
              {typing ?? row.preview}
            </span>
            {row.mentioned && (
              <span
                className="h-5 w-5 shrink-0 rounded-full bg-amber-700 text-center text-xs font-bold leading-5 text-white"
                data-testid="mention-badge"
                role="img"
                aria-label="You were mentioned"
                title="You were mentioned"
              >
                @
              </span>
            )}
            {row.unreadCount > 0 && (
              <span
                className={`min-w-[1.25rem] shrink-0 rounded-full px-1.5 text-center text-xs font-semibold leading-5 text-white ${row.muted ? 'bg-slate-600' : 'bg-brand-500'}`}
                data-testid="unread-badge"
                aria-label={`${row.unreadCount} unread`}
              >
                {row.unreadCount > 99 ? '99+' : row.unreadCount}
              </span>
            )}
          </span>
        </span>
      </button>
    </li>
  );
});

export function Sidebar({ selected, onSelect, onJump }: { selected: string | null; onSelect: (chatId: string) => void; onJump: (jump: SearchJump) => void }) {
  const me = useStore((st) => st.me);
  const chatsLoaded = useStore((st) => st.chatsLoaded);
  // The order only: a message that does not move its chat re-renders its row, not the list.
  const chats = useStore(chatOrder, shallowEqual);
  const [mode, setMode] = useState<'chats' | 'people' | 'group'>('chats');
  const [query, setQuery] = useState('');
  const [order, setOrder] = useState<SearchOrder>('newest');
  const [inChat, setInChat] = useState(false);
  const searching = query.trim().length > 0;

  return (
    <nav aria-label="Chats" className="flex h-full flex-col">
      <header className="flex items-center gap-3 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <a href="/settings" className="rounded-full" aria-label="Profile and settings">
          <Avatar name={me?.displayName ?? '?'} url={me?.avatarUrl} size={36} />
        </a>
        <h1 className="flex-1 text-lg font-semibold">Chats</h1>
        <button
          className="rounded-full p-2 hover:bg-slate-100 dark:hover:bg-slate-800"
          aria-label="New chat"
          title="New chat"
          onClick={() => setMode(mode === 'people' ? 'chats' : 'people')}
          data-testid="new-chat"
        >
          <Icon name="compose" />
        </button>
        <button
          className="rounded-full p-2 hover:bg-slate-100 dark:hover:bg-slate-800"
          aria-label="New group"
          title="New group"
          onClick={() => setMode(mode === 'group' ? 'chats' : 'group')}
          data-testid="new-group"
        >
          <Icon name="group" />
        </button>
      </header>

      {mode !== 'chats' ? (
        <PeoplePicker
          group={mode === 'group'}
          onCancel={() => setMode('chats')}
          onDone={(chatId) => {
            setMode('chats');
            onSelect(chatId);
          }}
        />
      ) : (
        <>
        <div className="flex flex-col gap-1.5 border-b border-slate-200 px-3 py-2 dark:border-slate-800" role="search">
          <input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            maxLength={MAX_SEARCH_QUERY_LENGTH}
            placeholder="Search messages"
            aria-label="Search messages"
            className="w-full rounded-lg bg-slate-100 px-3 py-1.5 text-sm outline-none focus:ring-2 focus:ring-brand-400 dark:bg-slate-900"
            data-testid="message-search"
          />
          {searching && (
            <div className="flex items-center gap-3 text-xs text-slate-600 dark:text-slate-400">
              <label className="flex items-center gap-1">
                Order
                <select value={order} onChange={(e) => setOrder(e.target.value as SearchOrder)} className="rounded bg-transparent" data-testid="search-order">
                  <option value="newest">Newest</option>
                  <option value="relevance">Most relevant</option>
                </select>
              </label>
              {selected && (
                <label className="flex items-center gap-1">
                  <input type="checkbox" checked={inChat} onChange={(e) => setInChat(e.target.checked)} data-testid="search-in-chat" />
                  This chat only
                </label>
              )}
            </div>
          )}
        </div>
        {searching ? (
          <MessageSearchResults query={query} order={order} chatId={inChat && selected ? selected : null} onOpen={onJump} />
        ) : (
        <ul className="flex-1 overflow-y-auto" role="list" data-testid="chat-list" aria-busy={!chatsLoaded}>
          {!chatsLoaded && <ChatListSkeleton />}
          {chatsLoaded && chats.length === 0 && (
            <li className="p-6 text-center text-sm text-slate-500">
              No chats yet.{' '}
              <button className="text-brand-600 underline dark:text-brand-400" onClick={() => setMode('people')}>
                Find someone to talk to
              </button>
            </li>
          )}
          {chats.map((chatId) => (
            <ChatRow key={chatId} chatId={chatId} active={chatId === selected} onSelect={onSelect} />
          ))}
        </ul>
        )}
        </>
      )}
    </nav>
  );
}

/** People search: one tap opens a 1:1 chat; in group mode, pick several and name the group. */
function PeoplePicker({ group, onCancel, onDone }: { group: boolean; onCancel: () => void; onDone: (chatId: string) => void }) {
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<PublicUserDto[]>([]);
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const results = usePeopleSearch(q, { limit: 30, emptyToo: true, onError: showError });

  async function choose(user: PublicUserDto) {
    if (group) {
      setPicked((p) => (p.some((x) => x.id === user.id) ? p.filter((x) => x.id !== user.id) : [...p, user]));
      return;
    }
    setBusy(true);
    try {
      onDone((await openDirectChat(user.id)).id);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  }

  async function makeGroup() {
    setBusy(true);
    try {
      onDone((await createGroup(title.trim(), picked.map((p) => p.id))).id);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="space-y-2 border-b border-slate-200 p-3 dark:border-slate-800">
        <div className="flex items-center gap-2">
          <button onClick={onCancel} className="rounded-full p-1.5 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label="Back to chats">
            <Icon name="back" />
          </button>
          <span className="font-medium">{group ? 'New group' : 'New chat'}</span>
        </div>
        {group && (
          <input
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder="Group name"
            aria-label="Group name"
            className="w-full rounded-lg border border-slate-300 bg-transparent px-3 py-2 dark:border-slate-700"
          />
        )}
        <input
          autoFocus
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="Search by name, or by exact email"
          aria-label="Search people"
          data-testid="people-search"
          className="w-full rounded-lg border border-slate-300 bg-transparent px-3 py-2 dark:border-slate-700"
        />
        {group && picked.length > 0 && (
          <div className="flex flex-wrap gap-1">
            {picked.map((p) => (
              <span key={p.id} className="rounded-full bg-brand-100 px-2 py-0.5 text-xs text-brand-700 dark:bg-brand-700 dark:text-white">
                {p.displayName}
              </span>
            ))}
          </div>
        )}
      </div>
      <ul className="flex-1 overflow-y-auto" role="list">
        {results.map((u) => {
          const isPicked = picked.some((p) => p.id === u.id);
          return (
            <li key={u.id}>
              <button
                disabled={busy}
                onClick={() => void choose(u)}
                aria-pressed={group ? isPicked : undefined}
                data-testid="person"
                className="flex w-full items-center gap-3 px-4 py-2.5 text-left hover:bg-slate-50 dark:hover:bg-slate-900"
              >
                <Avatar name={u.displayName} url={u.avatarUrl} size={38} />
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium">{u.displayName}</span>
                </span>
                {group && (
                  <span aria-hidden className={`flex h-5 w-5 items-center justify-center rounded border ${isPicked ? 'border-brand-500 bg-brand-500 text-white' : 'border-slate-400'}`}>
                    {isPicked && '✓'}
                  </span>
                )}
              </button>
            </li>
          );
        })}
        {results.length === 0 && <li className="p-4 text-sm text-slate-500">Nobody found.</li>}
      </ul>
      {group && (
        <div className="border-t border-slate-200 p-3 dark:border-slate-800">
          <button
            disabled={busy || !title.trim() || picked.length === 0}
            onClick={() => void makeGroup()}
            className="w-full rounded-lg bg-brand-500 py-2 font-medium text-white disabled:opacity-50"
          >
            Create group ({picked.length})
          </button>
        </div>
      )}
    </div>
  );
}
