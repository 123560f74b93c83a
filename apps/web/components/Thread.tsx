'use client';
import { KeyboardEvent, memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ImageRef, MessageDto } from '@/lib/contracts';
import {
  loadAround, loadLatest, loadNewer, loadOlder, markOpenChatRead, openThread, pinMessage, reactToMessage,
  unblockUser, unpinMessage,
} from '@/lib/engine';
import { lastSeenText } from '@/lib/format';
import { layoutThreadAfter, ThreadEntry, ThreadLayout } from '@/lib/message-groups';
import { rowIndexOf, ThreadRows as Rows, threadRowsAfter } from '@/lib/thread-rows';
import { chatPeerId, chatTitle, getState, OutboxEntry, shallowEqual, State, useStore, userName } from '@/lib/store';
import { memberNames, systemText } from '@/lib/system-text';
import { PresenceAvatar } from './PresenceAvatar';
import { ChatInfo } from './ChatInfo';
import { Icon } from './Icon';
import { Bubble, TickStatus } from './Bubble';
import { Composer } from './Composer';
import { ForwardDialog } from './ForwardDialog';
import { ImageViewer } from './ImageViewer';
import { confirmDeleteForEveryone, confirmDeleteForMe } from './message-deletion';
import { ThreadSkeleton } from './Skeleton';
import { copyText } from '@/lib/clipboard';
import { showError } from '@/lib/toasts';
import { PendingMessage } from './PendingMessage';
import { RovingItem, useRovingList } from './roving';
import { SystemLine } from './ThreadMarks';
import { ThreadRows, ThreadRowsHandle } from './ThreadRows';

/** A row of the thread: a message from the server, or one of mine still in the outbox. */
type Entry = ThreadEntry & ({ message: MessageDto; pending?: undefined } | { message?: undefined; pending: OutboxEntry });

/**
 * A message's entry, made once per copy of the message: a new message leaves the entries of the others the same
 * objects, so the layout goes on from the last one (layoutThreadAfter) instead of laying out the whole thread.
 */
const messageEntries = new WeakMap<MessageDto, Entry>();
function messageEntry(m: MessageDto): Entry {
  let entry = messageEntries.get(m);
  if (!entry) messageEntries.set(m, (entry = { key: m.id, senderId: m.senderId, createdAt: m.createdAt, system: !!m.system, message: m }));
  return entry;
}

type Receipts = State['receipts'][string];
const NO_RECEIPTS: Receipts = {};

/**
 * What this thread shows of the store, as one value compared field by field: typing and presence are not in it (the
 * header's ThreadStatus and PresenceAvatar follow them), nor are other chats' rows, so neither re-renders the thread.
 */
function threadView(st: State, chatId: string) {
  return {
    me: st.me,
    users: st.users,
    chatsLoaded: st.chatsLoaded,
    chat: st.chats[chatId],
    thread: st.threads[chatId],
    outbox: st.outbox,
    receipts: st.receipts[chatId] ?? NO_RECEIPTS,
    pins: st.pins[chatId],
    blocked: st.blocked,
  };
}

/** `others`: the members besides me. */
function tickStatus(chat: State['chats'][string] | undefined, receipts: Receipts, others: string[], m: MessageDto): TickStatus {
  if (!others.length) return 'sent';
  const readByAll = others.every((id) => (receipts[id]?.read ?? 0) >= m.seq || m.readBy?.includes(id) || (chat?.kind === 'direct' && m.seen));
  if (readByAll) return 'read';
  const deliveredToAll = others.every((id) => (receipts[id]?.delivered ?? 0) >= m.seq || (receipts[id]?.read ?? 0) >= m.seq);
  return deliveredToAll ? 'delivered' : 'sent';
}

const NEAR_BOTTOM_PX = 120;

export function Thread({ chatId, onBack, jump }: { chatId: string; onBack: () => void; jump?: { messageId: string; n: number } | null }) {
  const s = useStore((st) => threadView(st, chatId), shallowEqual);
  const { chat, thread, receipts } = s;
  const outbox = useMemo(() => s.outbox.filter((o) => o.chatId === chatId), [s.outbox, chatId]);
  const [replyTo, setReplyTo] = useState<MessageDto | null>(null);
  const [editing, setEditing] = useState<MessageDto | null>(null);
  const [viewer, setViewer] = useState<{ image: ImageRef; alt: string } | null>(null);
  const [infoOpen, setInfoOpen] = useState(false);
  const [forwarding, setForwarding] = useState<MessageDto | null>(null);
  const [atBottom, setAtBottom] = useState(true);
  const atBottomNow = useRef(true);
  const [error, setError] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const roving = useRovingList(list);
  const loadingOlder = useRef(false);
  // The list's rows: where each starts, and scrolling one into the window (it may not be drawn, see ThreadRows).
  const rowsHandle = useRef<ThreadRowsHandle>(null);
  // The first message on screen when an older page was asked for, and where its row started then: once the page is
  // in, the view moves by as much as the row did, so nothing on screen moves (whatever was scrolled in between).
  const prependAnchor = useRef<{ key: string; top: number; firstKey: string | undefined } | null>(null);
  const stickToBottom = useRef(true);
  // Where the "new messages" divider sits: fixed when the chat opens, so reading does not move it.
  const [firstUnreadSeq, setFirstUnreadSeq] = useState<number | null>(null);
  const pendingJump = useRef<string | null>(null);
  const pendingJumpScrolled = useRef(false);
  // A jump to a message flashes it; Home and End only move the focus.
  const pendingFlash = useRef(true);

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
  const meId = s.me?.id ?? '';
  const people = useMemo(() => ({ me: s.me, users: s.users }), [s.me, s.users]);
  const nameOf = useMemo(() => (id: string) => (id === people.me?.id ? 'You' : userName(people, id)), [people]);
  // The rows' actions, made once per chat so rows can skip rendering; what changes (jumpTo) is read through a ref.
  const latest = useRef({ jumpTo: (_id: string) => undefined as unknown });
  latest.current.jumpTo = (id: string) => void jumpTo(id);
  const actions = useMemo<RowActions>(
    () => ({
      reply: (m) => {
        setEditing(null);
        setReplyTo(m);
      },
      edit: (m) => {
        setReplyTo(null);
        setEditing(m);
      },
      delete: (m) => void confirmDeleteForEveryone(m.id),
      openImage: (image, alt) => setViewer({ image, alt }),
      jumpTo: (id) => void latest.current.jumpTo(id),
      forward: (m) => setForwarding(m),
      copy: (m) => void copyText(m.text!),
      togglePin: (m, pinned) => void (pinned ? unpinMessage(chatId, m.id) : pinMessage(chatId, m.id)).catch(showError),
      deleteForMe: (m) => void confirmDeleteForMe(chatId, m.id),
      react: (m, emoji, on) => void reactToMessage(chatId, m.id, emoji, on).catch(showError),
    }),
    [chatId],
  );
  const hasNewer = !!thread?.hasNewer;
  // The divider stands before the first unread message of someone else (fixed when the chat opened).
  const dividerKey = useMemo(
    () => (firstUnreadSeq === null ? null : items.find((x) => x.seq >= firstUnreadSeq && x.senderId !== meId)?.id ?? null),
    [items, firstUnreadSeq, meId],
  );
  const entries = useMemo<Entry[]>(() => {
    const all = items.map(messageEntry);
    // Mine not confirmed yet follow the newest page (none while a later page is still to load).
    if (!hasNewer) for (const o of outbox) all.push({ key: o.clientMessageId, senderId: meId, createdAt: o.createdAt, pending: o });
    return all;
  }, [items, outbox, hasNewer, meId]);
  // The previous layout and rows, which the next ones go on from (a new message lays out and makes rows for itself,
  // not for the thousands before it). Checked against the entries, so a layout of another chat is never reused.
  const laidOut = useRef<ThreadLayout<Entry> | null>(null);
  const sections = useMemo(() => (laidOut.current = layoutThreadAfter(laidOut.current, entries, dividerKey)).sections, [entries, dividerKey]);
  const madeRows = useRef<Rows<Entry> | null>(null);
  const rows = useMemo(() => (madeRows.current = threadRowsAfter(madeRows.current, sections, !!thread?.hasOlder)).rows, [sections, thread?.hasOlder]);
  const rowIndex = useMemo(() => rowIndexOf(rows), [rows]);
  const tabStop = roving.tabStop((key) => rowIndex(key) !== undefined, entries[entries.length - 1]?.key ?? null);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    // Only once the older page is in (the first entry changed): other updates in between (a catch-up, an edit)
    // must neither consume the anchor nor move the view.
    const anchor = prependAnchor.current;
    if (anchor && items[0]?.id !== anchor.firstKey) {
      const top = rowIndex(anchor.key) !== undefined ? rowsHandle.current?.rowTop(rowIndex(anchor.key)!) : undefined;
      if (top !== undefined) el.scrollTop += top - anchor.top;
      prependAnchor.current = null;
    } else if (anchor) {
      // waiting for the older page
    } else if (pendingJump.current) {
      revealPending();
    } else if (stickToBottom.current) {
      // Only while the chat opens: finding the divider's row indexes the rows (a new message need not).
      const opening = firstUnreadSeq !== null && el.dataset.openedFor !== chatId;
      const dividerTop = opening && rowIndex('divider') !== undefined ? rowsHandle.current?.rowTop(rowIndex('divider')!) : undefined;
      if (dividerTop !== undefined) {
        // With a little of what was already read above it.
        el.scrollTop = Math.max(0, dividerTop - 56);
        // At the very top (the divider first of the page) that is no scroll at all, so no scroll event would ask
        // for the older page, nor would scrolling up: check here.
        if (el.scrollTop < 200) onScroll();
      } else {
        rowsHandle.current?.scrollToEnd();
      }
      if (thread?.loaded) el.dataset.openedFor = chatId;
    }
  }, [items, outbox.length, chatId, firstUnreadSeq, thread?.loaded]);

  /**
   * Goes on with a jump (a quote, a pin, a search result) or a Home/End: the message is focused once it is drawn; a
   * long thread draws only the rows near the view, so a message far away is first scrolled to.
   */
  function revealPending(behavior: ScrollBehavior = 'auto') {
    const key = pendingJump.current;
    if (!key) return;
    const target = document.querySelector<HTMLElement>(`[data-roving-key="${CSS.escape(key)}"]`);
    const index = rowIndex(key);
    if (!target) {
      if (index !== undefined && !pendingJumpScrolled.current) {
        pendingJumpScrolled.current = true;
        rowsHandle.current?.scrollToRow(index, 'center');
      }
      return;
    }
    target.scrollIntoView({ block: pendingFlash.current ? 'center' : 'nearest', behavior });
    // Focus goes with the eyes (from a quote, a pin or a search result): arrows go on from there.
    target.focus({ preventScroll: true });
    if (pendingFlash.current) {
      target.classList.remove('flash');
      void target.offsetWidth;
      target.classList.add('flash');
    }
    pendingJump.current = null;
  }

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    stickToBottom.current = nearBottom;
    // Only on a change: the same value set again during a render in progress still renders the thread again.
    if (nearBottom !== atBottomNow.current) setAtBottom((atBottomNow.current = nearBottom));
    if (nearBottom) {
      if (thread?.hasNewer) void loadNewer(chatId);
      else markOpenChatRead();
    }
    if (el.scrollTop < 200 && thread?.hasOlder && !loadingOlder.current) {
      loadingOlder.current = true;
      // The first message on screen stays where it is (not the first loaded: the page coming in above may regroup
      // it with its own last messages, which changes its height).
      const viewTop = el.getBoundingClientRect().top;
      const rowsNow = list.current?.querySelectorAll<HTMLElement>('[data-roving-key]') ?? [];
      const onScreen = Array.from(rowsNow).find((row) => row.getBoundingClientRect().bottom > viewTop)?.dataset.rovingKey;
      const index = onScreen === undefined ? undefined : rowIndex(onScreen);
      const top = index === undefined ? undefined : rowsHandle.current?.rowTop(index);
      // From the store, not this callback's closure: it is not rebuilt for every page.
      const firstKey = getState().threads[chatId]?.items[0]?.id;
      prependAnchor.current = onScreen !== undefined && top !== undefined ? { key: onScreen, top, firstKey } : null;
      loadOlder(chatId)
        .then((n) => {
          if (!n) prependAnchor.current = null;
        })
        .catch(() => (prependAnchor.current = null))
        .finally(() => (loadingOlder.current = false));
    }
  }, [chatId, thread?.hasNewer, thread?.hasOlder, rowIndex]);

  // Home and End go to the thread's first and last loaded message, drawn or not; the rest is roving.tsx's.
  const onListKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const onItem = (e.target as HTMLElement).matches('[data-roving-key]');
    if (onItem && (e.key === 'Home' || e.key === 'End') && entries.length) {
      e.preventDefault();
      pendingJump.current = entries[e.key === 'Home' ? 0 : entries.length - 1]!.key;
      pendingJumpScrolled.current = false;
      pendingFlash.current = false;
      stickToBottom.current = false;
      revealPending();
      return;
    }
    roving.onKeyDown(e);
  };

  async function jumpTo(messageId: string) {
    pendingJump.current = messageId;
    pendingJumpScrolled.current = false;
    pendingFlash.current = true;
    stickToBottom.current = false;
    // Loaded: there at once when drawn, else (far away in a long thread) scrolled to, then focused once drawn.
    if (rowIndex(messageId) !== undefined) return revealPending('smooth');
    try {
      await loadAround(chatId, messageId);
    } catch (e: any) {
      pendingJump.current = null;
      showError(e);
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
    rowsHandle.current?.scrollToEnd();
    markOpenChatRead();
  }

  if (!chat) {
    return (
      <div className="flex h-full flex-col items-center justify-center gap-3 text-slate-500">
        {s.chatsLoaded ? <p>This chat does not exist or you are not in it.</p> : <ThreadSkeleton />}
        {s.chatsLoaded && (
          <button onClick={onBack} className="text-brand-600 underline dark:text-brand-400">
            Back to chats
          </button>
        )}
      </div>
    );
  }

  const peer = chatPeerId(s, chat);
  const title = chatTitle(s, chat);
  const others = (chat.members ?? []).map((x) => x.userId).filter((id) => id !== s.me?.id);
  // Pins: either member of a 1:1 chat, a group's admins.
  const mayPin = chat.kind === 'direct' || chat.members.some((m) => m.userId === s.me?.id && m.role === 'admin');
  const pinnedIds = new Set((s.pins ?? []).map((p) => p.messageId));
  const blockedPeer = !!peer && s.blocked.includes(peer);
  const act = (action: Promise<unknown>) => action.catch(showError);
  // The info panel and the image viewer take the focus and give it back themselves (use-focus-trap.ts).
  const closeViewer = () => setViewer(null);
  const openInfo = () => setInfoOpen(true);
  const closeInfo = () => setInfoOpen(false);

  return (
    <div className="relative flex h-full min-h-0">
      <section className="relative flex h-full min-h-0 min-w-0 flex-1 flex-col" aria-label={`Chat with ${title}`}>
        <header className="flex items-center gap-3 border-b border-slate-200 px-3 py-2.5 dark:border-slate-800">
          <button onClick={onBack} className="rounded-full p-2 hover:bg-slate-100 md:hidden dark:hover:bg-slate-800" aria-label="Back to chats" data-testid="back">
            <Icon name="back" />
          </button>
          {/* The button's name is what it shows (title and status) and what it does; the picture beside it opens the
              info too, for the mouse (the button is the keyboard's way). */}
          <div className="flex min-w-0 flex-1 items-center gap-3">
            <span onClick={openInfo} className="shrink-0 cursor-pointer">
              <PresenceAvatar userId={peer} name={title} url={chat.kind === 'group' ? chat.avatarUrl : peer ? s.users[peer]?.avatarUrl : null} size={40} />
            </span>
            <button onClick={openInfo} className="min-w-0 flex-1 rounded-lg text-left" data-testid="open-chat-info">
              <span className="flex items-center gap-1.5">
                <h2 className="truncate font-semibold" data-testid="thread-title">{title}</h2>
                {chat.muted && <Icon name="bellOff" size={14} className="shrink-0 text-slate-400" />}
              </span>
              <ThreadStatus chat={chat} peer={peer} people={s} />
              <span className="sr-only">, chat info</span>
            </button>
          </div>
          <button onClick={openInfo} className="rounded-full p-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label="Chat info">
            <Icon name="info" />
          </button>
        </header>

        <div className="relative min-h-0 flex-1">
          <div ref={scroller} onScroll={onScroll} className="relative h-full overflow-y-auto py-2 [overflow-anchor:none]" data-testid="message-list">
            {/* One Tab stop: arrows move between messages, Tab goes into the focused one's actions (see roving.tsx). */}
            <ThreadRows
              rows={rows}
              sections={sections}
              scroller={scroller}
              handle={rowsHandle}
              onDrawn={() => pendingJump.current && pendingJumpScrolled.current && revealPending()}
              holdScroll={() => !!prependAnchor.current && getState().threads[chatId]?.items[0]?.id !== prependAnchor.current.firstKey}
              list={{ ref: list, busy: !thread?.loaded && !error, onKeyDown: onListKeyDown, onFocus: roving.onFocus, onBlur: roving.onBlur }}
              renderEntry={(row, index, measure) => {
                const { entry, first, last } = row.placed;
                const rowProps = {
                  itemKey: entry.key,
                  tabStop: entry.key === tabStop,
                  entered: roving.entered,
                  // flow-root: the row's margins are inside it, so its measured height is all the room it takes.
                  className: 'group flow-root scroll-mb-2 scroll-mt-12 rounded outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500 focus-visible:ring-offset-0',
                  ref: measure,
                  'data-index': index,
                  'aria-posinset': row.position,
                  'aria-setsize': -1,
                };
                if (entry.pending) {
                  const o = entry.pending;
                  const replied = o.replyToId ? items.find((x) => x.id === o.replyToId) : undefined;
                  return (
                    <RovingItem key={o.clientMessageId} {...rowProps} data-testid="message" data-pending={o.status} data-mine="true">
                      <PendingMessage entry={o} replied={replied} replyAuthor={replied ? nameOf(replied.senderId) : ''} first={first} last={last} />
                    </RovingItem>
                  );
                }
                const m = entry.message!;
                if (m.system) {
                  return (
                    <RovingItem key={m.id} {...rowProps} id={`m-${m.id}`} data-testid="system-message" data-seq={m.seq}>
                      <SystemLine text={systemText(s, m.system)} />
                    </RovingItem>
                  );
                }
                const mine = m.senderId === meId;
                return (
                  <MessageRow
                    key={m.id}
                    m={m}
                    mine={mine}
                    first={first}
                    last={last}
                    isGroup={chat.kind === 'group'}
                    tabStop={rowProps.tabStop}
                    entered={rowProps.tabStop && rowProps.entered}
                    rowClassName={rowProps.className}
                    measure={measure}
                    index={index}
                    position={row.position}
                    status={mine ? tickStatus(chat, receipts, others, m) : undefined}
                    pinned={pinnedIds.has(m.id)}
                    mayPin={mayPin}
                    meId={meId}
                    nameOf={nameOf}
                    actions={actions}
                  />
                );
              }}
            />
            {/* After the list, not above it: the list's rows are positioned from its top, which must not move. */}
            {!thread?.loaded && !error && <ThreadSkeleton />}
            {error && <div role="alert" className="m-3 rounded-lg bg-red-50 p-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">{error}</div>}
            {thread?.loaded && !thread.hasOlder && items.length === 0 && outbox.length === 0 && (
              <div className="py-10 text-center text-sm text-slate-500">No messages yet. Say hi!</div>
            )}
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
        {viewer && <ImageViewer image={viewer.image} alt={viewer.alt} onClose={closeViewer} />}
        {forwarding && <ForwardDialog message={forwarding} onClose={() => setForwarding(null)} onForwarded={() => setForwarding(null)} />}
      </section>
      {/* Beside the thread on a wide screen (the thread narrows), over it on a phone. */}
      {infoOpen && (
        <ChatInfo
          chat={chat}
          onClose={closeInfo}
          onGone={onBack}
          onJumpTo={(messageId) => {
            closeInfo();
            void jumpTo(messageId);
          }}
        />
      )}
    </div>
  );
}

/** The header's second line: typing, or the peer's presence, or the members; it alone follows typing and presence. */
function ThreadStatus({ chat, peer, people }: { chat: State['chats'][string]; peer: string | null; people: Pick<State, 'me' | 'users'> }) {
  const typers = useStore((st) => Object.keys(st.typing[chat.id] ?? {}), shallowEqual);
  const presence = useStore((st) => (peer ? st.presence[peer] : undefined));
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
    <span className={`block truncate text-xs ${typers.length ? 'text-brand-600 dark:text-brand-400' : 'text-slate-500'}`} data-testid="thread-status">
      {status}
    </span>
  );
}

/** What a row does with its message: the same functions for every row of a chat (so rows can skip rendering). */
interface RowActions {
  reply(m: MessageDto): void;
  edit(m: MessageDto): void;
  delete(m: MessageDto): void;
  openImage(image: ImageRef, alt: string): void;
  jumpTo(messageId: string): void;
  forward(m: MessageDto): void;
  copy(m: MessageDto): void;
  togglePin(m: MessageDto, pinned: boolean): void;
  deleteForMe(m: MessageDto): void;
  react(m: MessageDto, emoji: string, on: boolean): void;
}

interface MessageRowProps {
  m: MessageDto;
  mine: boolean;
  first: boolean;
  last: boolean;
  isGroup: boolean;
  tabStop: boolean;
  entered: boolean;
  rowClassName: string;
  /** The list measures the row (ThreadRows): its ref, its index among the rows. */
  measure: (el: HTMLElement | null) => void;
  index: number;
  /**
   * Its place among the thread's loaded messages, for screen readers: a long thread draws only some rows. The size
   * of the whole is unknown (-1): older pages may not be loaded.
   */
  position: number;
  status: TickStatus | undefined;
  pinned: boolean;
  mayPin: boolean;
  meId: string;
  nameOf: (userId: string) => string;
  actions: RowActions;
}

/**
 * One message of the thread, memoised: it renders again only when its message (a new copy: an edit, reactions, a
 * deletion) or what is drawn around it (ticks, pin, place in its group, focus) changes, so a new message renders
 * one row, not the thread's thousands.
 */
const MessageRow = memo(function MessageRow({ m, mine, first, last, isGroup, tabStop, entered, rowClassName, measure, index, position, status, pinned, mayPin, meId, nameOf, actions }: MessageRowProps) {
  return (
    <RovingItem
      ref={measure}
      data-index={index}
      aria-posinset={position}
      aria-setsize={-1}
      itemKey={m.id}
      tabStop={tabStop}
      entered={entered}
      className={rowClassName}
      id={`m-${m.id}`}
      data-testid="message"
      data-seq={m.seq}
      data-mine={mine}
    >
      <Bubble
        message={m}
        mine={mine}
        senderName={nameOf(m.senderId)}
        author={isGroup && first ? nameOf(m.senderId) : null}
        first={first}
        last={last}
        replyAuthor={m.replyTo && !m.replyTo.unavailable ? nameOf(m.replyTo.senderId) : ''}
        status={status}
        onReply={() => actions.reply(m)}
        onEdit={mine && m.text !== null ? () => actions.edit(m) : undefined}
        onDelete={mine ? () => actions.delete(m) : undefined}
        onOpenImage={actions.openImage}
        onJumpToQuote={actions.jumpTo}
        onForward={() => actions.forward(m)}
        onCopy={m.text ? () => actions.copy(m) : undefined}
        pinned={pinned}
        onTogglePin={mayPin ? () => actions.togglePin(m, pinned) : undefined}
        onDeleteForMe={() => actions.deleteForMe(m)}
        onReact={(emoji, on) => actions.react(m, emoji, on)}
        meId={meId}
        nameOf={nameOf}
      />
    </RovingItem>
  );
});
