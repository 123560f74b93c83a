import { Logger, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import {
  ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, SubscribeMessage, WebSocketGateway,
} from '@nestjs/websockets';
import {
  Ack, ChatsClient, ErrorCodes, MessageDto, MessagesClient, PresenceState, ReceiptPayload, SOCKET_PATH, SyncResult,
} from '@chat/contracts';
import { AppConfig, copyWith, createValidationPipe, DomainError, Metrics } from '@chat/platform';
import type { PipeTransform } from '@nestjs/common';
import { MessageSender } from '../messages/message-sender';
import { SendCapacityGuard } from '../messages/send-capacity.guard';
import { PresenceService } from './presence.service';
import { connectError, SocketAuthenticator } from './socket-authenticator';
import { DirectSocketEvents } from './direct-socket-events';
import { validSendPayload } from './send-payload';
import { ChatRefDto, ForwardMessageDto, PresenceQueryDto, ReactDto, SendMessageDto, SeqPointerDto, SyncDto } from './socket-payloads.dto';
import { presenceRoom, sessionRoom, userRoom } from './socket-rooms';
import { RealtimeServer, RealtimeSocket, SocketServerRef } from './socket-server.ref';
import { SyncService } from './sync.service';
import { ExpiryScheduler } from './expiry-scheduler';
import { releaseHandshakeRequest } from './handshake-request';
import { RateLimitedAction, SocketRateLimits } from './socket-rate-limits';
import { TypingService } from './typing.service';
import { WsErrorFilter } from './ws-error.filter';

const EXPIRY_NOTICE_MS = 500;

/**
 * When the socket's access token runs out, epoch ms (`exp` is in whole seconds). Auth never issues a token
 * without one; should such a token turn up, its socket is told at once rather than served forever.
 */
const tokenExpiryOf = (socket: RealtimeSocket): number => (Number.isFinite(socket.data.exp) ? socket.data.exp * 1000 : 0);

const ok = <T>(data: T): Ack<T> => ({ ok: true, data });

/**
 * The Socket.IO edge. Thin: authenticate the handshake, keep per-socket limits, validate each event, call the
 * owning module through its client, ack. Pushing module events to sockets is RealtimeEventsController's job.
 * Chat rooms are not used: events go to the members' user rooms, so a socket can never "join" a chat.
 */
@UseFilters(WsErrorFilter)
@UsePipes(createValidationPipe())
@WebSocketGateway({ path: SOCKET_PATH })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger('RealtimeGateway');
  /** Every connected socket until its token expires: one shared timer, nothing per idle socket but a set entry. */
  private readonly live = new ExpiryScheduler<RealtimeSocket>((socket) => this.expire(socket));
  /** Sockets told their token expired, until they close: still connected (and counted), no longer served. */
  private readonly expired = new Set<RealtimeSocket>();
  private readonly rateLimits: SocketRateLimits;
  /** One listener shared by every socket: counts the message:new frames written to it (broadcasts included). */
  private readonly countDelivered: (event: string) => void;
  /** The direct `message:send`'s validation (when a payload is not plainly valid) and error acks: the pipeline's own. */
  private readonly sendValidation: PipeTransform = createValidationPipe();
  private readonly errors: WsErrorFilter;

  constructor(
    config: AppConfig,
    private readonly ref: SocketServerRef,
    private readonly authenticator: SocketAuthenticator,
    private readonly chats: ChatsClient,
    private readonly messages: MessagesClient,
    private readonly presence: PresenceService,
    private readonly typing: TypingService,
    private readonly syncService: SyncService,
    private readonly sender: MessageSender,
    private readonly metrics: Metrics,
    direct: DirectSocketEvents,
  ) {
    this.errors = new WsErrorFilter(metrics);
    direct.register('message:send', (socket, data, ack) => void this.sendDirect(socket, data, ack));
    this.countDelivered = (event) => {
      if (event === 'message:new') metrics.messagesDelivered();
    };
    this.rateLimits = new SocketRateLimits({
      sends: { burst: config.env.WS_SEND_BURST, perSecond: config.env.WS_SEND_PER_SECOND },
      typing: { burst: 5, perSecond: 2 },
      queries: { burst: 20, perSecond: 5 },
    });
  }

  afterInit(server: RealtimeServer): void {
    this.ref.server = server;
    this.metrics.countConnectedSocketsWith(() => server.of('/').sockets.size);
    server.use((socket, next) => {
      this.authenticator.authenticate(socket).then(
        () => {
          releaseHandshakeRequest(socket.conn);
          next();
        },
        (error: unknown) => next(error instanceof Error ? error : connectError({ code: ErrorCodes.AUTH_UNAUTHENTICATED, message: 'Refused' })),
      );
    });
  }

  async handleConnection(socket: RealtimeSocket): Promise<void> {
    const { userId } = socket.data;
    this.live.add(socket, tokenExpiryOf(socket));
    socket.onAnyOutgoing(this.countDelivered);
    await socket.join([userRoom(userId), sessionRoom(socket.data.sessionId)]);
    try {
      if (await this.presence.connected(userId)) {
        this.ref.server?.to(presenceRoom(userId)).emit('presence', { userId, online: true, lastSeen: null });
      }
    } catch (error) {
      this.logger.warn({ err: error, userId }, 'Presence update failed on connect');
    }
  }

  async handleDisconnect(socket: RealtimeSocket): Promise<void> {
    const counted = this.live.remove(socket, tokenExpiryOf(socket)) || this.expired.delete(socket);
    if (!counted) return; // refused at the handshake: never counted
    this.rateLimits.forget(socket.id);
    const { userId } = socket.data;
    this.typing.stopAll(socket.id, userId);
    try {
      const offline = await this.presence.disconnected(userId);
      if (offline) this.ref.server?.to(presenceRoom(userId)).emit('presence', offline);
    } catch (error) {
      this.logger.warn({ err: error, userId }, 'Presence update failed on disconnect');
    }
  }

  /**
   * `message:send`, served outside Nest's pipeline (DirectSocketEvents) with the same steps and answers as the
   * pipeline gave: the capacity check first (SendCapacityGuard's, before any other work), the payload validated
   * once, then the send; every error becomes the same error ack as WsErrorFilter's.
   */
  private async sendDirect(socket: RealtimeSocket, data: unknown, ack: ((response: unknown) => void) | undefined): Promise<void> {
    let answer: Ack<MessageDto>;
    try {
      this.sender.assertRoom();
      answer = await this.send(socket, await validSendPayload(data, this.sendValidation));
    } catch (error) {
      return this.errors.ackError(error, ack, 'message:send');
    }
    if (ack) {
      try {
        ack(answer);
      } catch {
        // a client's ack callback cannot fail server-side
      }
    }
  }

  private async send(socket: RealtimeSocket, body: SendMessageDto): Promise<Ack<MessageDto>> {
    const senderId = this.userOf(socket);
    this.take(socket, 'sends');
    // The same path as REST (MessageSender): back-pressure, and an upload goes on one message only.
    return ok(await this.sender.send(copyWith(body, { senderId, sentFrom: socket.id })));
  }

  @SubscribeMessage('message:forward')
  @UseGuards(SendCapacityGuard)
  async forward(@ConnectedSocket() socket: RealtimeSocket, @MessageBody() body: ForwardMessageDto): Promise<Ack<MessageDto>> {
    const userId = this.userOf(socket);
    this.take(socket, 'sends');
    return ok(await this.sender.forward({ userId, ...body }));
  }

  @SubscribeMessage('message:delivered')
  async delivered(@ConnectedSocket() socket: RealtimeSocket, @MessageBody() body: SeqPointerDto): Promise<Ack<ReceiptPayload>> {
    const userId = this.userOf(socket);
    const state = await this.messages.markDelivered({ userId, chatId: body.chatId, seq: body.seq });
    return ok({ chatId: body.chatId, userId, seq: state.lastDeliveredSeq, at: state.lastDeliveredAt });
  }

  @SubscribeMessage('message:read')
  async read(@ConnectedSocket() socket: RealtimeSocket, @MessageBody() body: SeqPointerDto): Promise<Ack<ReceiptPayload>> {
    const userId = this.userOf(socket);
    const state = await this.messages.markRead({ userId, chatId: body.chatId, seq: body.seq });
    return ok({ chatId: body.chatId, userId, seq: state.lastReadSeq, at: state.lastReadAt });
  }

  /** Reactions share the queries' budget: cheap, but each one is a write and a frame to every member. */
  @SubscribeMessage('message:react')
  async react(@ConnectedSocket() socket: RealtimeSocket, @MessageBody() body: ReactDto): Promise<Ack<MessageDto>> {
    const userId = this.userOf(socket);
    this.take(socket, 'queries');
    return ok(await this.messages.react({ userId, messageId: body.messageId, emoji: body.emoji, on: body.on }));
  }

  @SubscribeMessage('typing:start')
  async typingStart(@ConnectedSocket() socket: RealtimeSocket, @MessageBody() body: ChatRefDto): Promise<Ack<null>> {
    const userId = this.userOf(socket);
    this.take(socket, 'typing');
    const memberIds = await this.memberIdsOf(userId, body.chatId);
    this.typing.start(socket.id, userId, body.chatId, memberIds);
    return ok(null);
  }

  @SubscribeMessage('typing:stop')
  async typingStop(@ConnectedSocket() socket: RealtimeSocket, @MessageBody() body: ChatRefDto): Promise<Ack<null>> {
    // Only a start this socket made can be stopped, so no membership call is needed here.
    this.typing.stop(socket.id, this.userOf(socket), body.chatId);
    return ok(null);
  }

  @SubscribeMessage('sync')
  async sync(@ConnectedSocket() socket: RealtimeSocket, @MessageBody() body: SyncDto): Promise<Ack<SyncResult>> {
    const userId = this.userOf(socket);
    this.take(socket, 'queries');
    return ok(await this.syncService.sync(userId, body));
  }

  /**
   * Presence of the people the user shares a chat with (and their own); anyone else is left out of the answer
   * and of the `presence` events, so nobody learns a stranger's online state or last seen.
   */
  @SubscribeMessage('presence:query')
  async presenceQuery(@ConnectedSocket() socket: RealtimeSocket, @MessageBody() body: PresenceQueryDto): Promise<Ack<PresenceState[]>> {
    const userId = this.userOf(socket);
    this.take(socket, 'queries');
    const asked = [...new Set(body.userIds)];
    const others = asked.filter((id) => id !== userId);
    const contacts = new Set(others.length ? await this.chats.contactsAmong({ userId, candidateIds: others }) : []);
    const userIds = asked.filter((id) => id === userId || contacts.has(id));
    await socket.join(userIds.map(presenceRoom));
    return ok(await this.presence.states(userIds));
  }

  /** After userOf: a closed socket is refused there, so no budget is made for it after it was forgotten. */
  private take(socket: RealtimeSocket, kind: RateLimitedAction): void {
    if (!this.rateLimits.tryTake(socket.id, kind)) throw new DomainError(ErrorCodes.RATE_LIMITED, `Too many ${kind === 'sends' ? 'messages' : kind === 'typing' ? 'typing events' : 'queries'}; slow down`);
  }

  /** The acting user: always the token's, and nobody once the token expired (even before the socket closes). */
  private userOf(socket: RealtimeSocket): string {
    if (!this.live.has(socket, tokenExpiryOf(socket))) throw new DomainError(ErrorCodes.AUTH_UNAUTHENTICATED, 'Access token expired');
    return socket.data.userId;
  }

  /**
   * Members of a chat the user is in; "not a member" and "no such chat" are the same answer. In a 1:1 chat the other
   * person is left out while either blocks the other (contactsAmong leaves blocked pairs out), so typing stays private.
   */
  private async memberIdsOf(userId: string, chatId: string): Promise<string[]> {
    const membership = await this.chats.membership({ userId, chatId });
    if (!membership.isMember) throw new DomainError(ErrorCodes.CHAT_NOT_FOUND, 'Chat not found');
    if (membership.kind !== 'direct') return membership.memberIds;
    const others = membership.memberIds.filter((id) => id !== userId);
    return [userId, ...(others.length ? await this.chats.contactsAmong({ userId, candidateIds: others }) : [])];
  }

  /** The token ran out: tell the client why (it refreshes and reconnects), then close the socket. */
  private expire(socket: RealtimeSocket): void {
    socket.emit('auth:expired', { code: ErrorCodes.AUTH_UNAUTHENTICATED, message: 'Access token expired' });
    // With connection state recovery a packet gets its offset from the adapter (a Redis round trip when scaled
    // out), so the notice is still in flight for a moment; the socket stops being served at once either way.
    this.expired.add(socket);
    setTimeout(() => socket.disconnect(true), EXPIRY_NOTICE_MS).unref();
  }
}
