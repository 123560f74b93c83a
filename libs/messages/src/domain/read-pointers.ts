import { readOnArrival } from '@chat/contracts';
import type { Message } from './message';

/**
 * A member's place in a chat, kept by Messages: how far their devices received and how far they read. Pointers only
 * move forward, and never past the chat's last seq, so no message not yet sent shows as delivered or read.
 */
export interface MemberPointers {
  userId: string;
  lastReadSeq: number;
  lastReadAt: Date | null;
  lastDeliveredSeq: number;
  lastDeliveredAt: Date | null;
  /** The first seq the member may see (visibilityFloor, decided when they last joined); pointers never change it. */
  visibleFromSeq: number;
}

/** The chat's membership as Messages knows it (a projection of Chats' `chat.members-changed`). */
export interface ChatMembership {
  chatId: string;
  kind: 'direct' | 'group';
  /** The version of Chats' membership this was built from; older or repeated events are ignored. */
  version: number;
  members: MemberPointers[];
}

/** What a member asked for: "everything up to `seq` is read" (which implies delivered), or only delivered. */
export interface PointerMove {
  read: boolean;
  seq: number;
  at: Date;
}

/** The pointers after a move, or null when nothing moves (already there, or asked to go back). */
export function movePointers(current: MemberPointers, move: PointerMove, chatLastSeq: number): MemberPointers | null {
  const target = Math.min(move.seq, chatLastSeq);
  const read = move.read && target > current.lastReadSeq;
  const delivered = target > current.lastDeliveredSeq;
  if (!read && !delivered) return null;
  return {
    userId: current.userId,
    visibleFromSeq: current.visibleFromSeq,
    lastReadSeq: read ? target : current.lastReadSeq,
    lastReadAt: read ? move.at : current.lastReadAt,
    lastDeliveredSeq: delivered ? target : current.lastDeliveredSeq,
    lastDeliveredAt: delivered ? move.at : current.lastDeliveredAt,
  };
}

/** Unread messages of a member: everything after their read pointer (their own messages move it, see movePointers). */
export function unreadCount(chatLastSeq: number, lastReadSeq: number): number {
  return Math.max(0, chatLastSeq - lastReadSeq);
}

/**
 * The pointers a stored message moves, as [index in members, new pointers]: its sender's (sending reads what came
 * before) and those of the members a system line brings in (readOnArrival), up to the message.
 */
export function readersMoved(members: MemberPointers[], message: Pick<Message, 'seq' | 'senderId' | 'system' | 'createdAt'>): [number, MemberPointers][] {
  const readers = new Set([message.senderId, ...readOnArrival(message, members.map((m) => m.userId))]);
  const moves: [number, MemberPointers][] = [];
  members.forEach((member, i) => {
    const moved = readers.has(member.userId) ? movePointers(member, { read: true, seq: message.seq, at: message.createdAt }, message.seq) : null;
    if (moved) moves.push([i, moved]);
  });
  return moves;
}
