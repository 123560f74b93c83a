import type { Ack, MessageDto } from '../contracts';
import type { OutboxEntry } from '../store';
import { all, messageNotedInChatList, messageUpserted } from '../state-updates';
import type { Link } from './link';
import type { Clock, Store } from './ports';

const MAX_SILENT_ATTEMPTS = 3;

export interface OutboxDeps {
  store: Store;
  link: Link;
  clock: Clock;
  /** Keeps the entries across reloads (outbox-storage.ts in the app). */
  persist(userId: string, entries: OutboxEntry[]): void;
}

export interface Outbox {
  queue(entry: Omit<OutboxEntry, 'createdAt' | 'status'>): void;
  retry(clientMessageId: string): void;
  discard(clientMessageId: string): void;
  /** Sends what is pending, in order, while connected; resolves when it stops (nothing left, offline, backing off). */
  flush(): Promise<void>;
}

/**
 * Messages written but not confirmed: kept (persisted) until the server's answer, sent one at a time in the order
 * written so the server assigns seqs in that order. A lost answer leaves the entry pending; the retry reuses its
 * clientMessageId, which the server deduplicates.
 */
export function createOutbox({ store, link, clock, persist }: OutboxDeps): Outbox {
  let flushing = false;

  const save = () => {
    const s = store.getState();
    if (s.me) persist(s.me.id, s.outbox);
  };
  const change = (clientMessageId: string, update: (o: OutboxEntry) => OutboxEntry) =>
    store.setState((s) => ({ outbox: s.outbox.map((o) => (o.clientMessageId === clientMessageId ? update(o) : o)) }));
  const remove = (clientMessageId: string) => store.setState((s) => ({ outbox: s.outbox.filter((o) => o.clientMessageId !== clientMessageId) }));

  /** Counts an unanswered try; sends again after a growing pause, and after a few tries lets the user decide. */
  function retryLater(entry: OutboxEntry, error: string): void {
    const attempts = (entry.attempts ?? 0) + 1;
    const failed = attempts >= MAX_SILENT_ATTEMPTS;
    change(entry.clientMessageId, (o) => ({ ...o, attempts, status: failed ? 'failed' : 'pending', error: failed ? error : undefined }));
    save();
    if (!failed) clock.setTimeout(() => void flush(), 1000 * 2 ** attempts);
  }

  async function flush(): Promise<void> {
    if (flushing) return;
    flushing = true;
    let backingOff = false;
    try {
      for (;;) {
        const next = store.getState().outbox.find((o) => o.status === 'pending');
        if (!next || !link.connected()) return;
        let ack: Ack<MessageDto>;
        try {
          ack = await link.request<MessageDto>('message:send', {
            clientMessageId: next.clientMessageId,
            chatId: next.chatId,
            text: next.text,
            imageKey: next.image?.key ?? null,
            fileKey: next.file?.key ?? null,
            replyToId: next.replyToId,
          });
        } catch {
          if (!link.connected()) return; // offline: the next connect flushes again
          // Connected but no answer: try again a little later, and after a few tries let the user decide.
          backingOff = true;
          retryLater(next, 'No answer from the server');
          return;
        }
        if (!ack.ok && (ack.error.code === 'COMMON.RATE_LIMITED' || ack.error.code === 'COMMON.OVERLOADED')) {
          // Too fast for the server (this socket, or all my devices together), or the server is busy: the same
          // entry goes again when the server says it may (retryAfterSeconds), else shortly, still in order and
          // never dropped (spread out, so clients turned away together do not all come back at once).
          backingOff = true;
          const retryAfterSeconds = (ack.error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
          const waitMs = typeof retryAfterSeconds === 'number' && retryAfterSeconds > 0 ? Math.min(retryAfterSeconds, 60) * 1000 : 1000;
          clock.setTimeout(() => void flush(), waitMs + Math.random() * 1000);
          return;
        }
        if (!ack.ok && ack.error.code.startsWith('TRANSPORT.')) {
          // A module did not answer in time: it may still store the message, and a retry is idempotent.
          backingOff = true;
          retryLater(next, ack.error.message);
          return;
        }
        if (ack.ok) {
          // The ack is this socket's only copy of the stored message (the server leaves it out of the message's
          // message:new): the thread and the chat list both take it from here. Sending reads all before it.
          store.setState(all(messageNotedInChatList(ack.data, 0), messageUpserted(ack.data)));
          // The upsert drops it only when the sender is known to be me; make sure.
          remove(next.clientMessageId);
        } else {
          const message = ack.error.message;
          change(next.clientMessageId, (o) => ({ ...o, status: 'failed', error: message }));
        }
        save();
      }
    } finally {
      flushing = false;
      // Something queued while the last send was in flight.
      if (!backingOff && link.connected() && store.getState().outbox.some((o) => o.status === 'pending')) clock.setTimeout(() => void flush(), 0);
    }
  }

  return {
    queue(entry) {
      store.setState((s) => ({ outbox: [...s.outbox, { ...entry, createdAt: new Date(clock.now()).toISOString(), status: 'pending' }] }));
      save();
      void flush();
    },
    retry(clientMessageId) {
      change(clientMessageId, (o) => ({ ...o, status: 'pending', error: undefined, attempts: 0 }));
      save();
      void flush();
    },
    discard(clientMessageId) {
      remove(clientMessageId);
      save();
    },
    flush,
  };
}
