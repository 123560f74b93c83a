import { BlockChangedEvent, ChatsEvents } from '@chat/contracts';
import { OutboxEvent } from '@chat/platform';

/** An active block: `blockerId` blocked `blockedId`. */
export interface Block {
  blockerId: string;
  blockedId: string;
}

/** A pair's block as stored: kept when lifted (blocked false), so its version keeps growing across changes. */
export interface BlockRecord extends Block {
  blocked: boolean;
  version: number;
}

/**
 * The record after a user asks to block (or unblock): null when nothing changes (asking twice is no change and
 * records no event), else the next version, which orders the change for every consumer.
 */
export function nextBlock(held: BlockRecord | null, blockerId: string, blockedId: string, blocked: boolean): BlockRecord | null {
  if ((held?.blocked ?? false) === blocked) return null;
  return { blockerId, blockedId, blocked, version: (held?.version ?? 0) + 1 };
}

export function blockChangedEvent(record: BlockRecord): OutboxEvent {
  const payload: BlockChangedEvent = { blockerId: record.blockerId, blockedId: record.blockedId, blocked: record.blocked, version: record.version };
  return { pattern: ChatsEvents.blockChanged, payload };
}

/** The people among `others` with a block between them and `userId`, in either direction. */
export function blockedEitherWay(userId: string, others: string[], blocks: Block[]): Set<string> {
  const set = new Set<string>();
  for (const b of blocks) {
    if (b.blockerId === userId && others.includes(b.blockedId)) set.add(b.blockedId);
    if (b.blockedId === userId && others.includes(b.blockerId)) set.add(b.blockerId);
  }
  return set;
}
