import { Injectable } from '@nestjs/common';
import {
  ChangesPage,
  ChangesQuery,
  ChatsClient,
  DEFAULT_SEARCH_PAGE,
  MAX_SEARCH_PAGE,
  EditMessage,
  LIVE_FANOUT_MAX_MEMBERS,
  ErrorCodes,
  HistoryPage,
  HistoryQuery,
  MAX_TEXT_LENGTH,
  MessageCreatedEvent,
  MessageDeletedEvent,
  MessageDto,
  MemberReadStateDto,
  MessageEditedEvent,
  MessageReadStateChangedEvent,
  MessageRef,
  MessagesEvents,
  MembersChangedEvent,
  MovePointer,
  ReadStatesQuery,
  SearchMessagesQuery,
  SearchResultPage,
  SendMessage,
} from '@chat/contracts';
import { DomainError, OutboxEvent, OutboxRelay } from '@chat/platform';
import { randomUUID } from 'node:crypto';
import { decodeChangeCursor, encodeChangeCursor } from './change-cursor';
import { DEFAULT_HISTORY_PAGE, MAX_CHANGES_PAGE, MAX_HISTORY_PAGE, meaningfulText, Message } from './domain/message';
import { ChatMembership, MemberPointers, unreadCount } from './domain/read-pointers';
import { toMessageDto, toReadState, withReceipts } from './message-views';
import { decodeSearchCursor, encodeSearchCursor } from './search/search-cursor';
import { matchRanges, searchTerms } from './search/search-terms';
import { MessageRepository } from './persistence/message.repository';

// "Not a member" and "does not exist" are one answer, so nobody learns which chats and messages exist.
const chatNotFound = () => new DomainError(ErrorCodes.CHAT_NOT_FOUND, 'Chat not found');
const messageNotFound = () => new DomainError(ErrorCodes.MESSAGE_NOT_FOUND, 'Message not found');

/** Who reads a chat's pages: the chat's kind and its members' read pointers, which the receipts come from. */
interface Reader {
  kind: ChatMembership['kind'];
  states: MemberReadStateDto[];
}

const memberIdsOf = (membership: ChatMembership) => membership.members.map((m) => m.userId);

/**
 * Messages and their order, and each member's pointers. Who is in a chat comes from Chats' events (a projection
 * in Messages' own store), so a send in the steady state asks no other module anything. Every event is recorded in the outbox with
 * the change it reports and relayed after the commit.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessageRepository,
    private readonly chats: ChatsClient,
    private readonly relay: OutboxRelay,
  ) {}

  async send({ senderId, chatId, clientMessageId, text, image, replyToId }: SendMessage): Promise<MessageDto> {
    const kind = await this.kindFor(chatId, senderId);
    const retried = await this.messages.findByClientId(chatId, senderId, clientMessageId);
    // A retry of a stored send gets the same answer; its event is in the outbox already (or relayed).
    if (retried) return this.acknowledge(retried, kind);

    const body = meaningfulText(text);
    if (!body && !image) throw new DomainError(ErrorCodes.MESSAGE_EMPTY, 'A message needs text or an image');
    if (body && body.length > MAX_TEXT_LENGTH) throw new DomainError(ErrorCodes.VALIDATION_FAILED, `Text is limited to ${MAX_TEXT_LENGTH} characters`);
    const replyTo = replyToId ? await this.visibleInChat(replyToId, chatId, senderId) : null;
    if (replyToId && !replyTo) throw new DomainError(ErrorCodes.MESSAGE_INVALID_REPLY, 'The message replied to is not in this chat');

    const { message, created } = await this.messages.insertNext(
      {
      id: randomUUID(),
      chatId,
      senderId,
      clientMessageId,
      text: body,
      image: image ?? null,
      replyToId: replyTo?.id ?? null,
      createdAt: new Date(),
      editedAt: null,
      deletedAt: null,
      },
      (stored, members) => [createdEvent(toMessageDto(stored, replyTo), members)],
    );
    if (!created) return this.acknowledge(message, kind);
    this.relay.kick();
    return withReceipts([toMessageDto(message, replyTo)], kind, [])[0];
  }

  async edit({ userId, messageId, text }: EditMessage): Promise<MessageDto> {
    const { message, membership } = await this.requireOwnLiveMessage(messageId, userId);
    const body = meaningfulText(text);
    if (!body && !message.image) throw new DomainError(ErrorCodes.MESSAGE_EMPTY, 'A message needs text or an image');
    const replyTo = await this.replyOf(message);
    const edited = await this.messages.updateText(message.id, body, new Date(), (stored) => [
      { pattern: MessagesEvents.edited, payload: { message: toMessageDto(stored, replyTo), memberIds: memberIdsOf(membership) } satisfies MessageEditedEvent },
    ]);
    // Deleted meanwhile (a race with delete for everyone): the same answer as when it was deleted before.
    if (!edited) throw new DomainError(ErrorCodes.MESSAGE_DELETED, 'The message was deleted');
    this.relay.kick();
    return toMessageDto(edited, replyTo);
  }

  async deleteForEveryone({ userId, messageId }: MessageRef): Promise<MessageDto> {
    const { message, membership } = await this.requireVisible(messageId, userId);
    if (message.senderId !== userId) throw new DomainError(ErrorCodes.MESSAGE_NOT_SENDER, 'Only the sender can delete a message for everyone');
    // Deleting a tombstone again is a no-op answer, not an error: the client's retry sees what it wanted.
    if (message.deletedAt) return toMessageDto(message, null);
    const tombstone = await this.messages.tombstone(message.id, new Date(), (stored) => [
      {
        pattern: MessagesEvents.deleted,
        payload: { message: toMessageDto(stored, null), memberIds: memberIdsOf(membership), removedImageKey: message.image?.key ?? null } satisfies MessageDeletedEvent,
      },
    ]);
    if (!tombstone) return toMessageDto((await this.messages.findById(message.id))!, null);
    this.relay.kick();
    return toMessageDto(tombstone, null);
  }

  async deleteForMe({ userId, messageId }: MessageRef): Promise<void> {
    const { message } = await this.requireVisible(messageId, userId);
    await this.messages.hideFor(userId, message);
  }

  async get({ userId, messageId }: MessageRef): Promise<MessageDto> {
    const { message, membership } = await this.requireVisible(messageId, userId);
    return withReceipts([toMessageDto(message, await this.replyOf(message))], membership.kind, membership.members.map(toReadState))[0];
  }

  markRead({ userId, chatId, seq }: MovePointer): Promise<MemberReadStateDto> {
    return this.movePointers(userId, chatId, seq, true);
  }

  markDelivered({ userId, chatId, seq }: MovePointer): Promise<MemberReadStateDto> {
    return this.movePointers(userId, chatId, seq, false);
  }

  async readStates({ userId, chatId }: ReadStatesQuery): Promise<MemberReadStateDto[]> {
    return (await this.membershipOf(chatId, userId)).members.map(toReadState);
  }

  /** Chats' membership, applied whatever the order and however often it comes (newest version wins). */
  async onMembersChanged({ chatId, kind, version, memberIds }: MembersChangedEvent): Promise<void> {
    await this.messages.applyMembership({ chatId, kind, version, memberIds });
  }

  private async movePointers(userId: string, chatId: string, seq: number, read: boolean): Promise<MemberReadStateDto> {
    const moved = await this.messages.movePointers(chatId, userId, { read, seq, at: new Date() }, (pointers, membership) => [readStateEvent(chatId, pointers, membership)]);
    if (!moved) throw chatNotFound();
    this.relay.kick();
    return toReadState(moved);
  }

  async history({ userId, chatId, before, after, around, limit }: HistoryQuery): Promise<HistoryPage> {
    const anchors = [before, after, around].filter((v) => v !== undefined && v !== null).length;
    if (anchors > 1) throw new DomainError(ErrorCodes.VALIDATION_FAILED, 'Give at most one of before, after, around');
    const size = Math.min(Math.max(limit ?? DEFAULT_HISTORY_PAGE, 1), MAX_HISTORY_PAGE);
    const reader = await this.readerOf(chatId, userId);
    // Read before the page: a change committed meanwhile is after the cursor, so catch-up sends it (at worst
    // a second time, never not at all).
    const changeCursor = encodeChangeCursor(await this.messages.lastChangeSeq(chatId));

    let items: Message[];
    let hasOlder: boolean;
    let hasNewer: boolean;
    if (after !== undefined && after !== null) {
      const newer = await this.messages.pageAfter(chatId, userId, after, size + 1);
      items = newer.slice(0, size);
      hasNewer = newer.length > size;
      hasOlder = (await this.messages.pageBefore(chatId, userId, after + 1, 1)).length > 0;
    } else if (around) {
      const anchor = await this.visibleInChat(around, chatId, userId);
      if (!anchor) throw messageNotFound();
      const olderCount = Math.floor(size / 2);
      const older = await this.messages.pageBefore(chatId, userId, anchor.seq, olderCount + 1);
      const newer = await this.messages.pageAfter(chatId, userId, anchor.seq - 1, size - olderCount + 1);
      items = [...older.slice(0, olderCount).reverse(), ...newer.slice(0, size - olderCount)];
      hasOlder = older.length > olderCount;
      hasNewer = newer.length > size - olderCount;
    } else {
      const older = await this.messages.pageBefore(chatId, userId, before ?? null, size + 1);
      items = older.slice(0, size).reverse();
      hasOlder = older.length > size;
      hasNewer = before !== undefined && before !== null && (await this.messages.pageAfter(chatId, userId, before - 1, 1)).length > 0;
    }
    return { items: await this.pageViews(items, reader), hasOlder, hasNewer, changeCursor };
  }

  /**
   * Messages edited or deleted for everyone after the cursor, as they are now, in change order; what catch-up
   * needs besides the messages after the client's last seq. Without a cursor there is nothing to compare with:
   * no items, only the cursor to start from.
   */
  async changes({ userId, chatId, after, limit }: ChangesQuery): Promise<ChangesPage> {
    const size = Math.min(Math.max(limit ?? MAX_CHANGES_PAGE, 1), MAX_CHANGES_PAGE);
    const from = after === undefined || after === null ? null : decodeChangeCursor(after);
    // Same question and same answer to a non-member as history.
    const reader = await this.readerOf(chatId, userId);
    if (from === null) return { items: [], hasMore: false, changeCursor: encodeChangeCursor(await this.messages.lastChangeSeq(chatId)) };

    const found = await this.messages.changedAfter(chatId, userId, from, size + 1);
    const items = found.slice(0, size);
    const last = items.length ? items[items.length - 1].changeSeq! : from;
    return { items: await this.pageViews(items, reader), hasMore: found.length > size, changeCursor: encodeChangeCursor(last) };
  }

  /**
   * Full-text search over what the user may see (the repository's rules); the matched words as ranges of each
   * text. In one chat, membership is checked like history's (a non-member gets "chat not found"); over all
   * chats, the projection's chats of the user are the scope.
   */
  async search({ userId, query, chatId, order = 'newest', cursor, limit }: SearchMessagesQuery): Promise<SearchResultPage> {
    const terms = searchTerms(query);
    const size = Math.min(Math.max(limit ?? DEFAULT_SEARCH_PAGE, 1), MAX_SEARCH_PAGE);
    const scope = chatId ?? null;
    const after = cursor ? decodeSearchCursor(cursor, { terms, chatId: scope, order }) : null;
    // Point lookups, whatever the group's size; the projection then holds the user, as the query needs.
    if (scope) await this.kindFor(scope, userId);
    if (terms.length === 0) return { items: [], nextCursor: null };
    const found = await this.messages.search({ viewerId: userId, terms, chatId: scope, order, after, limit: size });
    const replies = await this.repliesOf(found.messages);
    return {
      items: found.messages.map((m) => ({ message: toMessageDto(m, m.replyToId ? (replies.get(m.replyToId) ?? null) : null), highlights: matchRanges(m.text, terms) })),
      nextCursor: found.next === null ? null : encodeSearchCursor({ terms, chatId: scope, order }, found.next),
    };
  }

  /**
   * A member reading a chat's pages, with what their receipts are computed from: one question for both, the
   * membership check and the read pointers. A non-member gets "chat not found", as for a chat that is not there.
   */
  private async readerOf(chatId: string, userId: string): Promise<Reader> {
    const membership = await this.membershipOf(chatId, userId);
    return { kind: membership.kind, states: membership.members.map(toReadState) };
  }

  /**
   * The chat's membership when `userId` is in it; "chat not found" otherwise, as for a chat that is not there.
   * From the projection; only when it does not list the user (a chat or a member newer than the last event
   * applied, or a stranger) is Chats asked, and its answer applied like an event. So a chat can be used the
   * moment it is created, and a removed member stays able to act until the removal's event is applied (docs/).
   */
  private async membershipOf(chatId: string, userId: string): Promise<ChatMembership> {
    const known = await this.messages.findMembership(chatId);
    if (known?.members.some((m) => m.userId === userId)) return known;
    await this.learnMembership(chatId, userId);
    const applied = await this.messages.findMembership(chatId);
    // A newer membership was applied meanwhile and it leaves the user out: that one is right.
    if (!applied?.members.some((m) => m.userId === userId)) throw chatNotFound();
    return applied;
  }

  /** The chat's kind when `userId` is in it, the same way as membershipOf, without loading every member (a send). */
  private async kindFor(chatId: string, userId: string): Promise<ChatMembership['kind']> {
    const known = await this.messages.memberKind(chatId, userId);
    if (known) return known;
    await this.learnMembership(chatId, userId);
    const applied = await this.messages.memberKind(chatId, userId);
    if (!applied) throw chatNotFound();
    return applied;
  }

  /** The projection missed the user: Chats is asked once, and its answer applied like an event. */
  private async learnMembership(chatId: string, userId: string): Promise<void> {
    const fresh = await this.chats.membership({ userId, chatId });
    if (!fresh.isMember || !fresh.kind) throw chatNotFound();
    await this.messages.applyMembership({ chatId, kind: fresh.kind, version: fresh.version, memberIds: fresh.memberIds });
  }

  /** A page of messages as the reader sees them: each with the message it replies to, and receipts. */
  private async pageViews(items: Message[], reader: Reader): Promise<MessageDto[]> {
    const replies = await this.repliesOf(items);
    const dtos = items.map((m) => toMessageDto(m, m.replyToId ? (replies.get(m.replyToId) ?? null) : null));
    return withReceipts(dtos, reader.kind, reader.states);
  }

  /** A send answered: the message as stored, without receipts (nobody else has read it yet). */
  private async acknowledge(message: Message, kind: ChatMembership['kind']): Promise<MessageDto> {
    return withReceipts([toMessageDto(message, await this.replyOf(message))], kind, [])[0];
  }

  private async requireVisible(messageId: string, userId: string): Promise<{ message: Message; membership: ChatMembership }> {
    const message = await this.messages.findById(messageId);
    if (!message) throw messageNotFound();
    const membership = await this.membershipOf(message.chatId, userId).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === ErrorCodes.CHAT_NOT_FOUND ? messageNotFound() : error;
    });
    if (await this.messages.isHiddenFor(userId, message)) throw messageNotFound();
    return { message, membership };
  }

  private async requireOwnLiveMessage(messageId: string, userId: string): Promise<{ message: Message; membership: ChatMembership }> {
    const found = await this.requireVisible(messageId, userId);
    if (found.message.senderId !== userId) throw new DomainError(ErrorCodes.MESSAGE_NOT_SENDER, 'Only the sender can edit a message');
    if (found.message.deletedAt) throw new DomainError(ErrorCodes.MESSAGE_DELETED, 'The message was deleted');
    return found;
  }

  private async visibleInChat(messageId: string, chatId: string, userId: string): Promise<Message | null> {
    const message = await this.messages.findById(messageId);
    if (!message || message.chatId !== chatId || (await this.messages.isHiddenFor(userId, message))) return null;
    return message;
  }

  private async replyOf(message: Message): Promise<Message | null> {
    return message.replyToId ? this.messages.findById(message.replyToId) : null;
  }

  private async repliesOf(messages: Message[]): Promise<Map<string, Message>> {
    const ids = [...new Set(messages.map((m) => m.replyToId).filter((id): id is string => Boolean(id)))];
    return new Map((await this.messages.findByIds(ids)).map((m) => [m.id, m]));
  }
}

/** One frame per member carries what their chat list needs: the message, and their unread count right after it. */
function createdEvent(message: MessageDto, members: MemberPointers[]): OutboxEvent {
  const payload: MessageCreatedEvent = {
    message,
    memberIds: members.map((m) => m.userId),
    unreadCounts: members.map((m) => (m.userId === message.senderId ? 0 : unreadCount(message.seq, m.lastReadSeq))),
  };
  return { pattern: MessagesEvents.created, payload };
}

function readStateEvent(chatId: string, pointers: MemberPointers, membership: ChatMembership): OutboxEvent {
  // In a large group only the member's own devices hear of it live (see LIVE_FANOUT_MAX_MEMBERS).
  const memberIds = membership.members.length > LIVE_FANOUT_MAX_MEMBERS ? [pointers.userId] : memberIdsOf(membership);
  const payload: MessageReadStateChangedEvent = { chatId, memberIds, ...toReadState(pointers) };
  return { pattern: MessagesEvents.readStateChanged, payload };
}
