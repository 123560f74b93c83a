import { LastMessagePreview } from '@chat/contracts';
import { Chat, ChatMember, MemberRole } from '../domain/chat';

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

/** A new message as Chats needs it: what to preview, who sent it, and its seq. */
export interface AppliedMessage {
  chatId: string;
  senderId: string;
  preview: LastMessagePreview;
}

/** A chat and all its members, as one write left them. */
export interface ChatState {
  chat: Chat;
  /** In join order (joinedAt, then userId), as listMembers gives them. */
  members: ChatMember[];
}

/** The Chats module's persistence port (also its DI token), bound per driver by ChatsPersistenceModule. */
export abstract class ChatRepository {
  /** Inserts the 1:1 chat unless its pair already has one; returns the stored chat and whether it is new. */
  abstract createDirectIfAbsent(chat: Chat, members: ChatMember[]): Promise<{ chat: Chat; created: boolean }>;
  abstract createGroup(chat: Chat, members: ChatMember[]): Promise<Chat>;
  abstract findById(chatId: string): Promise<Chat | null>;
  abstract findByPairKey(pairKey: string): Promise<Chat | null>;
  abstract findMember(chatId: string, userId: string): Promise<ChatMember | null>;
  abstract listMembers(chatId: string): Promise<ChatMember[]>;
  /** The user's visible (not hidden) chats with their members, newest activity first, strictly after `after`. */
  abstract listForUser(userId: string, after: ChatListCursor | null, limit: number): Promise<ChatListPage>;
  abstract chatIdsOf(userId: string): Promise<string[]>;
  /** Of `candidateIds`, the users who are in at least one chat with `userId` (each once, in no set order). */
  abstract contactsAmong(userId: string, candidateIds: string[]): Promise<string[]>;
  abstract updateDetails(chatId: string, changes: { title?: string; avatarUrl?: string | null }): Promise<void>;
  /** Adds members not already in the chat; returns the ids actually added. */
  abstract addMembers(chatId: string, members: ChatMember[]): Promise<string[]>;
  abstract removeMember(chatId: string, userId: string): Promise<boolean>;
  abstract setRole(chatId: string, userId: string, role: MemberRole): Promise<void>;
  /** Hidden from the user's list until a message created after `at` (see applyNewMessage). */
  abstract hide(chatId: string, userId: string, at: Date): Promise<void>;
  abstract setMuted(chatId: string, userId: string, muted: boolean): Promise<void>;
  /**
   * Moves the read (and delivered) pointer forward to `seq` (never back) and lowers the unread counter.
   * The pointer stops at the chat's lastSeq, so no message not yet sent shows as read. A `seq` beyond it (the
   * client read a message whose event is still on its way) is kept as a read-ahead: the events of messages
   * created before this call, up to `seq`, then count as read and move the pointer; later messages do not.
   */
  abstract moveReadPointer(chatId: string, userId: string, seq: number, at: Date): Promise<ChatMember | null>;
  /** Moves the delivered pointer forward to `seq` (never back), stopping at the chat's lastSeq. */
  abstract moveDeliveredPointer(chatId: string, userId: string, seq: number, at: Date): Promise<ChatMember | null>;
  /**
   * Applies a new message once: preview, lastSeq, activity, unread+1 for every member but the sender (whose
   * pointers move to it), unhide. Events may come out of order (concurrent consumers, a redelivery after a later
   * message): an older seq still counts once, without taking the preview or activity back. Returns the chat and
   * its members as this write left them (what the chat.updated snapshot shows, without reading them again), or
   * null, changing nothing, when this seq was already applied (a redelivered event) or the chat is gone.
   */
  abstract applyNewMessage(message: AppliedMessage): Promise<ChatState | null>;
  /** Replaces the preview if it shows this message (an edit or delete of the latest message). */
  abstract refreshPreview(chatId: string, preview: LastMessagePreview): Promise<boolean>;
}
