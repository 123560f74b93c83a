import type { HistoryPage, MemberReadStateDto, MessageDto, PinDto } from '../contracts';
import { chatUpserted, messagesMerged, pinsLoaded, receiptMoved, threadReplaced } from '../state-updates';
import { peopleIn } from '../system-text';
import { findMessage, lastSeqOf } from '../thread-model';
import type { Directory } from './directory';
import type { Link } from './link';
import type { ApiClient, Store } from './ports';

const PAGE = 40;

/** Whose names a page shows: its senders and the people its system lines name. */
export const peopleOf = (items: MessageDto[]) => items.flatMap((m) => (m.system ? peopleIn(m.system) : [m.senderId, ...(m.mentions ?? [])]));

/** The thread on screen and the pages of history around it. */
export interface History {
  /** The chat the user looks at (null: none). */
  openChatId(): string | null;
  openThread(chatId: string): Promise<void>;
  closeThread(): void;
  loadOlder(chatId: string): Promise<number>;
  loadNewer(chatId: string): Promise<void>;
  loadAround(chatId: string, messageId: string): Promise<void>;
  loadLatest(chatId: string): Promise<void>;
  loadPins(chatId: string): Promise<void>;
  /** Messages after `afterSeq` that a live frame showed are missing (frames out of order). */
  fillGap(chatId: string, afterSeq: number): Promise<void>;
  /**
   * Read up to the newest message of the open chat, when the user can actually see it: how far the open chat is read
   * now (null: no chat is open and seen, or it shows an old window).
   */
  markOpenChatRead(): number | null;
}

export interface HistoryDeps {
  store: Store;
  api: ApiClient;
  link: Link;
  directory: Pick<Directory, 'ensureUsers'>;
  /** Whether the page is visible (the document's visibilityState in the app). */
  visible(): boolean;
}

export function createHistory({ store, api, link, directory, visible }: HistoryDeps): History {
  let openChatId: string | null = null;
  const page = (chatId: string, query: string) => api<HistoryPage>(`/chats/${chatId}/messages?${query}`);

  function noteReceiptsFrom(chatId: string, items: MessageDto[]): void {
    const s = store.getState();
    const chat = s.chats[chatId];
    const peer = chat?.kind === 'direct' ? chat.otherUserId ?? chat.members.find((m) => m.userId !== s.me?.id)?.userId : null;
    for (const m of items) {
      if (m.senderId !== s.me?.id) continue;
      if (peer && m.seen) store.setState(receiptMoved(chatId, peer, 'read', m.seq));
      for (const reader of m.readBy ?? []) store.setState(receiptMoved(chatId, reader, 'read', m.seq));
    }
  }

  /** Where every other member's delivered and read pointers stand (the ticks of my messages). */
  async function loadReadStates(chatId: string): Promise<void> {
    const states = await api<MemberReadStateDto[]>(`/chats/${chatId}/read-states`).catch(() => []);
    const me = store.getState().me?.id;
    for (const st of states) {
      if (st.userId === me) continue;
      store.setState(receiptMoved(chatId, st.userId, 'delivered', st.lastDeliveredSeq));
      store.setState(receiptMoved(chatId, st.userId, 'read', st.lastReadSeq));
    }
  }

  async function loadPins(chatId: string): Promise<void> {
    const pins = await api<PinDto[]>(`/chats/${chatId}/pins`).catch(() => null);
    if (pins) store.setState(pinsLoaded(chatId, pins));
  }

  function markOpenChatRead(): number | null {
    if (!openChatId || !visible()) return null;
    const s = store.getState();
    const thread = s.threads[openChatId];
    const chat = s.chats[openChatId];
    const last = lastSeqOf(thread);
    if (last === null || !chat || thread!.hasNewer) return null;
    if (last <= chat.lastReadSeq && chat.unreadCount === 0) return chat.lastReadSeq;
    store.setState(chatUpserted({ ...chat, unreadCount: 0, lastReadSeq: Math.max(last, chat.lastReadSeq) }));
    if (link.connected()) link.fire('message:read', { chatId: openChatId, seq: last });
    else void api(`/chats/${openChatId}/read`, { method: 'POST', body: { seq: last } }).catch(() => undefined);
    return Math.max(last, chat.lastReadSeq);
  }

  return {
    openChatId: () => openChatId,
    /** The page a thread opens on: around the first unread when there is one, else the newest. */
    async openThread(chatId) {
      openChatId = chatId;
      const s = store.getState();
      if (!s.threads[chatId]?.loaded) {
        const chat = s.chats[chatId];
        const newest = await page(chatId, `limit=${PAGE}`);
        let items = newest.items;
        let hasOlder = newest.hasOlder;
        // Unread further back than one page: load enough to show the divider at the first unread.
        if (chat && chat.unreadCount > items.length && newest.hasOlder && items.length) {
          const older = await page(chatId, `before=${items[0]!.seq}&limit=${Math.min(100, chat.unreadCount - items.length + 5)}`);
          items = [...older.items, ...items];
          hasOlder = older.hasOlder;
        }
        // A cursor kept from before (older, so never past a change these items lack) stays: sync sends from there.
        const cursor = store.getState().threads[chatId]?.changeCursor ?? newest.changeCursor;
        store.setState(messagesMerged(chatId, items, { hasOlder, hasNewer: newest.hasNewer, loaded: true, changeCursor: cursor }));
        noteReceiptsFrom(chatId, items);
        await Promise.all([directory.ensureUsers(peopleOf(items)), loadReadStates(chatId), loadPins(chatId)]);
      }
      markOpenChatRead();
    },
    closeThread() {
      openChatId = null;
    },
    async loadOlder(chatId) {
      const thread = store.getState().threads[chatId];
      if (!thread?.hasOlder || !thread.items.length) return 0;
      const older = await page(chatId, `before=${thread.items[0]!.seq}&limit=${PAGE}`);
      store.setState(messagesMerged(chatId, older.items, { hasOlder: older.hasOlder }));
      noteReceiptsFrom(chatId, older.items);
      await directory.ensureUsers(peopleOf(older.items));
      return older.items.length;
    },
    async loadNewer(chatId) {
      const thread = store.getState().threads[chatId];
      const last = lastSeqOf(thread);
      if (!thread?.hasNewer || last === null) return;
      const newer = await page(chatId, `after=${last}&limit=${PAGE}`);
      store.setState(messagesMerged(chatId, newer.items, { hasNewer: newer.hasNewer }));
    },
    /** A window around a message (jump to a quoted message far back); replaces the thread's window. */
    async loadAround(chatId, messageId) {
      if (findMessage(store.getState().threads[chatId], messageId)) return;
      const around = await page(chatId, `around=${encodeURIComponent(messageId)}&limit=${PAGE}`);
      // The window is replaced: what it holds is as of this page's cursor.
      store.setState(threadReplaced(chatId, around.items, { hasOlder: around.hasOlder, hasNewer: around.hasNewer, changeCursor: around.changeCursor }));
      await directory.ensureUsers(peopleOf(around.items));
    },
    /** Back to the newest page (jump to latest from a window far back). */
    async loadLatest(chatId) {
      if (!store.getState().threads[chatId]?.hasNewer) return;
      const newest = await page(chatId, `limit=${PAGE}`);
      store.setState(threadReplaced(chatId, newest.items, { hasOlder: newest.hasOlder, hasNewer: false, changeCursor: newest.changeCursor }));
    },
    loadPins,
    async fillGap(chatId, afterSeq) {
      try {
        const gap = await page(chatId, `after=${afterSeq}&limit=100`);
        store.setState(messagesMerged(chatId, gap.items));
      } catch {
        // the next reconnect's sync fills it
      }
    },
    markOpenChatRead,
  };
}
