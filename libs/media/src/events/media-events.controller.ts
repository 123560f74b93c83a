import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MessageDeletedEvent, MessagesEvents } from '@chat/contracts';
import { RoleEventPattern } from '@chat/platform';
import { MediaStore } from '../media-store.port';

/**
 * The gateway's reaction to Messages' events. Media lives with the gateway (it is where uploads arrive), and
 * Messages never reaches into it: a message deleted for everyone announces the image or file it dropped, and
 * this removes it. Idempotent (deleting twice is fine), so redeliveries are harmless.
 */
@Controller()
export class MediaEventsController {
  constructor(private readonly media: MediaStore) {}

  @RoleEventPattern('gateway', MessagesEvents.deleted)
  async onMessageDeleted(@Payload() event: MessageDeletedEvent): Promise<void> {
    // Not validated by a DTO: the payload is Messages' full event, and only this one field matters here;
    // deleteImage ignores anything that is not one of our keys.
    const imageKey = event?.removedImageKey;
    if (typeof imageKey === 'string' && imageKey) await this.media.deleteImage(imageKey);
    // deleteFile likewise ignores anything that is not one of our file keys.
    const fileKey = event?.removedFileKey;
    if (typeof fileKey === 'string' && fileKey) await this.media.deleteFile(fileKey);
  }
}
