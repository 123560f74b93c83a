import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ChatsEvents, MembersChangedEvent } from '@chat/contracts';
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
}
