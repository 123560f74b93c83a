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
  /** Highest message seq applied from Messages' events (the latest message the chat knows of). */
  lastSeq: number;
  lastActivityAt: Date;
  lastMessage: LastMessagePreview | null;
}

export type MemberRole = 'admin' | 'member';

/** One member's own state in one chat: pointers and counters live here, never on messages. */
export interface ChatMember {
  chatId: string;
  userId: string;
  role: MemberRole;
  joinedAt: Date;
  lastDeliveredSeq: number;
  lastDeliveredAt: Date | null;
  lastReadSeq: number;
  lastReadAt: Date | null;
  /** Stored and kept by the event handlers, so the chat list never counts messages. */
  unreadCount: number;
  hidden: boolean;
  muted: boolean;
}

export const MAX_GROUP_MEMBERS = 1024;
export const PREVIEW_LENGTH = 120;

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
    unreadCount: 0,
    hidden: false,
    muted: false,
  };
}
