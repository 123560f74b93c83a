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

  /**
   * Attaches an image the sender uploaded before (by its key) to the message `send` stores; someone else's key,
   * or one already on another message, is MEDIA.NOT_FOUND. When the message is refused, the upload is freed
   * again; not after a transport failure, where the message may have been stored all the same.
   */
  async sendWith<T>(key: string, ownerId: string, message: { chatId: string; clientMessageId: string }, send: (image: ImageRef) => Promise<T>): Promise<T> {
    const use = JSON.stringify([message.chatId, message.clientMessageId]);
    const image = await this.store().claimImage(key, ownerId, use);
    try {
      return await send(image);
    } catch (error) {
      if (error instanceof DomainError && !error.code.startsWith('TRANSPORT.')) {
        await this.store().releaseImage(key, ownerId, use).catch(() => undefined);
      }
      throw error;
    }
  }

  upload(file: IncomingImage, ownerId: string): Promise<ImageRef> {
    return this.store().storeImage(file, ownerId);
  }

  private store(): MediaStore {
    if (!this.media) throw new DomainError(ErrorCodes.MEDIA_UNAVAILABLE, 'Images are not available on this server');
    return this.media;
  }
}
