import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AuthEvents, ChatsClient, ErrorCodes, SessionRevokedEvent, ChatsEvents, ChatUpdatedEvent, MessageCreatedEvent, MessageDeletedEvent, MessageEditedEvent, MessagesEvents,
  LIVE_FANOUT_MAX_MEMBERS, MembersChangedEvent, MessageDto, MessageReactionsChangedEvent, MessageReadStateChangedEvent, unavailableReply,
} from '@chat/contracts';
import { copyWith, Metrics, RoleEventPattern } from '@chat/platform';
import { PushNotifier } from '../push/push-notifier';
import { SocketServerRef } from './socket-server.ref';
import { sessionRoom, userRoom, userRooms } from './socket-rooms';

/** Time for the revocation notice to reach the client (through the adapter) before its socket closes. */
const REVOKE_NOTICE_MS = 300;

/**
 * Module events → sockets. With several gateways the bus hands each event to ONE of them; the Socket.IO
 * adapter (Redis Streams) then reaches the members' sockets on every gateway. Events carry the member ids,
 * so fan-out needs no lookup.
 */
@Controller()
export class RealtimeEventsController {
  private readonly logger = new Logger('RealtimeEventsController');
  private readonly summariesInFlight = new Map<string, { stale: boolean; reason: ChatUpdatedEvent['reason'] }>();

  constructor(
    private readonly ref: SocketServerRef,
    private readonly chats: ChatsClient,
    private readonly metrics: Metrics,
    private readonly push: PushNotifier,
  ) {}

  /**
   * One frame per member: the message and that member's unread count (their chat list needs nothing else). Members
   * with the same count share one broadcast, so a 1:1 chat costs two and a busy group a handful, not one per member.
   * The socket the message was sent from (sentFrom) gets no frame: its ack carried the stored message.
   * Members who joined after the message replied to get its preview redacted (replyHiddenFrom): a frame of its own.
   */
  @RoleEventPattern('gateway', MessagesEvents.created)
  onMessageCreated(@Payload() event: MessageCreatedEvent): void {
    const server = this.ref.server;
    if (!server) return;
    // Most messages reply to nothing anyone may not see: no set to build per message then.
    const hidden = event.replyHiddenFrom?.length ? new Set(event.replyHiddenFrom) : null;
    const byFrame = new Map<string, { unreadCount: number; redacted: boolean; userIds: string[] }>();
    event.memberIds.forEach((userId, i) => {
      const unreadCount = event.unreadCounts[i] ?? 0;
      const redacted = hidden?.has(userId) ?? false;
      const key = `${unreadCount}:${redacted}`;
      const same = byFrame.get(key);
      if (same) same.userIds.push(userId);
      else byFrame.set(key, { unreadCount, redacted, userIds: [userId] });
    });
    const redacted = hidden ? withReplyRedacted(event.message) : event.message;
    for (const frame of byFrame.values()) {
      const to = server.to(userRooms(frame.userIds));
      (event.sentFrom ? to.except(event.sentFrom) : to).emit('message:new', copyWith(frame.redacted ? redacted : event.message, { unreadCount: frame.unreadCount }));
    }
    this.metrics.observeDeliveryLatency((Date.now() - Date.parse(event.message.createdAt)) / 1000);
    // Members with no live connection: their devices' Web Push. Not awaited, as it asks other modules and push services.
    void this.push.messageCreated(event);
  }

  /** To the members who may see the message; the reply's preview redacted for those who joined after it. */
  @RoleEventPattern('gateway', MessagesEvents.edited)
  onMessageEdited(@Payload() event: MessageEditedEvent): void {
    const server = this.ref.server;
    if (!server) return;
    const hidden = new Set(event.replyHiddenFrom ?? []);
    const seeing = event.memberIds.filter((id) => !hidden.has(id));
    if (seeing.length) server.to(userRooms(seeing)).emit('message:edited', event.message);
    if (hidden.size) server.to(userRooms([...hidden])).emit('message:edited', withReplyRedacted(event.message));
  }

  @RoleEventPattern('gateway', MessagesEvents.deleted)
  onMessageDeleted(@Payload() event: MessageDeletedEvent): void {
    this.ref.server?.to(userRooms(event.memberIds)).emit('message:deleted', event.message);
  }

  /** The whole set of the message's reactions, to every member's devices (one broadcast). */
  @RoleEventPattern('gateway', MessagesEvents.reactionsChanged)
  onReactionsChanged(@Payload() event: MessageReactionsChangedEvent): void {
    const { chatId, messageId, seq, reactions, version } = event;
    this.ref.server?.to(userRooms(event.memberIds)).emit('message:reactions', { chatId, messageId, seq, reactions, version });
  }

  /**
   * Logout, revocation or refresh-token reuse: every socket of that session, on any gateway, is told why and
   * closed. (A new handshake with a token of that session is refused by AccessTokenVerifier.)
   */
  @RoleEventPattern('gateway', AuthEvents.sessionRevoked)
  onSessionRevoked(@Payload() event: SessionRevokedEvent): void {
    const server = this.ref.server;
    if (!server) return;
    const room = sessionRoom(event.sessionId);
    server.to(room).emit('auth:expired', { code: ErrorCodes.AUTH_SESSION_REVOKED, message: 'This session has ended; sign in again' });
    setTimeout(() => server.in(room).disconnectSockets(true), REVOKE_NOTICE_MS).unref();
  }

  /** Pointers only move forward, so clients can apply both receipts every time; no need to know which moved. */
  @RoleEventPattern('gateway', MessagesEvents.readStateChanged)
  onReadStateChanged(@Payload() event: MessageReadStateChangedEvent): void {
    const rooms = userRooms(event.memberIds);
    const { chatId, userId } = event;
    this.ref.server?.to(rooms).emit('receipt:delivered', { chatId, userId, seq: event.lastDeliveredSeq, at: event.lastDeliveredAt });
    this.ref.server?.to(rooms).emit('receipt:read', { chatId, userId, seq: event.lastReadSeq, at: event.lastReadAt });
  }

  /**
   * Each member sees their own summary (unread count, mute), so it is fetched per member; not in a chat too large
   * for that (LIVE_FANOUT_MAX_MEMBERS). Pushes are best effort (a client refetches on reconnect), so the handler
   * does not wait for them: a slow push must not hold up the events behind this one.
   */
  @RoleEventPattern('gateway', ChatsEvents.updated)
  onChatUpdated(@Payload() event: ChatUpdatedEvent): void {
    if (event.userIds.length <= LIVE_FANOUT_MAX_MEMBERS) void this.pushSummaries(event.chatId, event.userIds, event.reason);
  }

  /**
   * A new chat (or new members) appears in the members' lists at once; removed members drop it from theirs. The
   * others get the new member list too, unless the chat is too large for that (LIVE_FANOUT_MAX_MEMBERS).
   * Best effort and not awaited, as for chat.updated.
   */
  @RoleEventPattern('gateway', ChatsEvents.membersChanged)
  onMembersChanged(@Payload() event: MembersChangedEvent): void {
    if (event.removed.length) this.ref.server?.to(userRooms(event.removed)).emit('chat:removed', { chatId: event.chatId });
    if (event.memberIds.length <= LIVE_FANOUT_MAX_MEMBERS) return void this.pushSummaries(event.chatId, event.memberIds, reasonOf(event));
    void this.pushToNewcomers(event);
  }

  /**
   * A large group's new members all see the chat the same way (nothing unread, no mention, not muted, pointers at its last seq),
   * so one summary is fetched and broadcast to them all, instead of one fetch per member (each listing every member).
   */
  private async pushToNewcomers(event: MembersChangedEvent): Promise<void> {
    const [first] = event.added;
    const server = this.ref.server;
    if (!first || !server) return;
    try {
      const seen = await this.chats.get({ userId: first, chatId: event.chatId });
      const chat = { ...seen, unreadCount: 0, unreadMentionSeqs: [], muted: false, lastReadSeq: seen.lastSeq, lastDeliveredSeq: seen.lastSeq };
      server.to(userRooms(event.added)).emit('chat:updated', { chat, reason: 'members', orderKey: chat.lastActivityAt });
    } catch (error) {
      this.logger.debug({ err: error, chatId: event.chatId }, 'No chat summary to push to new members');
    }
  }

  private async pushSummaries(chatId: string, userIds: string[], reason: ChatUpdatedEvent['reason']): Promise<void> {
    await Promise.all(userIds.map((userId) => this.pushSummary(userId, chatId, reason)));
  }

  /**
   * One summary fetch per user and chat at a time: events arriving meanwhile (a busy chat) only mark it stale,
   * and one more fetch after the current one sends the latest state. Under load this collapses many fetches
   * into few, and the last pushed summary is never older than the last event.
   */
  private async pushSummary(userId: string, chatId: string, reason: ChatUpdatedEvent['reason']): Promise<void> {
    const key = `${userId}|${chatId}`;
    const inFlight = this.summariesInFlight.get(key);
    if (inFlight) {
      inFlight.stale = true;
      inFlight.reason = reason;
      return;
    }
    const entry = { stale: true, reason };
    this.summariesInFlight.set(key, entry);
    try {
      while (entry.stale) {
        entry.stale = false;
        const server = this.ref.server;
        if (!server) return;
        try {
          const chat = await this.chats.get({ userId, chatId });
          server.to(userRoom(userId)).emit('chat:updated', { chat, reason: entry.reason, orderKey: chat.lastActivityAt });
        } catch (error) {
          // A member who just left or hid the chat no longer sees it: nothing to push.
          this.logger.debug({ err: error, userId, chatId }, 'No chat summary to push');
        }
      }
    } finally {
      this.summariesInFlight.delete(key);
    }
  }
}

/** A change of the title, photo or history setting is a change of the chat's details; the rest concern its members. */
function reasonOf(event: MembersChangedEvent): ChatUpdatedEvent['reason'] {
  const type = event.change?.type;
  return type === 'renamed' || type === 'photo-changed' || type === 'history-visibility-changed' ? 'details' : 'members';
}

function withReplyRedacted(message: MessageDto): MessageDto {
  return message.replyTo ? { ...message, replyTo: unavailableReply(message.replyTo) } : message;
}
