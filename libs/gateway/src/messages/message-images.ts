import { Injectable, Optional } from '@nestjs/common';
import { ErrorCodes, FileRef, ImageRef } from '@chat/contracts';
import { DomainError } from '@chat/platform';
import { IncomingImage, MediaStore } from '@chat/media';

/**
 * The images and files a message may carry, through the gateway's MediaStore (MediaModule; it also removes the image of a
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
  sendWith<T>(key: string, ownerId: string, message: { chatId: string; clientMessageId: string }, send: (image: ImageRef) => Promise<T>): Promise<T> {
    const store = this.store();
    return this.attach(key, ownerId, message, send, (use) => store.claimImage(key, ownerId, use), (use) => store.releaseImage(key, ownerId, use));
  }

  /** The same for a file or voice message uploaded before (POST /uploads/files). */
  sendWithFile<T>(key: string, ownerId: string, message: { chatId: string; clientMessageId: string }, send: (file: FileRef) => Promise<T>): Promise<T> {
    const store = this.store();
    return this.attach(key, ownerId, message, send, (use) => store.claimFile(key, ownerId, use), (use) => store.releaseFile(key, ownerId, use));
  }

  private async attach<R, T>(
    key: string,
    ownerId: string,
    message: { chatId: string; clientMessageId: string },
    send: (ref: R) => Promise<T>,
    claim: (use: string) => Promise<R>,
    release: (use: string) => Promise<void>,
  ): Promise<T> {
    const use = JSON.stringify([message.chatId, message.clientMessageId]);
    const ref = await claim(use);
    let sent: T;
    try {
      sent = await send(ref);
    } catch (error) {
      if (error instanceof DomainError && !error.code.startsWith('TRANSPORT.')) await release(use).catch(() => undefined);
      throw error;
    }
    // Stored on a message: no longer an orphan. Best effort: were this lost, the sweep still sees the binding.
    await this.store().markAttached(key).catch(() => undefined);
    return sent;
  }

  upload(file: IncomingImage, ownerId: string): Promise<ImageRef> {
    return this.store().storeImage(file, ownerId);
  }

  private store(): MediaStore {
    if (!this.media) throw new DomainError(ErrorCodes.MEDIA_UNAVAILABLE, 'Images are not available on this server');
    return this.media;
  }
}
