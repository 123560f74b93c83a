import { ImageRef } from '@chat/contracts';

/** An uploaded file as the edge received it (multer's memory storage), before any decoding. */
export interface IncomingImage {
  buffer: Buffer;
  originalName: string;
  /** What the client claimed; never trusted (the bytes are sniffed). */
  declaredMimeType: string;
  size: number;
}

/**
 * The media port of the gateway process (also its DI token). Adapters: local disk (embedded default) and
 * Cloudinary. Images are checked before decoding, re-encoded without metadata, thumbnailed and stored under
 * names the server makes.
 */
export abstract class MediaStore {
  /** Validates and stores an image uploaded by `ownerId`. Throws DomainError MEDIA.* for bad input. */
  abstract storeImage(file: IncomingImage, ownerId: string): Promise<ImageRef>;
  /**
   * The reference of an image `ownerId` uploaded, to attach to the message named by `use` (its chat and client
   * message id); MEDIA.NOT_FOUND otherwise. One image goes on one message: deleting that message for everyone
   * removes the file, which a second message would then show broken. The same `use` claims again (a retry).
   */
  abstract claimImage(key: string, ownerId: string, use: string): Promise<ImageRef>;
  /** Undoes a claim whose message was refused, so the upload can go on another message. */
  abstract releaseImage(key: string, ownerId: string, use: string): Promise<void>;
  /** Removes the image and its thumbnail; absent keys are fine (idempotent). */
  abstract deleteImage(key: string): Promise<void>;
}
