import type { MessageDto, NewMessagePayload } from '../contracts';
import { notifyMessage } from '../notifications';
import { shouldNotify } from '../notification-rules';
import { announcementFor, withoutDeletedAnnouncement } from '../announcement';
import { chatTitle, mentionsMe, plainText, userName } from '../store';
import {
  all, changesApplied, chatForgotten, chatUpserted, messageNotedInChatList, messageUpserted, pinChanged, receiptMoved, typingNoted,
} from '../state-updates';
import { peopleIn, systemText } from '../system-text';
import { lastSeqOf } from '../thread-model';
import type { Directory } from './directory';
import type { History } from './history';
import type { Link } from './link';
import type { MessageActions } from './message-actions';
import type { SocketLike, Store } from './ports';
import type { PresenceTyping } from './presence-typing';

export interface LiveEventsDeps {
  store: Store;
  link: Link;
  directory: Directory;
  history: History;
  presence: PresenceTyping;
  actions: Pick<MessageActions, 'onReactions'>;
  /** A desktop notification for a message the user is not looking at (the app's; tests pass a fake). */
  notify?: (message: MessageDto) => void;
}

/** What the server pushes (messages, chats, receipts, typing, presence, profiles), applied to the store. */
export function attachLiveEvents(socket: SocketLike, deps: LiveEventsDeps): void {
  const { store, link, directory, history, presence, actions } = deps;
  const notify = deps.notify ?? ((message: MessageDto) => notifyIfAway(store, history, message));

  socket.on('message:new', ({ unreadCount, ...message }: NewMessagePayload) => {
    const s = store.getState();
    const thread = s.threads[message.chatId];
    const chat = s.chats[message.chatId];
    const mine = message.senderId === s.me?.id;
    // A thread showing an old window (after a jump) does not grow at the bottom: it has `hasNewer`.
    const lastHeld = lastSeqOf(thread);
    // One change for the list row, the thread, the announcement and the end of the sender's typing.
    store.setState(
      all(
        messageNotedInChatList(message, unreadCount),
        thread?.hasNewer ? () => ({}) : messageUpserted(message),
        mine ? () => ({}) : (st) => announcementFor(st, message, announce(st, message)),
        mine ? () => ({}) : typingNoted(message.chatId, message.senderId, null),
      ),
    );
    // Several gateways can deliver a chat's events out of order: a hole before this one is fetched, not ignored.
    if (thread?.loaded && !thread.hasNewer && lastHeld !== null && message.seq > lastHeld + 1) void history.fillGap(message.chatId, lastHeld);
    if (message.system) void directory.ensureUsers(peopleIn(message.system));
    // Read at once in the open chat, which implies delivered on the server: one pointer move, so one pair of receipt
    // frames back to every device instead of two (and one ack instead of two).
    const readTo = history.markOpenChatRead();
    const readNow = history.openChatId() === message.chatId && readTo !== null && readTo >= message.seq;
    if (!mine && !readNow) link.fire('message:delivered', { chatId: message.chatId, seq: message.seq });
    // The names a notification shows (its mentions) are known before it is.
    const ready = Promise.all([chat ? null : directory.refreshChats(), message.mentions?.length ? directory.ensureUsers(message.mentions) : null]);
    void ready.then(() => notify(message), () => notify(message));
  });
  const onChange = (message: MessageDto) => store.setState(all(messageNotedInChatList(message), changesApplied(message.chatId, [message])));
  socket.on('message:edited', onChange);
  socket.on('message:deleted', (message: MessageDto) => {
    onChange(message);
    store.setState((st) => withoutDeletedAnnouncement(st, [message]));
  });
  socket.on('message:reactions', actions.onReactions);
  socket.on('chat:updated', ({ chat, reason }) => {
    // Hidden on one of my devices: gone from every device's list until a new message brings it back.
    if (reason === 'hidden') return store.setState(chatForgotten(chat.id));
    const isNew = !store.getState().chats[chat.id];
    store.setState(chatUpserted(chat));
    void directory.ensureUsers(chat.members.map((m: { userId: string }) => m.userId));
    // The server sends presence changes only for users this socket asked about.
    if (isNew) void presence.query();
  });
  socket.on('chat:removed', ({ chatId }) => store.setState(chatForgotten(chatId)));
  socket.on('receipt:delivered', (r) => r.userId !== store.getState().me?.id && store.setState(receiptMoved(r.chatId, r.userId, 'delivered', r.seq)));
  socket.on('receipt:read', (r) => {
    const s = store.getState();
    // Ticks are about the others: my own pointer moves only my unread badge (another device of mine read it).
    if (r.userId !== s.me?.id) store.setState(receiptMoved(r.chatId, r.userId, 'read', r.seq));
    else {
      const chat = s.chats[r.chatId];
      if (chat && r.seq > chat.lastReadSeq) store.setState(chatUpserted({ ...chat, unreadCount: Math.max(0, chat.lastSeq - r.seq), lastReadSeq: r.seq }));
    }
  });
  socket.on('typing', presence.onTyping);
  socket.on('presence', presence.onPresence);
  socket.on('pin:changed', ({ pin, pinned }) => store.setState(pinChanged(pin, pinned)));
  socket.on('user:updated', (user) => {
    directory.rememberUsers([user]);
    // My own profile, changed on another device: keep my email, take the rest.
    const me = store.getState().me;
    if (me && user.id === me.id) store.setState(() => ({ me: { ...me, displayName: user.displayName, avatarUrl: user.avatarUrl } }));
  });
  // The list is refetched rather than patched from the frame: frames of two quick changes may arrive in any order.
  socket.on('block:changed', () => {
    void directory.loadBlocked();
    void presence.query();
  });
}

/** What the live region says of someone else's new message. */
function announce(s: ReturnType<Store['getState']>, message: MessageDto): string {
  if (message.system) return systemText(s, message.system);
  const what = message.text ? plainText(s, message.text) : (message.image ? 'sent a photo' : message.file?.kind === 'voice' ? 'sent a voice message' : message.file ? `sent ${message.file.name}` : '');
  return `${userName(s, message.senderId)}: ${what}`;
}

/** A desktop notification for a message the user is not looking at (see shouldNotify); clicking opens its chat. */
function notifyIfAway(store: Store, history: History, message: MessageDto): void {
  const s = store.getState();
  const chat = s.chats[message.chatId];
  const hidden = typeof document !== 'undefined' && document.visibilityState !== 'visible';
  const openChatId = history.openChatId();
  const mentioned = mentionsMe(s, message);
  if (!shouldNotify({ mine: message.senderId === s.me?.id, muted: !!chat?.muted, hidden, openChatId, chatId: message.chatId, system: !!message.system, mentionsMe: mentioned })) return;
  notifyMessage({
    chatId: message.chatId,
    sender: mentioned ? `${userName(s, message.senderId)} mentioned you` : userName(s, message.senderId),
    chatTitle: chat?.kind === 'group' ? chatTitle(s, chat) : null,
    text: message.text ? plainText(s, message.text) : null,
    hasImage: !!message.image,
    onOpen: () => showChat(message.chatId),
  });
}

/** Opens a chat from outside the React tree (a notification's click): the chats page follows the URL. */
export function showChat(chatId: string): void {
  if (typeof window === 'undefined') return;
  if (location.pathname !== '/chats') return void location.assign(`/chats?c=${encodeURIComponent(chatId)}`);
  window.history.pushState(null, '', `/chats?c=${encodeURIComponent(chatId)}`);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
