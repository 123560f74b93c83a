import { Injectable, Optional } from '@nestjs/common';
import { ErrorCodes, ImageRef } from '@chat/contracts';
import { DomainError } from '@chat/platform';
import { IncomingImage, MediaStore } from '@chat/media';

/**
 * The images a message may carry, through the gateway's MediaStore (MediaModule; it also removes the image of a
 * message deleted for everyone, on message.deleted). Optional so a gateway without a media adapter still boots
 * and answers an image with a clear error instead of failing to start.
 */
@Injectable()
export class MessageImages {
  constructor(@Optional() private readonly media?: MediaStore) {}

  /** An image the sender uploaded before (by its key); someone else's key is MEDIA.NOT_FOUND. */
  claim(key: string, ownerId: string): Promise<ImageRef> {
    return this.store().claimImage(key, ownerId);
  }

  upload(file: IncomingImage, ownerId: string): Promise<ImageRef> {
    return this.store().storeImage(file, ownerId);
  }

  private store(): MediaStore {
    if (!this.media) throw new DomainError(ErrorCodes.MEDIA_UNAVAILABLE, 'Images are not available on this server');
    return this.media;
  }
}
