import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { BlockChangedEvent, ChatsEvents, MembersChangedEvent } from '@chat/contracts';
import { RoleEventPattern } from '@chat/platform';
import { MessagesService } from './messages.service';

/** Messages follows Chats' membership through its events (at least once, any order: the newest version wins). */
@Controller()
export class MessagesEventsController {
  constructor(private readonly messages: MessagesService) {}

  @RoleEventPattern('messages', ChatsEvents.membersChanged)
  membersChanged(@Payload() event: MembersChangedEvent) {
    return this.messages.onMembersChanged(event);
  }

  /** Blocks reach a 1:1 send through this projection, never a question to Chats (docs/message-path.md). */
  @RoleEventPattern('messages', ChatsEvents.blockChanged)
  blockChanged(@Payload() event: BlockChangedEvent) {
    return this.messages.onBlockChanged(event);
  }
}
