import type { MessageDto, ReplyPreview } from './contracts';

/**
 * A chat's loaded messages, kept in seq order as they arrive: a message newer than the last is appended, an older
 * one merged into place, a copy of one held replaces it. Nothing is ever re-sorted, so a catch-up of N messages is
 * one pass, not N sorts. `items` is copied on write (React compares it by identity); its index lives beside it.
 */
export interface ThreadState {
  /** Confirmed messages, ascending by seq, no duplicates. */
  items: MessageDto[];
  hasOlder: boolean;
  hasNewer: boolean;
  loaded: boolean;
  /**
   * Where catch-up of edits and deletions resumes (opaque, the server's): from the history page that loaded the
   * thread, then from each sync. Every change up to it is in `items`; later ones arrive live or on the next sync.
   */
  changeCursor?: string;
}

/**
 * id -> seq and clientMessageId -> id of what a thread holds. Shared by the successive copies of one thread's items
 * (a message keeps its seq for life), so it is never rebuilt on append; an entry of a message since dropped is
 * harmless: every lookup checks the message found at that seq.
 */
interface ThreadIndex {
  seqById: Map<string, number>;
  idByClientId: Map<string, string>;
}

const indexes = new WeakMap<readonly MessageDto[], ThreadIndex>();

function indexOf(items: readonly MessageDto[]): ThreadIndex {
  let index = indexes.get(items);
  if (!index) {
    // Items made elsewhere (a filter, a test): indexed once, then shared by the copies made from them.
    index = { seqById: new Map(), idByClientId: new Map() };
    for (const m of items) note(index, m);
    indexes.set(items, index);
  }
  return index;
}

function note(index: ThreadIndex, m: MessageDto): void {
  index.seqById.set(m.id, m.seq);
  if (m.clientMessageId) index.idByClientId.set(m.clientMessageId, m.id);
}

/** The first position whose seq is >= `seq` (binary search). */
export function lowerBound(items: readonly MessageDto[], seq: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where the message with this id sits in `items`, or -1: O(1) to find its seq, O(log n) to find the seq. */
export function positionOf(items: readonly MessageDto[], id: string): number {
  const seq = indexOf(items).seqById.get(id);
  if (seq === undefined) return -1;
  const at = lowerBound(items, seq);
  return items[at]?.id === id ? at : -1;
}

export function findMessage(thread: ThreadState | undefined, id: string): MessageDto | undefined {
  if (!thread) return undefined;
  const at = positionOf(thread.items, id);
  return at < 0 ? undefined : thread.items[at];
}

/** The confirmed copy of a message this device sent, by the id the device gave it. */
export function findByClientId(thread: ThreadState | undefined, clientMessageId: string): MessageDto | undefined {
  const id = thread && indexOf(thread.items).idByClientId.get(clientMessageId);
  return id ? findMessage(thread, id) : undefined;
}

export function lastSeqOf(thread: ThreadState | undefined): number | null {
  const items = thread?.items;
  return items?.length ? items[items.length - 1]!.seq : null;
}

/**
 * Which of two copies of one message to keep. Copies of a message carry no version, but its changes only go one
 * way: a deletion is final, and a later edit has a later editedAt. A copy that would step back is ignored; a newer
 * one is laid over the held one (the socket's copy may lack the receipt fields a history page had).
 */
export function newerCopy(held: MessageDto, incoming: MessageDto): MessageDto {
  if (held.deletedAt && !incoming.deletedAt) return held;
  // The same copy again (a repeated frame): nothing to re-render.
  if ((Object.keys(incoming) as (keyof MessageDto)[]).every((k) => Object.is(incoming[k], held[k]))) return held;
  if (!incoming.deletedAt && held.editedAt && (!incoming.editedAt || incoming.editedAt < held.editedAt)) return held;
  return { ...held, ...incoming };
}

const sameFlags = (thread: ThreadState, flags: Partial<ThreadState>) => Object.entries(flags).every(([k, v]) => thread[k as keyof ThreadState] === v);

/**
 * Merge messages into a thread: held ones replaced by newer copies in place, new ones appended (the usual case) or
 * merged into place in one linear pass. Nothing changed: the same thread object, so nothing re-renders.
 */
export function mergeMessages(thread: ThreadState | undefined, incoming: readonly MessageDto[], flags: Partial<ThreadState> = {}): ThreadState {
  const held = thread?.items ?? [];
  const index = indexOf(held);
  let items: MessageDto[] | null = null;
  const fresh: MessageDto[] = [];
  const freshIds = new Set<string>();
  for (const m of incoming) {
    const at = positionOf(held, m.id);
    if (at >= 0) {
      const current = (items ?? held)[at]!;
      const next = newerCopy(current, m);
      if (next !== current) (items ??= held.slice())[at] = next;
    } else if (freshIds.has(m.id)) {
      // Twice in one batch: the later copy is the newer one.
      const i = fresh.findIndex((f) => f.id === m.id);
      fresh[i] = newerCopy(fresh[i]!, m);
    } else {
      freshIds.add(m.id);
      fresh.push(m);
    }
  }
  if (fresh.length) items = insertSorted(items ?? held, fresh, items !== null);
  if (!items) {
    if (thread && sameFlags(thread, flags)) return thread;
  } else {
    // The copy shares the index: seqs never change, so entries stay true.
    indexes.set(items, index);
    for (const m of fresh) note(index, m);
  }
  return {
    items: items ?? held,
    hasOlder: flags.hasOlder ?? thread?.hasOlder ?? false,
    hasNewer: flags.hasNewer ?? thread?.hasNewer ?? false,
    loaded: flags.loaded ?? thread?.loaded ?? true,
    changeCursor: flags.changeCursor ?? thread?.changeCursor,
  };
}

/** New messages into sorted `items`: appended when all come after the last (a push), else one linear merge. */
function insertSorted(items: MessageDto[], fresh: MessageDto[], owned: boolean): MessageDto[] {
  if (fresh.length > 1) fresh.sort((a, b) => a.seq - b.seq);
  const last = items.length ? items[items.length - 1]!.seq : -Infinity;
  if (fresh[0]!.seq > last) {
    const out = owned ? items : items.slice();
    for (const m of fresh) out.push(m);
    return out;
  }
  if (fresh[fresh.length - 1]!.seq < (items[0]?.seq ?? Infinity)) return fresh.concat(items);
  const out: MessageDto[] = new Array(items.length + fresh.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < items.length || j < fresh.length) out[k++] = j >= fresh.length || (i < items.length && items[i]!.seq <= fresh[j]!.seq) ? items[i++]! : fresh[j++]!;
  return out;
}

/** What a reply shows of the message it quotes (the line clamp in the bubble shortens long text). */
export function quoteOf(m: MessageDto): ReplyPreview {
  const deleted = m.deletedAt !== null;
  return {
    id: m.id,
    seq: m.seq,
    senderId: m.senderId,
    text: deleted ? null : m.text,
    hasImage: !deleted && m.image !== null,
    file: !deleted && m.file ? { kind: m.file.kind, name: m.file.name } : null,
    deleted,
  };
}

/**
 * Edits and deletions (caught up by sync, or live): replace the copies held. A message not held is skipped: it
 * loads fresh with history when scrolled to, and inserting it would leave a hole in the thread.
 */
export function applyChanges(thread: ThreadState | undefined, changed: readonly MessageDto[]): ThreadState | undefined {
  if (!thread || changed.length === 0) return thread;
  const ours = changed.filter((m) => positionOf(thread.items, m.id) >= 0);
  const merged = ours.length ? mergeMessages(thread, ours) : thread;
  return refreshQuotes(merged, changed);
}

/** Replies held that quote a changed message show its new text, or that it was deleted, as history would. */
function refreshQuotes(thread: ThreadState, changed: readonly MessageDto[]): ThreadState {
  const byId = new Map(changed.map((m) => [m.id, m]));
  if (!thread.items.some((m) => m.replyTo && byId.has(m.replyTo.id))) return thread;
  return withItems(thread, thread.items.map((m) => (m.replyTo && byId.has(m.replyTo.id) ? { ...m, replyTo: quoteOf(byId.get(m.replyTo.id)!) } : m)));
}

/** One message's fields replaced (its reactions): one copy of the array, no search beyond the index. */
export function updateMessage(thread: ThreadState | undefined, id: string, update: (m: MessageDto) => MessageDto): ThreadState | undefined {
  if (!thread) return thread;
  const at = positionOf(thread.items, id);
  if (at < 0) return thread;
  const items = thread.items.slice();
  items[at] = update(items[at]!);
  return withItems(thread, items);
}

/** Deleted for me: gone from this device's copy. */
export function removeMessage(thread: ThreadState | undefined, id: string): ThreadState | undefined {
  if (!thread) return thread;
  const at = positionOf(thread.items, id);
  if (at < 0) return thread;
  const items = thread.items.slice();
  items.splice(at, 1);
  return withItems(thread, items);
}

/** The same messages at the same seqs (a copy made by map or splice): the index carries over. */
function withItems(thread: ThreadState, items: MessageDto[]): ThreadState {
  const index = indexes.get(thread.items);
  if (index) indexes.set(items, index);
  return { ...thread, items };
}
