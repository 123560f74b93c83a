import { Injectable } from '@nestjs/common';
// Deep import: platform's index would pull contracts back in (platform imports only contracts' leaf files).
import { BusClient } from '@chat/platform/transport/bus-client';
import { Page } from './pagination';

export const ChatsPatterns = {
  /** Find-or-create the one 1:1 chat of a pair (never two, also under concurrent calls). */
  openDirect: 'chats.open-direct',
  createGroup: 'chats.create-group',
  get: 'chats.get',
  list: 'chats.list',
  updateGroup: 'chats.update-group',
  addMembers: 'chats.add-members',
  removeMember: 'chats.remove-member',
  setAdmin: 'chats.set-admin',
  leave: 'chats.leave',
  hide: 'chats.hide',
  mute: 'chats.mute',
  markRead: 'chats.mark-read',
  markDelivered: 'chats.mark-delivered',
  /** Authorization for other modules: is this user a member, and who are the members. */
  membership: 'chats.membership',
  readStates: 'chats.read-states',
  /** Ids of every chat a user is in (socket room joins, sync). */
  chatIdsOf: 'chats.chat-ids-of',
  /** Of some users, those who share a chat with this one (whose presence they may see). */
  contactsAmong: 'chats.contacts-among',
} as const;

export const ChatsEvents = {
  /** A chat's summary changed for some members (preview, unread, order, title, members). */
  updated: 'chat.updated',
  /** A member's delivered or read pointer moved. */
  readStateChanged: 'chat.read-state-changed',
  membersChanged: 'chat.members-changed',
} as const;

export type ChatKind = 'direct' | 'group';

export interface ChatMemberDto {
  userId: string;
  role: 'admin' | 'member';
  joinedAt: string;
}

export interface LastMessagePreview {
  messageId: string;
  seq: number;
  senderId: string;
  /** Text, cut to a preview length; null for an image without caption or a deleted message. */
  text: string | null;
  hasImage: boolean;
  deleted: boolean;
  createdAt: string;
  /** When the message was last edited; orders edit events that arrive out of order. Absent in older previews. */
  editedAt?: string | null;
}

export interface ChatDto {
  id: string;
  kind: ChatKind;
  /** Groups only; for a 1:1 chat the UI shows the other member. */
  title: string | null;
  avatarUrl: string | null;
  members: ChatMemberDto[];
  lastSeq: number;
  createdAt: string;
  lastActivityAt: string;
}

/** One chat as one user sees it in the chat list. */
export interface ChatSummaryDto extends ChatDto {
  /** 1:1 chats: the other member's id. */
  otherUserId: string | null;
  lastMessage: LastMessagePreview | null;
  unreadCount: number;
  muted: boolean;
  lastReadSeq: number;
  lastDeliveredSeq: number;
}

export interface MemberReadStateDto {
  userId: string;
  lastDeliveredSeq: number;
  lastReadSeq: number;
  lastReadAt: string | null;
  lastDeliveredAt: string | null;
}

export interface OpenDirectChat { userId: string; otherUserId: string }
export interface CreateGroupChat { userId: string; title: string; memberIds: string[]; avatarUrl?: string | null }
export interface ChatRef { userId: string; chatId: string }
export interface ListChats { userId: string; cursor?: string | null; limit?: number }
export interface UpdateGroupChat { userId: string; chatId: string; title?: string; avatarUrl?: string | null }
export interface AddMembers { userId: string; chatId: string; memberIds: string[] }
export interface RemoveMember { userId: string; chatId: string; memberId: string }
export interface SetAdmin { userId: string; chatId: string; memberId: string; admin: boolean }
export interface MuteChat { userId: string; chatId: string; muted: boolean }
export interface MovePointer { userId: string; chatId: string; seq: number }
/** `withReadStates`: also every member's pointers (the same as chats.read-states), in the same answer. */
export interface MembershipQuery extends ChatRef { withReadStates?: boolean }
/** At most CONTACTS_QUERY_MAX_USERS candidates per question. */
export interface ContactsQuery { userId: string; candidateIds: string[] }
export const CONTACTS_QUERY_MAX_USERS = 200;
export interface Membership {
  chatId: string;
  isMember: boolean;
  memberIds: string[];
  kind: ChatKind | null;
  /** Members only, and only when asked with `withReadStates`. */
  readStates?: MemberReadStateDto[];
}

/** The personal part of a chat summary: what differs from one member to the next. */
export interface ChatMemberView {
  userId: string;
  unreadCount: number;
  muted: boolean;
  lastReadSeq: number;
  lastDeliveredSeq: number;
}

/** A chat as it was when an event was published: the shared part once, each member's own part beside it (O(members)). */
export interface ChatSnapshot {
  chat: ChatDto & { lastMessage: LastMessagePreview | null };
  views: ChatMemberView[];
}

export interface ChatUpdatedEvent {
  chatId: string;
  /** Members whose view of the chat changed; each gets their own summary from `chats.get`/`chats.list`. */
  userIds: string[];
  reason: 'message' | 'read' | 'members' | 'details' | 'hidden' | 'muted';
  /**
   * The chat right after the change (sent for new, edited and deleted messages, the busy path), so the gateway
   * can push each member's summary without one `chats.get` per member per message. Absent: fetch it.
   */
  snapshot?: ChatSnapshot;
}

/** The summary `chats.get` gives `view.userId`, built from a snapshot (Chats' toChatSummary, field for field). */
export function summaryFromSnapshot({ chat }: ChatSnapshot, view: ChatMemberView): ChatSummaryDto {
  return {
    id: chat.id,
    kind: chat.kind,
    title: chat.title,
    avatarUrl: chat.avatarUrl,
    members: chat.members,
    lastSeq: chat.lastSeq,
    createdAt: chat.createdAt,
    lastActivityAt: chat.lastActivityAt,
    otherUserId: chat.kind === 'direct' ? (chat.members.find((m) => m.userId !== view.userId)?.userId ?? null) : null,
    lastMessage: chat.lastMessage,
    unreadCount: view.unreadCount,
    muted: view.muted,
    lastReadSeq: view.lastReadSeq,
    lastDeliveredSeq: view.lastDeliveredSeq,
  };
}
export interface ReadStateChangedEvent extends MemberReadStateDto {
  chatId: string;
  memberIds: string[];
}
export interface MembersChangedEvent {
  chatId: string;
  memberIds: string[];
  added: string[];
  removed: string[];
}

/** The Chats module, as other modules see it. */
@Injectable()
export class ChatsClient {
  constructor(private readonly bus: BusClient) {}

  openDirect(p: OpenDirectChat): Promise<ChatSummaryDto> { return this.bus.request(ChatsPatterns.openDirect, p); }
  createGroup(p: CreateGroupChat): Promise<ChatSummaryDto> { return this.bus.request(ChatsPatterns.createGroup, p); }
  get(p: ChatRef): Promise<ChatSummaryDto> { return this.bus.request(ChatsPatterns.get, p); }
  list(p: ListChats): Promise<Page<ChatSummaryDto>> { return this.bus.request(ChatsPatterns.list, p); }
  updateGroup(p: UpdateGroupChat): Promise<ChatSummaryDto> { return this.bus.request(ChatsPatterns.updateGroup, p); }
  addMembers(p: AddMembers): Promise<ChatSummaryDto> { return this.bus.request(ChatsPatterns.addMembers, p); }
  removeMember(p: RemoveMember): Promise<ChatSummaryDto> { return this.bus.request(ChatsPatterns.removeMember, p); }
  setAdmin(p: SetAdmin): Promise<ChatSummaryDto> { return this.bus.request(ChatsPatterns.setAdmin, p); }
  leave(p: ChatRef): Promise<void> { return this.bus.request(ChatsPatterns.leave, p); }
  hide(p: ChatRef): Promise<void> { return this.bus.request(ChatsPatterns.hide, p); }
  mute(p: MuteChat): Promise<ChatSummaryDto> { return this.bus.request(ChatsPatterns.mute, p); }
  markRead(p: MovePointer): Promise<MemberReadStateDto> { return this.bus.request(ChatsPatterns.markRead, p); }
  markDelivered(p: MovePointer): Promise<MemberReadStateDto> { return this.bus.request(ChatsPatterns.markDelivered, p); }
  membership(p: MembershipQuery): Promise<Membership> { return this.bus.request(ChatsPatterns.membership, p); }
  readStates(p: ChatRef): Promise<MemberReadStateDto[]> { return this.bus.request(ChatsPatterns.readStates, p); }
  chatIdsOf(p: { userId: string }): Promise<string[]> { return this.bus.request(ChatsPatterns.chatIdsOf, p); }
  contactsAmong(p: ContactsQuery): Promise<string[]> { return this.bus.request(ChatsPatterns.contactsAmong, p); }
}
