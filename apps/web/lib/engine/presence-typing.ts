import type { PresenceState, TypingPayload } from '../contracts';
import { TYPING_EXPIRES_MS } from '../contracts';
import { presenceNoted, typingNoted, typingPruned } from '../state-updates';
import type { Link } from './link';
import type { Clock, Store } from './ports';

/** How often my own typing is repeated while I keep typing (the server's indicator expires on its own). */
const TYPING_REPEAT_MS = 3000;

export interface PresenceTyping {
  /** Asks for the presence of everyone in my chats; the socket then receives their changes. */
  query(): Promise<void>;
  onPresence(p: PresenceState): void;
  onTyping(t: TypingPayload): void;
  /** Their message ends their typing indicator. */
  stoppedBy(chatId: string, userId: string): void;
  /** Expired indicators go (a stop frame can be lost). */
  prune(): void;
  /** I type (active) or stop, in a chat: sent at most every few seconds. */
  noteTyping(chatId: string, active: boolean): void;
}

export function createPresenceTyping({ store, link, clock }: { store: Store; link: Link; clock: Clock }): PresenceTyping {
  let lastTypingSent = 0;
  let typingChat: string | null = null;
  return {
    async query() {
      const s = store.getState();
      const ids = [...new Set(Object.values(s.chats).flatMap((c) => c.members.map((m) => m.userId)))].filter((id) => id !== s.me?.id);
      if (!ids.length) return;
      try {
        const ack = await link.request<PresenceState[]>('presence:query', { userIds: ids.slice(0, 200) });
        if (ack.ok) store.setState(presenceNoted(ack.data));
      } catch {
        // presence is a nicety; the next `presence` event corrects it
      }
    },
    onPresence(p) {
      store.setState(presenceNoted([p]));
    },
    onTyping(t) {
      if (t.userId === store.getState().me?.id) return;
      store.setState(typingNoted(t.chatId, t.userId, t.state === 'start' ? clock.now() + (t.expiresInMs ?? TYPING_EXPIRES_MS) : null));
    },
    stoppedBy(chatId, userId) {
      store.setState(typingNoted(chatId, userId, null));
    },
    prune() {
      store.setState(typingPruned(clock.now()));
    },
    noteTyping(chatId, active) {
      if (!link.connected()) return;
      if (active) {
        if (typingChat === chatId && clock.now() - lastTypingSent < TYPING_REPEAT_MS) return;
        lastTypingSent = clock.now();
        typingChat = chatId;
        link.fire('typing:start', { chatId });
      } else if (typingChat === chatId) {
        typingChat = null;
        lastTypingSent = 0;
        link.fire('typing:stop', { chatId });
      }
    },
  };
}
