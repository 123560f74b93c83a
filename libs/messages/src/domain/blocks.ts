/**
 * One person's block of another, as Messages knows it (a projection of Chats' `chat.block-changed`). Kept when
 * lifted (blocked: false) so that an older event arriving late cannot bring the block back: the newest version wins.
 */
export interface BlockState {
  blockerId: string;
  blockedId: string;
  blocked: boolean;
  version: number;
}

/** Whether a block event should replace what is held: only a newer version does (any order, any number of times). */
export function isNewerBlock(held: Pick<BlockState, 'version'> | null, incoming: Pick<BlockState, 'version'>): boolean {
  return held === null || incoming.version > held.version;
}

/** Who stands in the way of a 1:1 message: the sender's own block, the other person's, or nobody. */
export type DirectBlock = 'none' | 'by-sender' | 'by-other';

/** The sender's own block counts first: they can lift it themselves, and the error tells them so. */
export function directBlock(senderId: string, otherId: string, blocks: Pick<BlockState, 'blockerId' | 'blockedId' | 'blocked'>[]): DirectBlock {
  const active = (from: string, to: string) => blocks.some((b) => b.blocked && b.blockerId === from && b.blockedId === to);
  if (active(senderId, otherId)) return 'by-sender';
  if (active(otherId, senderId)) return 'by-other';
  return 'none';
}
