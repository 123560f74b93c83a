'use client';
import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ImageRef, MessageDto } from '@/lib/contracts';
import {
  loadAround, loadLatest, loadNewer, loadOlder, markOpenChatRead, openThread, pinMessage, reactToMessage,
  unblockUser, unpinMessage,
} from '@/lib/engine';
import { lastSeenText } from '@/lib/format';
import { layoutThread, ThreadEntry } from '@/lib/message-groups';
import { chatPeerId, chatTitle, getState, OutboxEntry, State, useStore, userName } from '@/lib/store';
import { memberNames, systemText } from '@/lib/system-text';
import { Avatar } from './Avatar';
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
import { DayPill, NewMessagesDivider, SystemLine } from './ThreadMarks';

/** A row of the thread: a message from the server, or one of mine still in the outbox. */
type Entry = ThreadEntry & ({ message: MessageDto; pending?: undefined } | { message?: undefined; pending: OutboxEntry });

function tickStatus(s: State, chatId: string, m: MessageDto): TickStatus {
  const chat = s.chats[chatId];
  const receipts = s.receipts[chatId] ?? {};
  const others = (chat?.members ?? []).map((x) => x.userId).filter((id) => id !== s.me?.id);
  if (!others.length) return 'sent';
  const readByAll = others.every((id) => (receipts[id]?.read ?? 0) >= m.seq || m.readBy?.includes(id) || (chat?.kind === 'direct' && m.seen));
  if (readByAll) return 'read';
  const deliveredToAll = others.every((id) => (receipts[id]?.delivered ?? 0) >= m.seq || (receipts[id]?.read ?? 0) >= m.seq);
  return deliveredToAll ? 'delivered' : 'sent';
}

const NEAR_BOTTOM_PX = 120;

export function Thread({ chatId, onBack, jump }: { chatId: string; onBack: () => void; jump?: { messageId: string; n: number } | null }) {
  const s = useStore((st) => st);
  const chat = s.chats[chatId];
  const thread = s.threads[chatId];
  const outbox = useMemo(() => s.outbox.filter((o) => o.chatId === chatId), [s.outbox, chatId]);
  const [replyTo, setReplyTo] = useState<MessageDto | null>(null);
  const [editing, setEditing] = useState<MessageDto | null>(null);
  const [viewer, setViewer] = useState<{ image: ImageRef; alt: string } | null>(null);
  const [infoOpen, setInfoOpen] = useState(false);
  const [forwarding, setForwarding] = useState<MessageDto | null>(null);
  const [atBottom, setAtBottom] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const roving = useRovingList(list);
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
  const meId = s.me?.id ?? '';
  const hasNewer = !!thread?.hasNewer;
  // The divider stands before the first unread message of someone else (fixed when the chat opened).
  const dividerKey = useMemo(
    () => (firstUnreadSeq === null ? null : items.find((x) => x.seq >= firstUnreadSeq && x.senderId !== meId)?.id ?? null),
    [items, firstUnreadSeq, meId],
  );
  const entries = useMemo<Entry[]>(
    () => [
      ...items.map((m): Entry => ({ key: m.id, senderId: m.senderId, createdAt: m.createdAt, system: !!m.system, message: m })),
      // Mine not confirmed yet follow the newest page (none while a later page is still to load).
      ...(hasNewer ? [] : outbox.map((o): Entry => ({ key: o.clientMessageId, senderId: meId, createdAt: o.createdAt, pending: o }))),
    ],
    [items, outbox, hasNewer, meId],
  );
  const sections = useMemo(() => layoutThread(entries, dividerKey), [entries, dividerKey]);
  const tabStop = roving.tabStop(entries.map((e) => e.key));

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
        target.focus({ preventScroll: true });
        target.classList.remove('flash');
        void target.offsetWidth;
        target.classList.add('flash');
        pendingJump.current = null;
      }
    } else if (stickToBottom.current) {
      const divider = document.getElementById('new-divider');
      if (divider && firstUnreadSeq !== null && el.dataset.openedFor !== chatId) {
        // With a little of what was already read above it.
        el.scrollTop = Math.max(0, divider.offsetTop - 56);
        // At the very top (the divider first of the page) that is no scroll at all, so no scroll event would ask
        // for the older page, nor would scrolling up: check here.
        if (el.scrollTop < 200) onScroll();
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
      // Focus goes with the eyes (from a quote, a pin or a search result): arrows go on from there.
      el.focus({ preventScroll: true });
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
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
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
  const typers = Object.keys(s.typing[chatId] ?? {});
  const status = typers.length
    ? chat.kind === 'direct'
      ? 'typing…'
      : `${typers.map((id) => userName(s, id)).join(', ')} typing…`
    : chat.kind === 'direct'
      ? peer && s.presence[peer]?.online
        ? 'online'
        : peer && s.presence[peer]?.lastSeen
          ? `last seen ${lastSeenText(s.presence[peer]!.lastSeen!)}`
          : 'offline'
      : memberNames(s, chat.members.map((m) => m.userId));
  const nameOf = (id: string) => (id === s.me?.id ? 'You' : userName(s, id));
  // Pins: either member of a 1:1 chat, a group's admins.
  const mayPin = chat.kind === 'direct' || chat.members.some((m) => m.userId === s.me?.id && m.role === 'admin');
  const pinnedIds = new Set((s.pins[chatId] ?? []).map((p) => p.messageId));
  const blockedPeer = !!peer && s.blocked.includes(peer);
  const act = (action: Promise<unknown>) => action.catch(showError);
  // The info panel and the image viewer take the focus and give it back themselves (use-focus-trap.ts).
  const openViewer = (image: ImageRef, alt: string) => setViewer({ image, alt });
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
              <Avatar name={title} url={chat.kind === 'group' ? chat.avatarUrl : peer ? s.users[peer]?.avatarUrl : null} online={!!peer && !!s.presence[peer]?.online} size={40} />
            </span>
            <button onClick={openInfo} className="min-w-0 flex-1 rounded-lg text-left" data-testid="open-chat-info">
              <span className="flex items-center gap-1.5">
                <h2 className="truncate font-semibold" data-testid="thread-title">{title}</h2>
                {chat.muted && <Icon name="bellOff" size={14} className="shrink-0 text-slate-400" />}
              </span>
              <span className={`block truncate text-xs ${typers.length ? 'text-brand-600 dark:text-brand-400' : 'text-slate-500'}`} data-testid="thread-status">
                {status}
              </span>
              <span className="sr-only">, chat info</span>
            </button>
          </div>
          <button onClick={openInfo} className="rounded-full p-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label="Chat info">
            <Icon name="info" />
          </button>
        </header>

        <div className="relative min-h-0 flex-1">
          <div ref={scroller} onScroll={onScroll} className="relative h-full overflow-y-auto py-2 [overflow-anchor:none]" data-testid="message-list">
            {thread?.hasOlder && <ThreadSkeleton rows={2} label="Loading earlier messages…" testId="older-skeleton" />}
            {!thread?.loaded && !error && <ThreadSkeleton />}
            {error && <div role="alert" className="m-3 rounded-lg bg-red-50 p-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">{error}</div>}
            {thread?.loaded && !thread.hasOlder && items.length === 0 && outbox.length === 0 && (
              <div className="py-10 text-center text-sm text-slate-500">No messages yet. Say hi!</div>
            )}
            {/* One Tab stop: arrows move between messages, Tab goes into the focused one's actions (see roving.tsx). */}
            <div ref={list} role="list" aria-label="Messages" aria-busy={!thread?.loaded && !error} onKeyDown={roving.onKeyDown} onFocus={roving.onFocus} onBlur={roving.onBlur}>
              {sections.map((section) => (
                <Fragment key={section.key}>
                  {section.afterDivider && <NewMessagesDivider />}
                  {/* The day pill sticks only within its section, which ends at the divider: it never covers it. */}
                  <div data-testid="thread-section">
                    {section.day && <DayPill day={section.day} />}
                    {section.entries.map(({ entry, first, last }) => {
                      const rowProps = {
                        itemKey: entry.key,
                        tabStop: entry.key === tabStop,
                        entered: roving.entered,
                        className: 'group scroll-mb-2 scroll-mt-12 rounded outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500 focus-visible:ring-offset-0',
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
                        <RovingItem key={m.id} {...rowProps} id={`m-${m.id}`} data-testid="message" data-seq={m.seq} data-mine={mine}>
                          <Bubble
                            message={m}
                            mine={mine}
                            senderName={nameOf(m.senderId)}
                            author={chat.kind === 'group' && first ? nameOf(m.senderId) : null}
                            first={first}
                            last={last}
                            replyAuthor={m.replyTo && !m.replyTo.unavailable ? nameOf(m.replyTo.senderId) : ''}
                            status={mine ? tickStatus(s, chatId, m) : undefined}
                            onReply={() => {
                              setEditing(null);
                              setReplyTo(m);
                            }}
                            onEdit={
                              mine && m.text !== null
                                ? () => {
                                    setReplyTo(null);
                                    setEditing(m);
                                  }
                                : undefined
                            }
                            onDelete={mine ? () => void confirmDeleteForEveryone(m.id) : undefined}
                            onOpenImage={openViewer}
                            onJumpToQuote={(id) => void jumpTo(id)}
                            onForward={() => setForwarding(m)}
                            onCopy={m.text ? () => void copyText(m.text!) : undefined}
                            pinned={pinnedIds.has(m.id)}
                            onTogglePin={mayPin ? () => void act(pinnedIds.has(m.id) ? unpinMessage(chatId, m.id) : pinMessage(chatId, m.id)) : undefined}
                            onDeleteForMe={() => void confirmDeleteForMe(chatId, m.id)}
                            onReact={(emoji, on) => reactToMessage(chatId, m.id, emoji, on).catch(showError)}
                            meId={s.me?.id}
                            nameOf={nameOf}
                          />
                        </RovingItem>
                      );
                    })}
                  </div>
                </Fragment>
              ))}
            </div>
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
