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
  MAX_MENTIONS_PER_MESSAGE,
  MAX_TEXT_LENGTH,
  mentionedIds,
  MessageCreatedEvent,
  MessageDeletedEvent,
  MessageDto,
  MemberReadStateDto,
  MessageEditedEvent,
  MessageReadStateChangedEvent,
  MessageRef,
  MessagesEvents,
  MembersChangedEvent,
  MessageReactionsChangedEvent,
  BlockChangedEvent,
  ForwardMessage,
  MAX_PINS_PER_CHAT,
  MessagePinChangedEvent,
  PinDto,
  PinRef,
  PinsQuery,
  MovePointer,
  ReactionDto,
  ReactToMessage,
  ReadStatesQuery,
  SearchMessagesQuery,
  SearchResultPage,
  SendMessage,
  SystemEvent,
  ChatKind,
} from '@chat/contracts';
import { DomainError, OutboxEvent, OutboxRelay } from '@chat/platform';
import { decodeChangeCursor, encodeChangeCursor } from './change-cursor';
import { BlockState, directBlock } from './domain/blocks';
import { DEFAULT_HISTORY_PAGE, MAX_CHANGES_PAGE, MAX_HISTORY_PAGE, meaningfulText, Message, MessageDraft, newMessageId } from './domain/message';
import { mayPin, Pin } from './domain/pins';
import { ChatMembership, MemberPointers, unreadCount } from './domain/read-pointers';
import { mayAddReaction, normalizeReactionEmoji, reactionsBySeq, summarizeReactions } from './domain/reactions';
import { isReservedClientId, systemMessageDraft } from './domain/system-messages';
import { isVisibleFrom, membersNotSeeing, membersSeeing } from './domain/visibility';
import { toMessageDto, toMessageDtoFor, toPinDto, toReadState, withReceipts } from './message-views';
import { MessageRepository, SendFacts, SystemMessageWrite, Viewer } from './persistence/message.repository';
import { decodeSearchCursor, encodeSearchCursor } from './search/search-cursor';
import { matchRanges, searchTerms } from './search/search-terms';

// "Not a member" and "does not exist" are one answer, so nobody learns which chats and messages exist.
const chatNotFound = () => new DomainError(ErrorCodes.CHAT_NOT_FOUND, 'Chat not found');
const messageNotFound = () => new DomainError(ErrorCodes.MESSAGE_NOT_FOUND, 'Message not found');

/**
 * Who reads a chat's pages: what they may see (their floor, their hidden messages), the chat's kind and its members'
 * read pointers, which the receipts come from.
 */
interface Reader {
  viewer: Viewer;
  kind: ChatMembership['kind'];
  states: MemberReadStateDto[];
}

const memberIdsOf = (membership: ChatMembership) => membership.members.map((m) => m.userId);
/** Send facts that list the sender as a member (their chat's kind known). */
const isMember = (facts: SendFacts): facts is SendFacts & { kind: ChatMembership['kind'] } => facts.kind !== null;

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

  async send({ senderId, chatId, clientMessageId, text, image, file, replyToId, sentFrom }: SendMessage): Promise<MessageDto> {
    if (isReservedClientId(clientMessageId)) throw new DomainError(ErrorCodes.VALIDATION_FAILED, 'clientMessageId may not start with "system:"');
    const facts = await this.sendFactsOf(chatId, senderId, clientMessageId);
    const kind = facts.kind;
    // A retry of a stored send gets the same answer; its event is in the outbox already (or relayed).
    if (facts.stored) return this.acknowledge(facts.stored, kind);

    const body = meaningfulText(text);
    if (!body && !image && !file) throw new DomainError(ErrorCodes.MESSAGE_EMPTY, 'A message needs text, an image or a file');
    if (image && file) throw new DomainError(ErrorCodes.VALIDATION_FAILED, 'A message carries an image or a file, not both');
    if (body && body.length > MAX_TEXT_LENGTH) throw new DomainError(ErrorCodes.VALIDATION_FAILED, `Text is limited to ${MAX_TEXT_LENGTH} characters`);
    if (kind === 'direct' && facts.otherMemberId) assertNoBlock(senderId, facts.otherMemberId, facts.blocks);
    await this.assertMentionsMembers(chatId, senderId, body);
    const replyTo = replyToId ? await this.visibleInChat(replyToId, chatId, await this.viewerOf(chatId, senderId)) : null;
    if (replyToId && !replyTo) throw new DomainError(ErrorCodes.MESSAGE_INVALID_REPLY, 'The message replied to is not in this chat');

    return this.store(
      {
        id: newMessageId(),
        chatId,
        senderId,
        clientMessageId,
        text: body,
        image: image ?? null,
        file: file ?? null,
        replyToId: replyTo?.id ?? null,
        createdAt: new Date(),
        editedAt: null,
        deletedAt: null,
        system: null,
        forwarded: false,
      },
      kind,
      replyTo,
      sentFrom ?? null,
    );
  }

  /**
   * A copy of a message the user can see, sent by them into another chat they are in, like a send (same checks,
   * same event, idempotent by clientMessageId). Text and media are copied; the copy says only that it was
   * forwarded, never from where or whom. A forwarded image shares its original's file (see mediaKeyInUse).
   */
  async forward({ userId, messageId, toChatId, clientMessageId }: ForwardMessage): Promise<MessageDto> {
    const kind = await this.kindFor(toChatId, userId);
    const retried = await this.messages.findByClientId(toChatId, userId, clientMessageId);
    if (retried) return this.acknowledge(retried, kind);
    const { message: original } = await this.requireVisible(messageId, userId);
    if (original.deletedAt) throw new DomainError(ErrorCodes.MESSAGE_DELETED, 'The message was deleted');
    // A group's own line ("Ada added Bob") means nothing in another chat.
    if (original.system) throw new DomainError(ErrorCodes.VALIDATION_FAILED, 'A group\'s own timeline lines cannot be forwarded');
    if (kind === 'direct') await this.assertNotBlocked(toChatId, userId);
    return this.store(
      {
        id: newMessageId(),
        chatId: toChatId,
        senderId: userId,
        clientMessageId,
        text: original.text,
        image: original.image,
        file: original.file,
        replyToId: null,
        createdAt: new Date(),
        editedAt: null,
        deletedAt: null,
        system: null,
        forwarded: true,
      },
      kind,
      null,
    );
  }

  private async store(draft: MessageDraft, kind: ChatMembership['kind'], replyTo: Message | null, sentFrom: string | null = null): Promise<MessageDto> {
    // The stored message's view, made once for its event and its answer (nobody changes either once made).
    let view: MessageDto | null = null;
    const { message, created } = await this.messages.insertNext(draft, (stored, members) => [createdEvent((view = toMessageDto(stored, replyTo)), members, sentFrom)]);
    if (!created) return this.acknowledge(message, kind);
    this.relay.kick();
    return withReceipts([view ?? toMessageDto(message, replyTo)], kind, [])[0];
  }

  /**
   * A 1:1 message goes only while neither person blocks the other, from Messages' projection of Chats' blocks (no
   * question to Chats on a send). The sender hears whose block it is: their own (they can lift it) or the other's.
   */
  private async assertNotBlocked(chatId: string, senderId: string): Promise<void> {
    const other = await this.messages.otherMember(chatId, senderId);
    if (other) assertNoBlock(senderId, other, await this.messages.blocksBetween(senderId, other));
  }

  /**
   * What a send checks, in one read of the projection (SendFacts). When it does not list the sender, Chats is asked
   * once (as kindFor does); "not a member" and "no such chat" stay one answer.
   */
  private async sendFactsOf(chatId: string, senderId: string, clientMessageId: string): Promise<SendFacts & { kind: ChatMembership['kind'] }> {
    const facts = await this.messages.sendFacts(chatId, senderId, clientMessageId);
    if (isMember(facts)) return facts;
    await this.learnMembership(chatId, senderId);
    const learned = await this.messages.sendFacts(chatId, senderId, clientMessageId);
    if (!isMember(learned)) throw chatNotFound();
    return learned;
  }

  /**
   * Whoever the text mentions is a member of the chat now: one point lookup per mentioned person in the projection
   * (never per member of the group); only when it misses someone (a member added a moment ago) is Chats asked, once.
   * Refused as a whole, so a stored text never mentions a stranger.
   */
  private async assertMentionsMembers(chatId: string, senderId: string, text: string | null): Promise<void> {
    const ids = mentionedIds(text);
    if (ids.length === 0) return;
    if (ids.length > MAX_MENTIONS_PER_MESSAGE) throw new DomainError(ErrorCodes.VALIDATION_FAILED, `A message mentions at most ${MAX_MENTIONS_PER_MESSAGE} people`);
    const known = await Promise.all(ids.map((id) => this.messages.findMember(chatId, id)));
    let missing = ids.filter((_, i) => !known[i]);
    if (missing.length) {
      const members = new Set((await this.chats.membership({ userId: senderId, chatId })).memberIds);
      missing = missing.filter((id) => !members.has(id));
    }
    if (missing.length) throw new DomainError(ErrorCodes.MESSAGE_INVALID_MENTION, 'A message can mention members of its chat only', { userIds: missing });
  }

  async edit({ userId, messageId, text }: EditMessage): Promise<MessageDto> {
    const { message, membership } = await this.requireOwnLiveMessage(messageId, userId);
    const body = meaningfulText(text);
    if (!body && !message.image && !message.file) throw new DomainError(ErrorCodes.MESSAGE_EMPTY, 'A message needs text, an image or a file');
    await this.assertMentionsMembers(message.chatId, userId, body);
    const replyTo = await this.replyOf(message);
    let reactions: ReactionDto[] = [];
    // The edit carries the reactions as they are in its transaction: an edit keeps them.
    const edited = await this.messages.updateText(message.id, body, new Date(), (stored, current) => {
      reactions = summarizeReactions(current);
      return [{ pattern: MessagesEvents.edited, payload: editedEvent(toMessageDto(stored, replyTo, reactions), membership) }];
    });
    // Deleted meanwhile (a race with delete for everyone): the same answer as when it was deleted before.
    if (!edited) throw new DomainError(ErrorCodes.MESSAGE_DELETED, 'The message was deleted');
    this.relay.kick();
    return toMessageDtoFor(edited, replyTo, floorOf(membership, userId), reactions);
  }

  /**
   * Adds or removes the user's reaction with one emoji to a message they can see; asking for what is already so
   * answers the message as it is (a retry is harmless). Any member may react to any live message.
   */
  async react({ userId, messageId, emoji, on }: ReactToMessage): Promise<MessageDto> {
    const normalized = normalizeReactionEmoji(emoji);
    if (!normalized) throw new DomainError(ErrorCodes.REACTION_INVALID, 'A reaction is exactly one emoji');
    const { message, membership } = await this.requireVisible(messageId, userId);
    if (message.deletedAt) throw new DomainError(ErrorCodes.MESSAGE_DELETED, 'The message was deleted');
    const outcome = await this.messages.setReaction(
      message.id,
      { userId, emoji: normalized, on, at: new Date() },
      (inUse) => mayAddReaction(inUse, normalized),
      (stored, reactions) => [reactionsEvent(stored, summarizeReactions(reactions), membership)],
    );
    if (outcome.kind === 'gone') throw new DomainError(ErrorCodes.MESSAGE_DELETED, 'The message was deleted');
    if (outcome.kind === 'refused') throw new DomainError(ErrorCodes.REACTION_TOO_MANY, 'This message has as many different reactions as it can take; use one of those');
    if (outcome.kind === 'changed') this.relay.kick();
    const view = toMessageDtoFor(outcome.message, await this.replyOf(outcome.message), floorOf(membership, userId), summarizeReactions(outcome.reactions));
    return withReceipts([view], membership.kind, membership.members.map(toReadState))[0];
  }

  async deleteForEveryone({ userId, messageId }: MessageRef): Promise<MessageDto> {
    const { message, membership } = await this.requireVisible(messageId, userId);
    if (message.senderId !== userId) throw new DomainError(ErrorCodes.MESSAGE_NOT_SENDER, 'Only the sender can delete a message for everyone');
    // Deleting a tombstone again is a no-op answer, not an error: the client's retry sees what it wanted.
    if (message.deletedAt) return toMessageDto(message, null);
    // A forwarded copy (or the original of one) still showing the file keeps it: the last one to go removes it.
    const imageKey = message.image?.key ?? null;
    const removedImageKey = imageKey && !(await this.messages.mediaKeyInUse(imageKey, message.id)) ? imageKey : null;
    const fileKey = message.file?.key ?? null;
    const removedFileKey = fileKey && !(await this.messages.mediaKeyInUse(fileKey, message.id)) ? fileKey : null;
    const tombstone = await this.messages.tombstone(message.id, new Date(), (stored) => [
      {
        pattern: MessagesEvents.deleted,
        // Only to those who may see the message: the others never had it.
        payload: {
          message: toMessageDto(stored, null),
          memberIds: membersSeeing(membership.members, stored.seq),
          removedImageKey,
          removedFileKey,
        } satisfies MessageDeletedEvent,
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
    const reactions = summarizeReactions(await this.messages.reactionsOf(message.chatId, [message.seq]));
    const dto = toMessageDtoFor(message, await this.replyOf(message), floorOf(membership, userId), reactions);
    return withReceipts([dto], membership.kind, membership.members.map(toReadState))[0];
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

  /**
   * Pins a message of the chat for every member (a 1:1 chat: either member; a group: an admin, asked of Chats,
   * which owns roles; pins are rare, so this question is not on the send path). Pinning it again is no change.
   */
  async pin({ userId, chatId, messageId }: PinRef): Promise<PinDto> {
    const { message, membership } = await this.requirePinnable(userId, chatId, messageId);
    if (message.deletedAt) throw new DomainError(ErrorCodes.MESSAGE_DELETED, 'The message was deleted');
    const pin: Pin = { chatId, messageId, seq: message.seq, pinnedBy: userId, pinnedAt: new Date() };
    const outcome = await this.messages.pin(pin, MAX_PINS_PER_CHAT, (stored) => [pinEvent(toPinDto(stored, message), true, membership)]);
    if (outcome === 'full') throw new DomainError(ErrorCodes.MESSAGE_TOO_MANY_PINS, `A chat holds at most ${MAX_PINS_PER_CHAT} pinned messages; unpin one first`);
    if (outcome === 'pinned') {
      this.relay.kick();
      return toPinDto(pin, message);
    }
    const held = (await this.messages.listPins(chatId)).find((p) => p.messageId === messageId);
    return toPinDto(held ?? pin, message);
  }

  /** Unpins it (the same rule as pin); unpinning what is not pinned is no change. */
  async unpin({ userId, chatId, messageId }: PinRef): Promise<void> {
    const { message, membership } = await this.requirePinnable(userId, chatId, messageId);
    if (await this.messages.unpin(chatId, messageId, (stored) => [pinEvent(toPinDto(stored, message), false, membership)])) this.relay.kick();
  }

  /** The chat's pins, newest first, each with what its message shows now. */
  async pins({ userId, chatId }: PinsQuery): Promise<PinDto[]> {
    await this.membershipOf(chatId, userId);
    const pins = await this.messages.listPins(chatId);
    const messages = new Map((await this.messages.findByIds(pins.map((p) => p.messageId))).map((m) => [m.id, m]));
    return pins.filter((p) => messages.has(p.messageId)).map((p) => toPinDto(p, messages.get(p.messageId)!));
  }

  private async requirePinnable(userId: string, chatId: string, messageId: string): Promise<{ message: Message; membership: ChatMembership }> {
    const found = await this.requireVisible(messageId, userId);
    if (found.message.chatId !== chatId) throw messageNotFound();
    if (found.membership.kind === 'group') {
      const { role } = await this.chats.membership({ userId, chatId });
      if (!mayPin('group', role)) throw new DomainError(ErrorCodes.CHAT_NOT_ADMIN, 'Only an admin of the group can pin messages');
    }
    return found;
  }

  /** Chats' blocks, applied whatever the order and however often they come (newest version per pair wins). */
  async onBlockChanged({ blockerId, blockedId, blocked, version }: BlockChangedEvent): Promise<void> {
    await this.messages.applyBlock({ blockerId, blockedId, blocked, version });
  }

  /**
   * Chats' membership, applied whatever the order and however often it comes (newest version wins), and the change
   * it reports written into the timeline once (keyed by its version), in the same transaction: so a member joining
   * sees the line that adds them (their floor is the seq it takes), and a member leaving does not.
   */
  async onMembersChanged({ chatId, kind, version, memberIds, historyVisible, change }: MembersChangedEvent): Promise<void> {
    // Events recorded before floors existed (historyVisible absent) keep every member seeing everything, as before.
    const membership = { chatId, kind, version, memberIds, historyVisible: historyVisible ?? true };
    const { message } = await this.messages.applyMembership(membership, systemWrite(membership, change));
    if (message) this.relay.kick();
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
    const viewer = reader.viewer;
    // Read before the page: a change committed meanwhile is after the cursor, so catch-up sends it (at worst
    // a second time, never not at all).
    const changeCursor = encodeChangeCursor(await this.messages.lastChangeSeq(chatId));

    let items: Message[];
    let hasOlder: boolean;
    let hasNewer: boolean;
    if (after !== undefined && after !== null) {
      const newer = await this.messages.pageAfter(chatId, viewer, after, size + 1);
      items = newer.slice(0, size);
      hasNewer = newer.length > size;
      hasOlder = (await this.messages.pageBefore(chatId, viewer, after + 1, 1)).length > 0;
    } else if (around) {
      const anchor = await this.visibleInChat(around, chatId, viewer);
      if (!anchor) throw messageNotFound();
      const olderCount = Math.floor(size / 2);
      const older = await this.messages.pageBefore(chatId, viewer, anchor.seq, olderCount + 1);
      const newer = await this.messages.pageAfter(chatId, viewer, anchor.seq - 1, size - olderCount + 1);
      items = [...older.slice(0, olderCount).reverse(), ...newer.slice(0, size - olderCount)];
      hasOlder = older.length > olderCount;
      hasNewer = newer.length > size - olderCount;
    } else {
      const older = await this.messages.pageBefore(chatId, viewer, before ?? null, size + 1);
      items = older.slice(0, size).reverse();
      hasOlder = older.length > size;
      hasNewer = before !== undefined && before !== null && (await this.messages.pageAfter(chatId, viewer, before - 1, 1)).length > 0;
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

    const found = await this.messages.changedAfter(chatId, reader.viewer, from, size + 1);
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
    return { viewer: { userId, visibleFromSeq: floorOf(membership, userId) }, kind: membership.kind, states: membership.members.map(toReadState) };
  }

  /** What the user may see of the chat, with one point lookup (a reply's check on the send path). */
  private async viewerOf(chatId: string, userId: string): Promise<Viewer> {
    const member = await this.messages.findMember(chatId, userId);
    if (member) return { userId, visibleFromSeq: member.visibleFromSeq };
    await this.learnMembership(chatId, userId);
    const learned = await this.messages.findMember(chatId, userId);
    if (!learned) throw chatNotFound();
    return { userId, visibleFromSeq: learned.visibleFromSeq };
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
    const membership = { chatId, kind: fresh.kind, version: fresh.version, memberIds: fresh.memberIds, historyVisible: fresh.historyVisible };
    const { message } = await this.messages.applyMembership(membership, systemWrite(membership, fresh.change));
    if (message) this.relay.kick();
  }

  /** A page of messages as the reader sees them: each with the message it replies to, its reactions, and receipts. */
  private async pageViews(items: Message[], reader: Reader): Promise<MessageDto[]> {
    const replies = await this.repliesOf(items);
    const live = items.filter((m) => !m.deletedAt);
    const reactions = live.length ? reactionsBySeq(await this.messages.reactionsOf(live[0].chatId, live.map((m) => m.seq))) : new Map<number, ReactionDto[]>();
    const dtos = items.map((m) => toMessageDtoFor(m, m.replyToId ? (replies.get(m.replyToId) ?? null) : null, reader.viewer.visibleFromSeq, reactions.get(m.seq) ?? []));
    return withReceipts(dtos, reader.kind, reader.states);
  }

  /** A retried send answered: the message as stored (with any reactions it got since), without receipts. */
  private async acknowledge(message: Message, kind: ChatMembership['kind']): Promise<MessageDto> {
    const reactions = message.deletedAt ? [] : summarizeReactions(await this.messages.reactionsOf(message.chatId, [message.seq]));
    return withReceipts([toMessageDto(message, await this.replyOf(message), reactions)], kind, [])[0];
  }

  private async requireVisible(messageId: string, userId: string): Promise<{ message: Message; membership: ChatMembership }> {
    const message = await this.messages.findById(messageId);
    if (!message) throw messageNotFound();
    const membership = await this.membershipOf(message.chatId, userId).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === ErrorCodes.CHAT_NOT_FOUND ? messageNotFound() : error;
    });
    // Sent before the user (last) joined: as if it were not there.
    if (!isVisibleFrom(floorOf(membership, userId), message.seq) || (await this.messages.isHiddenFor(userId, message))) throw messageNotFound();
    return { message, membership };
  }

  private async requireOwnLiveMessage(messageId: string, userId: string): Promise<{ message: Message; membership: ChatMembership }> {
    const found = await this.requireVisible(messageId, userId);
    if (found.message.senderId !== userId) throw new DomainError(ErrorCodes.MESSAGE_NOT_SENDER, 'Only the sender can edit a message');
    if (found.message.deletedAt) throw new DomainError(ErrorCodes.MESSAGE_DELETED, 'The message was deleted');
    return found;
  }

  private async visibleInChat(messageId: string, chatId: string, viewer: Viewer): Promise<Message | null> {
    const message = await this.messages.findById(messageId);
    if (!message || message.chatId !== chatId || !isVisibleFrom(viewer.visibleFromSeq, message.seq)) return null;
    if (await this.messages.isHiddenFor(viewer.userId, message)) return null;
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

/** The timeline's line for a group's change (once per version: see systemMessageDraft), announced like a send. */
function systemWrite(membership: { chatId: string; kind: ChatKind; version: number }, change: SystemEvent | null | undefined): SystemMessageWrite | undefined {
  if (membership.kind !== 'group' || !change) return undefined;
  return {
    draft: systemMessageDraft(newMessageId(), membership.chatId, membership.version, change, new Date()),
    announce: (stored, members) => [createdEvent(toMessageDto(stored, null), members)],
  };
}

/** The sender hears whose block it is: their own (they can lift it) or the other's. */
function assertNoBlock(senderId: string, otherId: string, blocks: BlockState[]): void {
  const block = directBlock(senderId, otherId, blocks);
  if (block === 'by-sender') throw new DomainError(ErrorCodes.CHAT_BLOCKED, 'You blocked this person; unblock them to send messages');
  if (block === 'by-other') throw new DomainError(ErrorCodes.CHAT_BLOCKED, 'You cannot send messages to this person');
}

const floorOf = (membership: ChatMembership, userId: string): number => membership.members.find((m) => m.userId === userId)?.visibleFromSeq ?? 0;

/**
 * One frame per member carries what their chat list needs: the message, and their unread count right after it.
 * Every member may see a new message (their floors are at most the chat's next seq); members who joined after the
 * message it replies to get the reply's preview redacted.
 */
function createdEvent(message: MessageDto, members: MemberPointers[], sentFrom: string | null = null): OutboxEvent {
  const payload: MessageCreatedEvent = {
    message,
    memberIds: members.map((m) => m.userId),
    unreadCounts: members.map((m) => (m.userId === message.senderId ? 0 : unreadCount(message.seq, m.lastReadSeq))),
  };
  if (sentFrom) payload.sentFrom = sentFrom;
  if (message.replyTo) {
    const hidden = membersNotSeeing(members, message.replyTo.seq);
    if (hidden.length) payload.replyHiddenFrom = hidden;
  }
  return { pattern: MessagesEvents.created, payload };
}

/** An edit goes to the members who may see the message, the reply's preview redacted for those who may not see that one. */
function editedEvent(message: MessageDto, membership: ChatMembership): MessageEditedEvent {
  const seeing = membership.members.filter((m) => isVisibleFrom(m.visibleFromSeq, message.seq));
  const payload: MessageEditedEvent = { message, memberIds: seeing.map((m) => m.userId) };
  if (message.replyTo) {
    const hidden = membersNotSeeing(seeing, message.replyTo.seq);
    if (hidden.length) payload.replyHiddenFrom = hidden;
  }
  return payload;
}

/** The whole set after the change (never a delta), numbered with the change, so frames can be applied in any order. */
function reactionsEvent(message: Message, reactions: ReactionDto[], membership: ChatMembership): OutboxEvent {
  const payload: MessageReactionsChangedEvent = {
    chatId: message.chatId,
    messageId: message.id,
    seq: message.seq,
    reactions,
    version: message.changeSeq ?? 0,
    // Only to those who may see the message: the others never had it.
    memberIds: membersSeeing(membership.members, message.seq),
  };
  return { pattern: MessagesEvents.reactionsChanged, payload };
}

function pinEvent(pin: PinDto, pinned: boolean, membership: ChatMembership): OutboxEvent {
  const payload: MessagePinChangedEvent = { pin, pinned, memberIds: membersSeeing(membership.members, pin.seq) };
  return { pattern: pinned ? MessagesEvents.pinned : MessagesEvents.unpinned, payload };
}

function readStateEvent(chatId: string, pointers: MemberPointers, membership: ChatMembership): OutboxEvent {
  // In a large group only the member's own devices hear of it live (see LIVE_FANOUT_MAX_MEMBERS).
  const memberIds = membership.members.length > LIVE_FANOUT_MAX_MEMBERS ? [pointers.userId] : memberIdsOf(membership);
  const payload: MessageReadStateChangedEvent = { chatId, memberIds, ...toReadState(pointers) };
  return { pattern: MessagesEvents.readStateChanged, payload };
}
