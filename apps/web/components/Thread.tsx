'use client';
import { Fragment, memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ChatSummaryDto, ImageRef, MessageDto } from '@/lib/contracts';
import {
  deleteForMe, deleteMessage, discardMessage, loadAround, loadLatest, loadNewer, loadOlder, markOpenChatRead, openThread, pinMessage, reactToMessage, retryMessage,
  unblockUser, unpinMessage,
} from '@/lib/engine';
import { dayLabel, lastSeenText } from '@/lib/format';
import { chatPeerId, chatTitle, getState, People, quoteOf, samePeople, selectPeople, shallowEqual, State, useStore, userName } from '@/lib/store';
import { findMessage } from '@/lib/thread-model';
import { memberNames, systemText } from '@/lib/system-text';
import { PresenceAvatar } from './PresenceAvatar';
import { ChatInfo } from './ChatInfo';
import { Icon } from './Icon';
import { Bubble, TickStatus } from './Bubble';
import { Composer } from './Composer';
import { ForwardDialog } from './ForwardDialog';
import { ImageViewer } from './ImageViewer';

type Receipts = State['receipts'][string];
const NO_RECEIPTS: Receipts = {};

/** `others`: the members besides me (worked out once per render, not once per message). */
function tickStatus(chat: ChatSummaryDto | undefined, receipts: Receipts, others: string[], m: MessageDto): TickStatus {
  if (!others.length) return 'sent';
  const readByAll = others.every((id) => (receipts[id]?.read ?? 0) >= m.seq || m.readBy?.includes(id) || (chat?.kind === 'direct' && m.seen));
  if (readByAll) return 'read';
  const deliveredToAll = others.every((id) => (receipts[id]?.delivered ?? 0) >= m.seq || (receipts[id]?.read ?? 0) >= m.seq);
  return deliveredToAll ? 'delivered' : 'sent';
}

const NEAR_BOTTOM_PX = 120;

/** A message's local day, worked out once per message (a thread of thousands re-renders on every new message). */
const days = new WeakMap<MessageDto, string>();
function dayOf(m: MessageDto): string {
  let day = days.get(m);
  if (day === undefined) days.set(m, (day = new Date(m.createdAt).toDateString()));
  return day;
}

export function Thread({ chatId, onBack, jump }: { chatId: string; onBack: () => void; jump?: { messageId: string; n: number } | null }) {
  // Only what this thread shows: typing and presence re-render the header's status and avatar (ThreadStatus,
  // PresenceAvatar), not the thread; a message re-renders the thread, and only its own row (MessageRow).
  const chat = useStore((st) => st.chats[chatId]);
  const thread = useStore((st) => st.threads[chatId]);
  const allOutbox = useStore((st) => st.outbox);
  const outbox = useMemo(() => allOutbox.filter((o) => o.chatId === chatId), [allOutbox, chatId]);
  const s = useStore(selectPeople, samePeople);
  const chatsLoaded = useStore((st) => st.chatsLoaded);
  const receipts = useStore((st) => st.receipts[chatId] ?? NO_RECEIPTS);
  const pins = useStore((st) => st.pins[chatId]);
  const blocked = useStore((st) => st.blocked);
  const [replyTo, setReplyTo] = useState<MessageDto | null>(null);
  const [editing, setEditing] = useState<MessageDto | null>(null);
  const [viewer, setViewer] = useState<ImageRef | null>(null);
  const [infoOpen, setInfoOpen] = useState(false);
  const [forwarding, setForwarding] = useState<MessageDto | null>(null);
  const [atBottom, setAtBottom] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const loadingOlder = useRef(false);
  // Scroll height before a page was prepended: restored after render so the view does not jump.
  const prependAnchor = useRef<{ firstId: string | undefined; top: number } | null>(null);
  const stickToBottom = useRef(true);
  // Where the "new messages" divider sits: fixed when the chat opens, so reading does not move it.
  const [firstUnreadSeq, setFirstUnreadSeq] = useState<number | null>(null);
  const pendingJump = useRef<string | null>(null);

  const chatKnown = !!chat;
  const openedFor = useRef<string | null>(null);
  useEffect(() => {
    // Wait for the chat's summary (a deep link can beat the chat list): the divider needs its read pointer. A chat
    // that goes (I was removed) and comes back (added again) is opened afresh: its thread was forgotten with it.
    if (!chatKnown) {
      openedFor.current = null;
      return;
    }
    if (openedFor.current === chatId) return;
    openedFor.current = chatId;
    setReplyTo(null);
    setEditing(null);
    setError(null);
    stickToBottom.current = true;
    const c = getState().chats[chatId]!;
    setFirstUnreadSeq(c.unreadCount > 0 ? c.lastReadSeq + 1 : null);
    openThread(chatId).catch((e) => setError(e.message));
  }, [chatId, chatKnown]);

  const items = thread?.items ?? [];

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    // Only once the older page is in (the first item changed): other updates in between (a catch-up, an edit)
    // must neither consume the anchor nor move the view.
    if (prependAnchor.current && items[0]?.id !== prependAnchor.current.firstId) {
      // Keep the message that was first exactly where it was on screen.
      const old = document.getElementById(`m-${prependAnchor.current.firstId}`);
      if (old) el.scrollTop += old.offsetTop - prependAnchor.current.top;
      prependAnchor.current = null;
    } else if (prependAnchor.current) {
      // waiting for the older page
    } else if (pendingJump.current) {
      const target = document.getElementById(`m-${pendingJump.current}`);
      if (target) {
        target.scrollIntoView({ block: 'center' });
        target.classList.remove('flash');
        void target.offsetWidth;
        target.classList.add('flash');
        pendingJump.current = null;
      }
    } else if (stickToBottom.current) {
      const divider = document.getElementById('new-divider');
      if (divider && firstUnreadSeq !== null && el.dataset.openedFor !== chatId) {
        // Below the sticky day label, with a little of what was already read above it.
        el.scrollTop = Math.max(0, divider.offsetTop - 56);
      } else {
        el.scrollTop = el.scrollHeight;
      }
      if (thread?.loaded) el.dataset.openedFor = chatId;
    }
  }, [items, outbox.length, chatId, firstUnreadSeq, thread?.loaded]);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    stickToBottom.current = nearBottom;
    setAtBottom(nearBottom);
    if (nearBottom) {
      if (thread?.hasNewer) void loadNewer(chatId);
      else markOpenChatRead();
    }
    if (el.scrollTop < 200 && thread?.hasOlder && !loadingOlder.current) {
      loadingOlder.current = true;
      // From the store, not this callback's closure: it is not rebuilt for every page.
      const firstId = getState().threads[chatId]?.items[0]?.id;
      prependAnchor.current = { firstId, top: document.getElementById(`m-${firstId}`)?.offsetTop ?? 0 };
      loadOlder(chatId)
        .then((n) => {
          if (!n) prependAnchor.current = null;
        })
        .catch(() => (prependAnchor.current = null))
        .finally(() => (loadingOlder.current = false));
    }
  }, [chatId, thread?.hasNewer, thread?.hasOlder]);

  async function jumpTo(messageId: string) {
    pendingJump.current = messageId;
    stickToBottom.current = false;
    const el = document.getElementById(`m-${messageId}`);
    if (el) {
      el.scrollIntoView({ block: 'center', behavior: 'smooth' });
      el.classList.remove('flash');
      void el.offsetWidth;
      el.classList.add('flash');
      pendingJump.current = null;
      return;
    }
    try {
      await loadAround(chatId, messageId);
    } catch (e: any) {
      pendingJump.current = null;
      setError(e.message);
    }
  }

  // A search result opened: once the thread's first page is in (it would replace the window), go to the message.
  const jumpedFor = useRef<number | null>(null);
  useEffect(() => {
    if (!jump || !thread?.loaded || jumpedFor.current === jump.n) return;
    jumpedFor.current = jump.n;
    void jumpTo(jump.messageId);
  }, [jump?.n, thread?.loaded]);

  async function jumpToLatest() {
    stickToBottom.current = true;
    await loadLatest(chatId);
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
    markOpenChatRead();
  }

  const others = useMemo(() => (chat?.members ?? []).map((x) => x.userId).filter((id) => id !== s.me?.id), [chat?.members, s.me?.id]);
  const nameOf = useMemo(() => (id: string) => (id === s.me?.id ? 'You' : userName(s, id)), [s]);
  // Where the "new messages" divider goes: once per change of the thread, not once per row.
  const dividerSeq = useMemo(
    () => (firstUnreadSeq === null ? null : items.find((x) => x.seq >= firstUnreadSeq && x.senderId !== s.me?.id)?.seq ?? null),
    [items, firstUnreadSeq, s.me?.id],
  );
  // The rows' actions, made once per chat: they read what changes (jumpTo, errors) through a ref.
  const latest = useRef({ jumpTo: (_id: string): Promise<void> => Promise.resolve() });
  latest.current.jumpTo = (id: string) => jumpTo(id);
  const actions = useMemo<RowActions>(() => {
    const act = (action: Promise<unknown>) => action.catch((e) => setError(e.message));
    return {
      reply: (m) => {
        setEditing(null);
        setReplyTo(m);
      },
      edit: (m) => {
        setReplyTo(null);
        setEditing(m);
      },
      delete: (m) => {
        if (confirm('Delete this message for everyone?')) void act(deleteMessage(m.id));
      },
      openImage: setViewer,
      jumpTo: (id) => void latest.current.jumpTo(id),
      forward: setForwarding,
      togglePin: (m, pinned) => void act(pinned ? unpinMessage(chatId, m.id) : pinMessage(chatId, m.id)),
      deleteForMe: (m) => {
        if (confirm('Delete this message for you? Others still see it.')) void act(deleteForMe(chatId, m.id));
      },
      react: (m, emoji, on) => void act(reactToMessage(chatId, m.id, emoji, on)),
    };
  }, [chatId]);

  if (!chat) {
    return (
      <div className="flex h-full flex-col items-center justify-center gap-3 text-slate-500">
        <p>{chatsLoaded ? 'This chat does not exist or you are not in it.' : 'Loading…'}</p>
        {chatsLoaded && (
          <button onClick={onBack} className="text-brand-600 underline dark:text-brand-400">
            Back to chats
          </button>
        )}
      </div>
    );
  }

  const peer = chatPeerId(s, chat);
  const title = chatTitle(s, chat);
  // Pins: either member of a 1:1 chat, a group's admins.
  const mayPin = chat.kind === 'direct' || chat.members.some((m) => m.userId === s.me?.id && m.role === 'admin');
  const pinnedIds = new Set((pins ?? []).map((p) => p.messageId));
  const blockedPeer = !!peer && blocked.includes(peer);
  const act = (action: Promise<unknown>) => action.catch((e) => setError(e.message));

  return (
    <div className="relative flex h-full min-h-0">
      <section className="relative flex h-full min-h-0 min-w-0 flex-1 flex-col" aria-label={`Chat with ${title}`}>
        <header className="flex items-center gap-3 border-b border-slate-200 px-3 py-2.5 dark:border-slate-800">
          <button onClick={onBack} className="rounded-full p-2 hover:bg-slate-100 md:hidden dark:hover:bg-slate-800" aria-label="Back to chats" data-testid="back">
            <Icon name="back" />
          </button>
          <button
            onClick={() => setInfoOpen(true)}
            className="flex min-w-0 flex-1 items-center gap-3 rounded-lg text-left"
            aria-label={`${title}: chat info`}
            data-testid="open-chat-info"
          >
            <PresenceAvatar userId={peer} name={title} url={chat.kind === 'group' ? chat.avatarUrl : peer ? s.users[peer]?.avatarUrl : null} size={40} />
            <span className="min-w-0">
              <span className="flex items-center gap-1.5">
                <h2 className="truncate font-semibold" data-testid="thread-title">{title}</h2>
                {chat.muted && <Icon name="bellOff" size={14} className="shrink-0 text-slate-400" />}
              </span>
<ThreadStatus chat={chat} peer={peer} />
            </span>
          </button>
          <button onClick={() => setInfoOpen(true)} className="rounded-full p-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label="Chat info">
            <Icon name="info" />
          </button>
        </header>

        <div className="relative min-h-0 flex-1">
          <div ref={scroller} onScroll={onScroll} className="relative h-full overflow-y-auto py-2 [overflow-anchor:none]" data-testid="message-list" role="log" aria-label="Messages">
            {thread?.hasOlder && <div className="py-2 text-center text-xs text-slate-500">Loading earlier messages…</div>}
            {!thread?.loaded && !error && <div className="py-8 text-center text-sm text-slate-500">Loading…</div>}
            {error && <div role="alert" className="m-3 rounded-lg bg-red-50 p-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">{error}</div>}
            {thread?.loaded && !thread.hasOlder && items.length === 0 && outbox.length === 0 && (
              <div className="py-10 text-center text-sm text-slate-500">No messages yet. Say hi!</div>
            )}
            {items.map((m, i) => {
              const prev = items[i - 1];
              const newDay = !prev || dayOf(prev) !== dayOf(m);
              const mine = m.senderId === s.me?.id;
              return (
                <MessageRow
                  key={m.id}
                  m={m}
                  newDay={newDay}
                  showDivider={m.seq === dividerSeq}
                  mine={mine}
                  author={chat.kind === 'group' && (!prev || prev.senderId !== m.senderId || !!prev.system || newDay) ? nameOf(m.senderId) : null}
                  replyAuthor={m.replyTo && !m.replyTo.unavailable ? nameOf(m.replyTo.senderId) : ''}
                  status={mine ? tickStatus(chat, receipts, others, m) : undefined}
                  pinned={pinnedIds.has(m.id)}
                  mayPin={mayPin}
                  people={s}
                  nameOf={nameOf}
                  actions={actions}
                />
              );
            })}
            {!thread?.hasNewer &&
              outbox.map((o) => {
                const replied = o.replyToId ? findMessage(thread, o.replyToId) : undefined;
                return (
                  <div key={o.clientMessageId} data-testid="message" data-pending={o.status} data-mine="true">
                    <Bubble
                      message={{
                        text: o.text,
                        image: o.image,
                        file: o.file ?? null,
                        replyTo: replied ? quoteOf(replied) : null,
                        createdAt: o.createdAt,
                        editedAt: null,
                        deletedAt: null,
                        reactions: [],
                      }}
                      mine
                      author={null}
                      replyAuthor={replied ? nameOf(replied.senderId) : ''}
                      status={o.status}
                      footer={
                        o.status === 'failed' ? (
                          <div className="mt-1 flex gap-2 text-xs">
                            <span>{o.error ?? 'Not sent'}</span>
                            <button className="font-semibold underline" onClick={() => retryMessage(o.clientMessageId)} data-testid="retry">
                              Retry
                            </button>
                            <button className="underline" onClick={() => discardMessage(o.clientMessageId)}>
                              Discard
                            </button>
                          </div>
                        ) : null
                      }
                    />
                  </div>
                );
              })}
          </div>
          {(!atBottom || thread?.hasNewer) && (
            <button
              onClick={() => void jumpToLatest()}
              className="absolute bottom-3 right-4 flex items-center gap-1 rounded-full bg-white px-3 py-2 text-sm font-medium shadow-lg ring-1 ring-slate-200 hover:bg-slate-50 dark:bg-slate-800 dark:ring-slate-700"
              aria-label="Jump to latest"
              data-testid="jump-latest"
            >
              <Icon name="down" />
              {chat.unreadCount > 0 && <span className="rounded-full bg-brand-500 px-1.5 text-xs text-white">{chat.unreadCount}</span>}
            </button>
          )}
        </div>

        {blockedPeer ? (
          // A blocked person's chat stays readable; writing waits for the unblock.
          <div className="flex items-center justify-center gap-3 border-t border-slate-200 px-3 py-3 text-sm dark:border-slate-800" data-testid="blocked-banner">
            <span className="text-slate-500">You blocked {title}.</span>
            <button onClick={() => void act(unblockUser(peer!))} className="font-semibold text-brand-600 underline dark:text-brand-400" data-testid="unblock-in-thread">
              Unblock
            </button>
          </div>
        ) : (
          <Composer
            chatId={chatId}
            replyTo={replyTo}
            replyAuthor={replyTo ? nameOf(replyTo.senderId) : ''}
            editing={editing}
            onDone={() => {
              setReplyTo(null);
              setEditing(null);
              stickToBottom.current = true;
            }}
          />
        )}
        {viewer && <ImageViewer image={viewer} onClose={() => setViewer(null)} />}
        {forwarding && <ForwardDialog message={forwarding} onClose={() => setForwarding(null)} onForwarded={() => setForwarding(null)} />}
      </section>
      {/* Beside the thread on a wide screen (the thread narrows), over it on a phone. */}
      {infoOpen && (
        <ChatInfo
          chat={chat}
          onClose={() => setInfoOpen(false)}
          onGone={onBack}
          onJumpTo={(messageId) => {
            setInfoOpen(false);
            void jumpTo(messageId);
          }}
        />
      )}
    </div>
  );
}

/** What a row does with its message, the same functions for every row (so rows can skip re-rendering). */
interface RowActions {
  reply(m: MessageDto): void;
  edit(m: MessageDto): void;
  delete(m: MessageDto): void;
  openImage(image: ImageRef): void;
  jumpTo(messageId: string): void;
  forward(m: MessageDto): void;
  togglePin(m: MessageDto, pinned: boolean): void;
  deleteForMe(m: MessageDto): void;
  react(m: MessageDto, emoji: string, on: boolean): void;
}

interface MessageRowProps {
  m: MessageDto;
  newDay: boolean;
  showDivider: boolean;
  mine: boolean;
  author: string | null;
  replyAuthor: string;
  status: TickStatus | undefined;
  pinned: boolean;
  mayPin: boolean;
  people: People;
  nameOf: (userId: string) => string;
  actions: RowActions;
}

/**
 * One message of the thread, memoised: it renders again only when its message (a new copy: edit, reactions,
 * deletion) or what is drawn around it (its ticks, pin, author line, divider) changes, so a new message renders
 * one row, not the thread's thousands.
 */
const MessageRow = memo(function MessageRow({ m, newDay, showDivider, mine, author, replyAuthor, status, pinned, mayPin, people, nameOf, actions }: MessageRowProps) {
  const dayLine = newDay && (
    <div className="sticky top-0 z-10 my-2 flex justify-center" data-testid="day-separator">
      <span className="rounded-full bg-slate-200/90 px-3 py-0.5 text-xs font-medium text-slate-600 backdrop-blur dark:bg-slate-800/90 dark:text-slate-300">
        {dayLabel(m.createdAt)}
      </span>
    </div>
  );
  // A change of the group (created, renamed, someone added...): a centred line, not a bubble.
  if (m.system) {
    return (
      <Fragment>
        {dayLine}
        <div id={`m-${m.id}`} data-testid="system-message" data-seq={m.seq} className="my-1.5 flex justify-center px-4">
          <span className="rounded-lg bg-slate-100 px-3 py-1 text-center text-xs text-slate-600 dark:bg-slate-900 dark:text-slate-300">{systemText(people, m.system)}</span>
        </div>
      </Fragment>
    );
  }
  return (
    <Fragment key={m.id}>
      {dayLine}
      {showDivider && (
        <div id="new-divider" className="my-2 flex items-center gap-2 px-4 text-xs font-semibold text-brand-600 dark:text-brand-400" data-testid="new-messages-divider">
          <span className="h-px flex-1 bg-brand-400" /> New messages <span className="h-px flex-1 bg-brand-400" />
        </div>
      )}
      <div id={`m-${m.id}`} data-testid="message" data-seq={m.seq} data-mine={mine} className="rounded">
        <Bubble
          message={m}
          mine={mine}
          author={author}
          replyAuthor={replyAuthor}
          status={status}
          onReply={() => actions.reply(m)}
          onEdit={mine && m.text !== null ? () => actions.edit(m) : undefined}
          onDelete={mine ? () => actions.delete(m) : undefined}
          onOpenImage={actions.openImage}
          onJumpToQuote={actions.jumpTo}
          onForward={() => actions.forward(m)}
          pinned={pinned}
          onTogglePin={mayPin ? () => actions.togglePin(m, pinned) : undefined}
          onDeleteForMe={() => actions.deleteForMe(m)}
          onReact={(emoji, on) => actions.react(m, emoji, on)}
          meId={people.me?.id}
          nameOf={nameOf}
        />
      </div>
    </Fragment>
  );
});

/** The header's second line: who is typing, else the peer's presence, else a group's members. Alone it re-renders on typing or presence. */
function ThreadStatus({ chat, peer }: { chat: ChatSummaryDto; peer: string | null }) {
  const typers = useStore((st) => Object.keys(st.typing[chat.id] ?? {}), shallowEqual);
  const presence = useStore((st) => (peer ? st.presence[peer] : undefined));
  const people = useStore(selectPeople, samePeople);
  const status = typers.length
    ? chat.kind === 'direct'
      ? 'typing…'
      : `${typers.map((id) => userName(people, id)).join(', ')} typing…`
    : chat.kind === 'direct'
      ? presence?.online
        ? 'online'
        : presence?.lastSeen
          ? `last seen ${lastSeenText(presence.lastSeen)}`
          : 'offline'
      : memberNames(people, chat.members.map((m) => m.userId));
  return (
    <p className={`truncate text-xs ${typers.length ? 'text-brand-600 dark:text-brand-400' : 'text-slate-500'}`} data-testid="thread-status">
      {status}
    </p>
  );
}
