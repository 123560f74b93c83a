import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MessageDeletedEvent, MessagesEvents } from '@chat/contracts';
import { RoleEventPattern } from '@chat/platform';
import { MessageImages } from './message-images';

/**
 * Images live in the gateway's media store, so the gateway removes a deleted message's image when
 * Messages says so. Deleting an absent key is fine: a redelivered event changes nothing.
 */
@Controller()
export class MessageImageCleanupController {
  constructor(private readonly images: MessageImages) {}

  @RoleEventPattern('gateway', MessagesEvents.deleted)
  async onDeleted(@Payload() event: MessageDeletedEvent): Promise<void> {
    if (event.removedImageKey) await this.images.remove(event.removedImageKey);
  }
}
