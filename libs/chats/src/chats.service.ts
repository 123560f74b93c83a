import { Injectable } from '@nestjs/common';
import {
  AddMembers,
  BlockedByQuery,
  BlockUser,
  ChatRef,
  CONTACTS_OF_MAX,
  ChatsEvents,
  ChatSummaryDto,
  ChatUpdatedEvent,
  ContactsQuery,
  CreateGroupChat,
  ErrorCodes,
  ListChats,
  Membership,
  MembershipQuery,
  MuteChat,
  OpenDirectChat,
  Page,
  RemoveMember,
  SetAdmin,
  UpdateGroupChat,
  UsersClient,
  USERS_BATCH_MAX,
} from '@chat/contracts';
import { BusClient, DomainError, OutboxRelay } from '@chat/platform';
import { randomUUID } from 'node:crypto';
import { decodeChatListCursor, encodeChatListCursor } from './chat-list-cursor';
import { toChatSummary } from './chat-summaries';
import { blockedEitherWay } from './domain/blocks';
import { Chat, ChatMember, directPairKey, MAX_GROUP_MEMBERS, newMember } from './domain/chat';
import { ChatRepository } from './persistence/chat.repository';

const DEFAULT_PAGE = 30;
const MAX_PAGE = 100;

/** Not a member and no such chat are one answer, so nobody learns which chats exist. */
const chatNotFound = () => new DomainError(ErrorCodes.CHAT_NOT_FOUND, 'Chat not found');

@Injectable()
export class ChatsService {
  constructor(
    private readonly chats: ChatRepository,
    private readonly users: UsersClient,
    private readonly bus: BusClient,
    private readonly relay: OutboxRelay,
  ) {}

  async openDirect({ userId, otherUserId }: OpenDirectChat): Promise<ChatSummaryDto> {
    if (userId === otherUserId) throw new DomainError(ErrorCodes.CHAT_INVALID_MEMBERS, 'A 1:1 chat needs another person');
    const pairKey = directPairKey(userId, otherUserId);
    const existing = await this.chats.findByPairKey(pairKey);
    if (existing) return this.summaryFor(existing.id, userId);
    await this.requireUsers([otherUserId]);
    // An existing chat stays readable; only a new one is refused while either of the two blocks the other.
    const [block] = await this.chats.blocksAmong(userId, [otherUserId]);
    if (block) {
      throw new DomainError(ErrorCodes.CHAT_BLOCKED, block.blockerId === userId ? 'You blocked this person; unblock them to start a chat' : 'You cannot start a chat with this person');
    }
    const now = new Date();
    const chat: Chat = {
      id: randomUUID(), kind: 'direct', pairKey, title: null, avatarUrl: null, createdBy: userId, createdAt: now, lastSeq: 0, lastActivityAt: now, lastMessage: null,
      membersVersion: 1, historyVisible: true,
    };
    // The unique pair key settles races: the loser gets the winner's chat back.
    const { chat: stored, created } = await this.chats.createDirectIfAbsent(chat, [
      newMember(chat.id, userId, 'member', now),
      newMember(chat.id, otherUserId, 'member', now),
    ]);
    if (created) this.relay.kick();
    return this.summaryFor(stored.id, userId);
  }

  async createGroup({ userId, title, memberIds, avatarUrl }: CreateGroupChat): Promise<ChatSummaryDto> {
    const others = [...new Set(memberIds)].filter((id) => id !== userId);
    if (others.length + 1 > MAX_GROUP_MEMBERS) throw new DomainError(ErrorCodes.CHAT_INVALID_MEMBERS, `A group has at most ${MAX_GROUP_MEMBERS} members`);
    await this.requireUsers(others);
    await this.refuseBlockedBy(userId, others);
    const now = new Date();
    const chat: Chat = {
      id: randomUUID(),
      kind: 'group',
      pairKey: null,
      title: title.trim(),
      avatarUrl: avatarUrl ?? null,
      createdBy: userId,
      createdAt: now,
      lastSeq: 0,
      lastActivityAt: now,
      lastMessage: null,
      membersVersion: 1,
      historyVisible: false,
    };
    await this.chats.createGroup(chat, [newMember(chat.id, userId, 'admin', now), ...others.map((id) => newMember(chat.id, id, 'member', now))]);
    this.relay.kick();
    return this.summaryFor(chat.id, userId);
  }

  async get({ userId, chatId }: ChatRef): Promise<ChatSummaryDto> {
    return this.summaryFor(chatId, userId);
  }

  async list({ userId, cursor, limit }: ListChats): Promise<Page<ChatSummaryDto>> {
    const size = Math.min(Math.max(limit ?? DEFAULT_PAGE, 1), MAX_PAGE);
    const page = await this.chats.listForUser(userId, decodeChatListCursor(cursor), size);
    const mentions = await this.chats.mentionSeqsOf(userId, page.entries.map((e) => e.chat.id));
    return {
      items: page.entries.map(({ chat, member, members }) => toChatSummary(chat, members, member, mentions.get(chat.id))),
      nextCursor: page.next ? encodeChatListCursor(page.next) : null,
    };
  }

  /** Each real change is a line of the timeline, and its event pushes the new summary to the members. */
  async updateGroup({ userId, chatId, title, avatarUrl, historyVisible }: UpdateGroupChat): Promise<ChatSummaryDto> {
    const { chat } = await this.requireAdmin(chatId, userId);
    if (await this.chats.updateDetails(chat.id, { title: title?.trim(), avatarUrl, historyVisible }, userId)) this.relay.kick();
    return this.summaryFor(chatId, userId);
  }

  async addMembers({ userId, chatId, memberIds }: AddMembers): Promise<ChatSummaryDto> {
    await this.requireAdmin(chatId, userId);
    const current = await this.chats.listMembers(chatId);
    const candidates = [...new Set(memberIds)].filter((id) => !current.some((m) => m.userId === id));
    if (current.length + candidates.length > MAX_GROUP_MEMBERS) throw new DomainError(ErrorCodes.CHAT_INVALID_MEMBERS, `A group has at most ${MAX_GROUP_MEMBERS} members`);
    await this.requireUsers(candidates);
    await this.refuseBlockedBy(userId, candidates);
    const now = new Date();
    const added = await this.chats.addMembers(chatId, candidates.map((id) => newMember(chatId, id, 'member', now)), userId);
    if (added.length) this.relay.kick();
    return this.summaryFor(chatId, userId);
  }

  async removeMember({ userId, chatId, memberId }: RemoveMember): Promise<ChatSummaryDto> {
    await this.requireAdmin(chatId, userId);
    if (memberId === userId) throw new DomainError(ErrorCodes.CHAT_INVALID_MEMBERS, 'To remove yourself, leave the group');
    if (!(await this.chats.findMember(chatId, memberId))) throw new DomainError(ErrorCodes.CHAT_INVALID_MEMBERS, 'Not a member of this chat');
    await this.chats.removeMember(chatId, memberId, userId);
    this.relay.kick();
    return this.summaryFor(chatId, userId);
  }

  async setAdmin({ userId, chatId, memberId, admin }: SetAdmin): Promise<ChatSummaryDto> {
    await this.requireAdmin(chatId, userId);
    const members = await this.chats.listMembers(chatId);
    const target = members.find((m) => m.userId === memberId);
    if (!target) throw new DomainError(ErrorCodes.CHAT_INVALID_MEMBERS, 'Not a member of this chat');
    if (!admin && target.role === 'admin' && members.filter((m) => m.role === 'admin').length === 1) {
      throw new DomainError(ErrorCodes.CHAT_INVALID_MEMBERS, 'A group keeps at least one admin');
    }
    if (await this.chats.setRole(chatId, memberId, admin, userId)) this.relay.kick();
    return this.summaryFor(chatId, userId);
  }

  async leave({ userId, chatId }: ChatRef): Promise<void> {
    const { chat } = await this.requireMember(chatId, userId);
    if (chat.kind !== 'group') throw new DomainError(ErrorCodes.CHAT_NOT_GROUP, 'A 1:1 chat cannot be left; hide it instead');
    await this.chats.removeMember(chatId, userId, userId);
    this.relay.kick();
  }

  async hide({ userId, chatId }: ChatRef): Promise<void> {
    await this.requireMember(chatId, userId);
    await this.chats.hide(chatId, userId, new Date());
    await this.publishUpdated(chatId, [userId], 'hidden');
  }

  async mute({ userId, chatId, muted }: MuteChat): Promise<ChatSummaryDto> {
    await this.requireMember(chatId, userId);
    await this.chats.setMuted(chatId, userId, muted);
    await this.publishUpdated(chatId, [userId], 'muted');
    return this.summaryFor(chatId, userId);
  }

  /**
   * Other modules' authorization question. A non-member learns nothing about the chat. The version is read
   * before the members: if a change lands in between, the members are newer than the version says, and the
   * change's own event (a higher version) follows, so a projection built from this answer is never left behind.
   */
  async membership({ userId, chatId }: MembershipQuery): Promise<Membership> {
    const chat = await this.chats.findById(chatId);
    const members = chat ? await this.chats.listMembers(chatId) : [];
    const me = chat ? members.find((m) => m.userId === userId) : undefined;
    if (!chat || !me) return { chatId, isMember: false, memberIds: [], kind: null, version: 0, historyVisible: false, role: null };
    return {
      chatId, isMember: true, memberIds: members.map((m) => m.userId), kind: chat.kind, version: chat.membersVersion, role: me.role,
      historyVisible: chat.kind === 'direct' || chat.historyVisible,
      change: chat.kind === 'group' && chat.membersVersion === 1 ? { type: 'created', title: chat.title ?? '', actorId: chat.createdBy } : null,
    };
  }

  /**
   * Presence is for people one talks with: anyone else's online state and last seen stay private, and so do those
   * of two people when either blocked the other.
   */
  async contactsAmong({ userId, candidateIds }: ContactsQuery): Promise<string[]> {
    return this.withoutBlocked(userId, await this.chats.contactsAmong(userId, [...new Set(candidateIds)]));
  }

  /** Whom a user's profile changes reach: the people they share a chat with (not across a block). */
  async contactsOf({ userId }: { userId: string }): Promise<string[]> {
    return this.withoutBlocked(userId, await this.chats.contactsOf(userId, CONTACTS_OF_MAX));
  }

  /** Idempotent: blocking twice is one block (and one event). */
  async block({ userId, otherUserId }: BlockUser): Promise<void> {
    if (userId === otherUserId) throw new DomainError(ErrorCodes.VALIDATION_FAILED, 'You cannot block yourself');
    await this.requireUsers([otherUserId]);
    if (await this.chats.setBlock(userId, otherUserId, true)) this.relay.kick();
  }

  async unblock({ userId, otherUserId }: BlockUser): Promise<void> {
    if (await this.chats.setBlock(userId, otherUserId, false)) this.relay.kick();
  }

  blockedBy({ userId }: BlockedByQuery): Promise<string[]> {
    return this.chats.blockedBy(userId);
  }

  private async withoutBlocked(userId: string, ids: string[]): Promise<string[]> {
    const blocked = blockedEitherWay(userId, ids, await this.chats.blocksAmong(userId, ids));
    return blocked.size ? ids.filter((id) => !blocked.has(id)) : ids;
  }

  /** Nobody is put into a group by someone they blocked. */
  private async refuseBlockedBy(userId: string, candidates: string[]): Promise<void> {
    const blockers = (await this.chats.blocksAmong(userId, candidates)).filter((b) => b.blockedId === userId).map((b) => b.blockerId);
    if (blockers.length) throw new DomainError(ErrorCodes.CHAT_BLOCKED, 'Some of these people cannot be added by you', { userIds: blockers });
  }

  chatIdsOf({ userId }: { userId: string }): Promise<string[]> {
    return this.chats.chatIdsOf(userId);
  }

  private async summaryFor(chatId: string, userId: string): Promise<ChatSummaryDto> {
    const { chat, member } = await this.requireMember(chatId, userId);
    const mentions = await this.chats.mentionSeqsOf(userId, [chatId]);
    return toChatSummary(chat, await this.chats.listMembers(chatId), member, mentions.get(chatId));
  }

  private async requireMember(chatId: string, userId: string): Promise<{ chat: Chat; member: ChatMember }> {
    const member = await this.chats.findMember(chatId, userId);
    const chat = member ? await this.chats.findById(chatId) : null;
    if (!member || !chat) throw chatNotFound();
    return { chat, member };
  }

  private async requireAdmin(chatId: string, userId: string): Promise<{ chat: Chat; member: ChatMember }> {
    const found = await this.requireMember(chatId, userId);
    if (found.chat.kind !== 'group') throw new DomainError(ErrorCodes.CHAT_NOT_GROUP, 'Only groups have a title, members and admins to change');
    if (found.member.role !== 'admin') throw new DomainError(ErrorCodes.CHAT_NOT_ADMIN, 'Only an admin of the group can do this');
    return found;
  }

  private async requireUsers(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += USERS_BATCH_MAX) for (const user of await this.users.getMany({ ids: ids.slice(i, i + USERS_BATCH_MAX) })) found.add(user.id);
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw new DomainError(ErrorCodes.USER_NOT_FOUND, 'Unknown user', { userIds: missing });
  }

  private publishUpdated(chatId: string, userIds: string[], reason: ChatUpdatedEvent['reason']): Promise<void> {
    return this.bus.publish<ChatUpdatedEvent>(ChatsEvents.updated, { chatId, userIds, reason });
  }
}
