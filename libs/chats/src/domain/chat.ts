import { ChatKind, LastMessagePreview } from '@chat/contracts';

/** A conversation: a 1:1 chat (identified by its pair key) or a group. */
export interface Chat {
  id: string;
  kind: ChatKind;
  /** 1:1 chats only: both user ids, sorted, so one pair maps to one key and a unique index forbids a second chat. */
  pairKey: string | null;
  title: string | null;
  avatarUrl: string | null;
  createdBy: string;
  createdAt: Date;
  /** Highest message seq heard of from Messages' events (merged by maximum: events come in any order). */
  lastSeq: number;
  lastActivityAt: Date;
  lastMessage: LastMessagePreview | null;
  /**
   * Grows with every change of the membership, roles, details or settings: the version of `chat.members-changed`
   * (read-only for the service).
   */
  membersVersion: number;
  /** Groups: new members see the messages sent before they joined (an admin setting, off by default). */
  historyVisible: boolean;
}

export type MemberRole = 'admin' | 'member';

/**
 * One member's own state in one chat. The pointers are Messages' (merged here by maximum from its events); the
 * unread count is derived from them and the chat's last seq (unreadOf), so a new message writes no member's row
 * but its sender's.
 */
export interface ChatMember {
  chatId: string;
  userId: string;
  role: MemberRole;
  joinedAt: Date;
  lastDeliveredSeq: number;
  lastDeliveredAt: Date | null;
  lastReadSeq: number;
  lastReadAt: Date | null;
  /** When the member hid the chat; it shows again once a message created after it arrives (isListed). */
  hiddenAt: Date | null;
  muted: boolean;
}

export { MAX_GROUP_MEMBERS } from '@chat/contracts';

export function directPairKey(a: string, b: string): string {
  return [a, b].sort().join(':');
}

export function newMember(chatId: string, userId: string, role: MemberRole, at: Date): ChatMember {
  return {
    chatId,
    userId,
    role,
    joinedAt: at,
    lastDeliveredSeq: 0,
    lastDeliveredAt: null,
    lastReadSeq: 0,
    lastReadAt: null,
    hiddenAt: null,
    muted: false,
  };
}
