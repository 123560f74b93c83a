import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MessageCreatedEvent, MessageDeletedEvent, MessageEditedEvent, MessageReadStateChangedEvent, MessagesEvents } from '@chat/contracts';
import { RoleEventPattern } from '@chat/platform';
import { ChatActivityService } from './chat-activity.service';

/** Chats follows Messages through its events (delivered at least once, in any order; the handlers merge). */
@Controller()
export class ChatsEventsController {
  constructor(private readonly activity: ChatActivityService) {}

  @RoleEventPattern('chats', MessagesEvents.created)
  created(@Payload() event: MessageCreatedEvent) {
    return this.activity.onMessage(event);
  }

  @RoleEventPattern('chats', MessagesEvents.edited)
  edited(@Payload() event: MessageEditedEvent) {
    return this.activity.onMessage(event);
  }

  @RoleEventPattern('chats', MessagesEvents.deleted)
  deleted(@Payload() event: MessageDeletedEvent) {
    return this.activity.onMessage(event);
  }

  @RoleEventPattern('chats', MessagesEvents.readStateChanged)
  readStateChanged(@Payload() event: MessageReadStateChangedEvent) {
    return this.activity.onReadState(event);
  }
}
