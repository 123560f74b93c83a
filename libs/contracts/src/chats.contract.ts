import { Injectable } from '@nestjs/common';
// Deep import: platform's index would pull contracts back in (platform imports only contracts' leaf files).
import { BusClient } from '@chat/platform/transport/bus-client';
import { Page } from './pagination';
import type { FilePreview } from './messages.contract';

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
  /** Authorization for other modules: is this user a member, and who are the members. */
  membership: 'chats.membership',
  /** Ids of every chat a user is in (socket room joins, sync). */
  chatIdsOf: 'chats.chat-ids-of',
  /** Of some users, those who share a chat with this one (whose presence they may see). */
  contactsAmong: 'chats.contacts-among',
  /** Everyone who shares a chat with a user (whom their profile changes reach). */
  contactsOf: 'chats.contacts-of',
  /** Block / unblock a user (idempotent); the users a user blocked. */
  block: 'chats.block',
  unblock: 'chats.unblock',
  blockedBy: 'chats.blocked-by',
} as const;

export const ChatsEvents = {
  /** A chat's summary changed for some members (title, members, hidden, muted); new messages come with their frame. */
  updated: 'chat.updated',
  /**
   * The chat's whole membership and settings as of `version`, with the one change that made that version (Messages
   * keeps a projection of it and writes the change into the timeline as a system message).
   */
  membersChanged: 'chat.members-changed',
  /** A user blocked or unblocked another (Messages keeps a projection of it; the gateway hides presence). */
  blockChanged: 'chat.block-changed',
} as const;

export type ChatKind = 'direct' | 'group';

/** A summary lists this many unread mentions at most (the badge needs one; the rest is for jumping to them). */
export const MAX_UNREAD_MENTION_SEQS = 100;

/** The creator included. Work per message does not grow with it (see docs/message-path.md). */
export const MAX_GROUP_MEMBERS = 1024;

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
  /** A file or voice message, by kind and name. Absent in previews stored before files existed. */
  file?: FilePreview | null;
  deleted: boolean;
  createdAt: string;
  /** When the message was last edited; orders edit events that arrive out of order. Absent in older previews. */
  editedAt?: string | null;
  /** A system line (someone renamed the group, added a member...); absent or null for a message someone wrote. */
  system?: SystemEvent | null;
}

export interface ChatDto {
  id: string;
  kind: ChatKind;
  /**
   * Groups: whether members who join see the messages sent before they joined (an admin setting, off by default).
   * Off, a member sees the chat from the moment they last joined. Always true for a 1:1 chat.
   */
  historyVisible: boolean;
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
  /**
   * Seqs of the messages past my read pointer that mention me (live ones, as they read now), ascending, at most
   * MAX_UNREAD_MENTION_SEQS: the chat list's `@` badge while there are any. A client drops those its read pointer
   * passes. Absent in summaries of older servers.
   */
  unreadMentionSeqs?: number[];
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
export interface UpdateGroupChat { userId: string; chatId: string; title?: string; avatarUrl?: string | null; historyVisible?: boolean }
export interface AddMembers { userId: string; chatId: string; memberIds: string[] }
export interface RemoveMember { userId: string; chatId: string; memberId: string }
export interface SetAdmin { userId: string; chatId: string; memberId: string; admin: boolean }
export interface MuteChat { userId: string; chatId: string; muted: boolean }
export type MembershipQuery = ChatRef;
/** At most CONTACTS_QUERY_MAX_USERS candidates per question. */
export interface ContactsQuery { userId: string; candidateIds: string[] }
export const CONTACTS_QUERY_MAX_USERS = 200;
export interface Membership {
  chatId: string;
  isMember: boolean;
  memberIds: string[];
  kind: ChatKind | null;
  /** The membership's version (as in `chat.members-changed`); 0 for a non-member. */
  version: number;
  /** The group's setting as of `version` (see ChatDto.historyVisible); false for a non-member. */
  historyVisible: boolean;
  /**
   * The change that made `version`, when Chats can still tell it: a group's creation (version 1). So the group's
   * first line is its creation even when its first message reaches Messages before the creation's event.
   */
  change?: SystemEvent | null;
  /** The asking user's role in the chat; null for a non-member. Absent in answers of older servers. */
  role?: 'admin' | 'member' | null;
}

export interface BlockUser { userId: string; otherUserId: string }
export interface BlockedByQuery { userId: string }
/** Of CONTACTS_OF_MAX at most (a user in many large groups is told of the first ones). */
export const CONTACTS_OF_MAX = 10_000;

/**
 * Recorded in Chats' outbox with the change. `version` grows with every change of the pair's block, so a consumer
 * keeps the newest and ignores older or repeated ones, in whatever order they arrive.
 */
export interface BlockChangedEvent {
  blockerId: string;
  blockedId: string;
  blocked: boolean;
  version: number;
}

export interface ChatUpdatedEvent {
  chatId: string;
  /** Members whose view of the chat changed; each gets their own summary from `chats.get`/`chats.list`. */
  userIds: string[];
  reason: 'members' | 'details' | 'hidden' | 'muted';
}

/**
 * What changed in a group, as its timeline tells it (a system message). Chats records one per version; Messages
 * writes each into the timeline once (keyed by the version), with the chat's next seq.
 */
export type GroupChange =
  | { type: 'created'; title: string }
  | { type: 'renamed'; title: string }
  | { type: 'photo-changed'; removed: boolean }
  | { type: 'members-added'; userIds: string[] }
  | { type: 'member-removed'; userId: string }
  | { type: 'member-left'; userId: string }
  | { type: 'admin-made'; userId: string }
  | { type: 'admin-removed'; userId: string }
  | { type: 'history-visibility-changed'; visible: boolean };

/** A system message's content: the change and who made it (null: the server did, e.g. a successor admin). */
export type SystemEvent = GroupChange & { actorId: string | null };

/**
 * Recorded in Chats' outbox in the transaction of the change. `version` grows with every change of the chat's
 * membership, roles, details or settings, so a consumer keeps the newest state and ignores older or repeated ones,
 * in whatever order they arrive; the change itself is keyed by the version.
 */
export interface MembersChangedEvent {
  chatId: string;
  kind: ChatKind;
  version: number;
  /** Everyone in the chat after the change. */
  memberIds: string[];
  added: string[];
  removed: string[];
  /** The group's history setting after the change (true for a 1:1 chat). Absent in events recorded before it. */
  historyVisible?: boolean;
  /** What this version changed and who did it; absent for a 1:1 chat and in events recorded before system messages. */
  change?: SystemEvent | null;
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
  membership(p: MembershipQuery): Promise<Membership> { return this.bus.request(ChatsPatterns.membership, p); }
  chatIdsOf(p: { userId: string }): Promise<string[]> { return this.bus.request(ChatsPatterns.chatIdsOf, p); }
  contactsAmong(p: ContactsQuery): Promise<string[]> { return this.bus.request(ChatsPatterns.contactsAmong, p); }
  contactsOf(p: { userId: string }): Promise<string[]> { return this.bus.request(ChatsPatterns.contactsOf, p); }
  block(p: BlockUser): Promise<void> { return this.bus.request(ChatsPatterns.block, p); }
  unblock(p: BlockUser): Promise<void> { return this.bus.request(ChatsPatterns.unblock, p); }
  blockedBy(p: BlockedByQuery): Promise<string[]> { return this.bus.request(ChatsPatterns.blockedBy, p); }
}
