import { LastMessagePreview } from '@chat/contracts';
import { OutboxStore, WithOutbox } from '@chat/platform';
import { PointerReport } from '../domain/chat-activity';
import { Block, BlockRecord } from '../domain/blocks';
import { Chat, ChatMember, MemberRole } from '../domain/chat';
import { GroupDetailsChange } from '../domain/group-changes';
import { MentionState } from '../domain/mentions';

/** Position in a user's chat list: newest activity first, chat id breaks ties. */
export interface ChatListCursor {
  activityAt: number;
  chatId: string;
}

/** What a chat list shows of each member: who, what role, since when. */
export type MemberListing = Pick<ChatMember, 'userId' | 'role' | 'joinedAt'>;

export interface ChatListEntry {
  chat: Chat;
  /** The listing user's own membership: pointers, unread counter, mute. */
  member: ChatMember;
  /** Everyone in the chat, in join order (joinedAt, then userId). */
  members: MemberListing[];
}

export interface ChatListPage {
  entries: ChatListEntry[];
  next: ChatListCursor | null;
}

/**
 * The Chats module's persistence port (also its DI token), bound per driver by ChatsPersistenceModule.
 * Every change of a chat's membership, roles, details or settings records `chat.members-changed`
 * (membersChangedEvent) in `outbox`, in its transaction, with the chat's next version and the change it made (one
 * version per line of the timeline). `actorId` is the user who made the change.
 */
export abstract class ChatRepository implements WithOutbox {
  abstract readonly outbox: OutboxStore;
  /** Inserts the 1:1 chat unless its pair already has one; returns the stored chat and whether it is new. */
  abstract createDirectIfAbsent(chat: Chat, members: ChatMember[]): Promise<{ chat: Chat; created: boolean }>;
  /** Version 1, the change `created` by chat.createdBy. */
  abstract createGroup(chat: Chat, members: ChatMember[]): Promise<Chat>;
  abstract findById(chatId: string): Promise<Chat | null>;
  abstract findByPairKey(pairKey: string): Promise<Chat | null>;
  abstract findMember(chatId: string, userId: string): Promise<ChatMember | null>;
  abstract listMembers(chatId: string): Promise<ChatMember[]>;
  /** The user's listed chats (isListed) with their members, newest activity first, strictly after `after`. */
  abstract listForUser(userId: string, after: ChatListCursor | null, limit: number): Promise<ChatListPage>;
  abstract chatIdsOf(userId: string): Promise<string[]>;
  /** Of `candidateIds`, the users who are in at least one chat with `userId` (each once, in no set order). */
  abstract contactsAmong(userId: string, candidateIds: string[]): Promise<string[]>;
  /** Applies what detailChanges finds changed (each change its own version); returns how many there were. */
  abstract updateDetails(chatId: string, asked: GroupDetailsChange, actorId: string): Promise<number>;
  /** Adds members not already in the chat; returns the ids actually added. */
  abstract addMembers(chatId: string, members: ChatMember[], actorId: string): Promise<string[]>;
  /**
   * Removes the member (they left when actorId is theirs). When no admin is left, the successor (successorAdmin)
   * becomes one in the same transaction, a change of its own made by nobody. False when they were not a member.
   */
  abstract removeMember(chatId: string, userId: string, actorId: string): Promise<boolean>;
  /** Makes the member an admin or not (roleChange); false when not a member or already so. */
  abstract setRole(chatId: string, userId: string, admin: boolean, actorId: string): Promise<boolean>;
  /** Hidden from the user's list until a message created after `at` arrives (isListed). */
  abstract hide(chatId: string, userId: string, at: Date): Promise<void>;
  abstract setMuted(chatId: string, userId: string, muted: boolean): Promise<void>;
  /**
   * A message event merged into the chat (mergeMessage) and the sender's pointers moved to it (sending reads
   * everything before), in one transaction: any order, any number of times, the same chat. False when the chat is gone.
   * With `mentions`, in the same transaction, the message's mentions become those of that state unless a later state
   * of it is held (isLaterMentionState): one row per mentioned member, none for anyone else.
   */
  abstract applyMessage(chatId: string, senderId: string, preview: LastMessagePreview, alsoRead?: string[], mentions?: MentionState | null): Promise<boolean>;
  /**
   * Messages' report of a member's pointers, merged by maximum (mergePointers). Mentions of the member the read
   * pointer passed are dropped with it (they never count again), so mention rows are only the unread ones.
   */
  abstract mergePointers(chatId: string, userId: string, report: PointerReport): Promise<void>;
  /** Per chat of `chatIds`, the seqs of the mentions of `userId` held (any order; unreadMentionSeqs filters them). */
  abstract mentionSeqsOf(userId: string, chatIds: string[]): Promise<Map<string, number[]>>;

  /** Up to `limit` users who share at least one chat with `userId` (each once, not the user). */
  abstract contactsOf(userId: string, limit: number): Promise<string[]>;

  /**
   * Blocks or unblocks, in one transaction with its `chat.block-changed` event (nextBlock: no change, no event).
   * The stored record after the change, or null when nothing changed.
   */
  abstract setBlock(blockerId: string, blockedId: string, blocked: boolean): Promise<BlockRecord | null>;
  /** Active blocks between `userId` and any of `otherIds`, in either direction. */
  abstract blocksAmong(userId: string, otherIds: string[]): Promise<Block[]>;
  /** The users `userId` blocks now, most recent first. */
  abstract blockedBy(userId: string): Promise<string[]>;
}
