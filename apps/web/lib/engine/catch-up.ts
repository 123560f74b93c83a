import { withoutDeletedAnnouncement } from '../announcement';
import type { SyncChatPosition, SyncResult } from '../contracts';
import type { State } from '../store';
import { all, changesApplied, messagesMerged, pinsLoaded, usersRemembered } from '../state-updates';
import { lastSeqOf } from '../thread-model';
import type { Link } from './link';
import type { Store } from './ports';

/** A sync answers a bounded amount per chat; a thread far behind takes a few rounds. */
const MAX_ROUNDS = 20;
const MAX_USERS = 500;

/** Where each loaded thread that shows the newest messages stands: its last seq and its change cursor. */
export function syncPositions(s: State): SyncChatPosition[] {
  return Object.entries(s.threads)
    .filter(([, t]) => t.loaded && !t.hasNewer)
    .map(([chatId, t]) => ({ chatId, lastSeq: lastSeqOf(t) ?? 0, ...(t.changeCursor ? { changeCursor: t.changeCursor } : {}) }));
}

/**
 * After a (re)connect, per loaded thread: the messages after the last seq held and the edits and deletions of
 * those held since its change cursor, each chat's batch merged in one pass; then fresh chat summaries (their
 * previews show the edits too).
 */
export function createCatchUp({ store, link, refreshChats }: { store: Store; link: Link; refreshChats: () => Promise<void> }): () => Promise<void> {
  return async function catchUp(): Promise<void> {
    const s = store.getState();
    let want = syncPositions(s);
    // The first round runs even with no thread loaded: it also brings fresh names and photos of everyone shown.
    const userIds = Object.keys(s.users).slice(0, MAX_USERS);
    for (let round = 0; (want.length || round === 0) && round < MAX_ROUNDS; round++) {
      let result: SyncResult;
      try {
        const ack = await link.request<SyncResult>('sync', round === 0 ? { chats: want, userIds } : { chats: want });
        if (!ack.ok) break;
        result = ack.data;
      } catch {
        break;
      }
      if (result.users?.length) store.setState(usersRemembered(result.users));
      if (result.notFoundChatIds?.length) {
        store.setState((st) => {
          const chats = { ...st.chats };
          const threads = { ...st.threads };
          for (const id of result.notFoundChatIds) {
            delete chats[id];
            delete threads[id];
          }
          return { chats, threads };
        });
      }
      for (const synced of result.chats) {
        store.setState(
          all(
            messagesMerged(synced.chatId, synced.messages, { changeCursor: synced.changeCursor }),
            changesApplied(synced.chatId, synced.changed ?? []),
            (st) => withoutDeletedAnnouncement(st, synced.changed ?? []),
            synced.pins ? pinsLoaded(synced.chatId, synced.pins) : () => ({}),
          ),
        );
      }
      const asked = new Map(want.map((w) => [w.chatId, w.lastSeq]));
      // Stopped early: again from the last seq received (the same one if none came) and the cursor just returned.
      want = result.chats
        .filter((c) => !c.complete)
        .map((c) => ({
          chatId: c.chatId,
          lastSeq: c.messages.length ? c.messages[c.messages.length - 1]!.seq : asked.get(c.chatId) ?? 0,
          ...(c.changeCursor ? { changeCursor: c.changeCursor } : {}),
        }));
    }
    await refreshChats().catch(() => undefined);
  };
}
