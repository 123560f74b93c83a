import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  BlockChangedEvent, ChatsClient, ChatsEvents, MessagePinChangedEvent, MessagesEvents, PresenceState, UserDto, UsersEvents,
} from '@chat/contracts';
import { RoleEventPattern } from '@chat/platform';
import { PresenceService } from './presence.service';
import { presenceRoom, userRoom, userRooms } from './socket-rooms';
import { SocketServerRef } from './socket-server.ref';

/** Presence of someone one may not see: no online state, no last seen (as for a stranger). */
const dark = (userId: string): PresenceState => ({ userId, online: false, lastSeen: null });

/**
 * Pins, blocks and profiles → sockets. Like RealtimeEventsController: events carry (or lead to) the users to tell,
 * pushes are best effort, and a reconnecting client gets the same state from `sync` and REST.
 */
@Controller()
export class PeopleEventsController {
  private readonly logger = new Logger('PeopleEventsController');

  constructor(
    private readonly ref: SocketServerRef,
    private readonly chats: ChatsClient,
    private readonly presence: PresenceService,
  ) {}

  @RoleEventPattern('gateway', MessagesEvents.pinned)
  onPinned(@Payload() event: MessagePinChangedEvent): void {
    // An empty room list would broadcast to every socket.
    if (!event.memberIds?.length) return;
    this.ref.server?.to(userRooms(event.memberIds)).emit('pin:changed', { pin: event.pin, pinned: true });
  }

  @RoleEventPattern('gateway', MessagesEvents.unpinned)
  onUnpinned(@Payload() event: MessagePinChangedEvent): void {
    if (!event.memberIds?.length) return;
    this.ref.server?.to(userRooms(event.memberIds)).emit('pin:changed', { pin: event.pin, pinned: false });
  }

  /**
   * The blocker's devices hear of it (their list of blocked people); the presence subscriptions between the two
   * follow what Chats says now rather than the event, so events handled in any order leave the right state: while
   * either blocks the other, neither socket stays in the other's presence room, and each sees the other go dark.
   */
  @RoleEventPattern('gateway', ChatsEvents.blockChanged)
  async onBlockChanged(@Payload() event: BlockChangedEvent): Promise<void> {
    const server = this.ref.server;
    if (!server) return;
    const { blockerId, blockedId } = event;
    server.to(userRoom(blockerId)).emit('block:changed', { userId: blockedId, blocked: event.blocked });
    try {
      const contacts = await this.chats.contactsAmong({ userId: blockerId, candidateIds: [blockedId] });
      if (contacts.includes(blockedId)) {
        server.in(userRoom(blockerId)).socketsJoin(presenceRoom(blockedId));
        server.in(userRoom(blockedId)).socketsJoin(presenceRoom(blockerId));
        const [blockerState, blockedState] = await this.presence.states([blockerId, blockedId]);
        server.to(userRoom(blockedId)).emit('presence', blockerState);
        server.to(userRoom(blockerId)).emit('presence', blockedState);
      } else {
        server.in(userRoom(blockerId)).socketsLeave(presenceRoom(blockedId));
        server.in(userRoom(blockedId)).socketsLeave(presenceRoom(blockerId));
        server.to(userRoom(blockedId)).emit('presence', dark(blockerId));
        server.to(userRoom(blockerId)).emit('presence', dark(blockedId));
      }
    } catch (error) {
      this.logger.warn({ err: error, blockerId, blockedId }, 'Presence after a block change not updated');
    }
  }

  /** A new name or photo reaches everyone who shares a chat with the user, and the user's other devices. */
  @RoleEventPattern('gateway', UsersEvents.updated)
  async onUserUpdated(@Payload() user: UserDto): Promise<void> {
    const server = this.ref.server;
    if (!server || typeof user?.id !== 'string') return;
    const { id, displayName, avatarUrl, createdAt } = user;
    try {
      const contacts = await this.chats.contactsOf({ userId: id });
      server.to(userRooms([id, ...contacts])).emit('user:updated', { id, displayName, avatarUrl, createdAt });
    } catch (error) {
      this.logger.warn({ err: error, userId: id }, 'Profile change not pushed');
    }
  }
}
