import { FileRef, ImageRef } from '@chat/contracts';
import type { FileUploadOptions } from './processing/file-policy';

/** An uploaded file as the edge received it (multer's memory storage), before any decoding. */
export interface IncomingFile {
  buffer: Buffer;
  originalName: string;
  /** What the client claimed; never trusted (the bytes are sniffed). */
  declaredMimeType: string;
  size: number;
}
export type IncomingImage = IncomingFile;

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

  /** Stores any file (or a voice recording) as it came, under a server-made name. Throws DomainError MEDIA.*. */
  abstract storeFile(file: IncomingFile, ownerId: string, options: FileUploadOptions): Promise<FileRef>;
  /** As claimImage, for a file. */
  abstract claimFile(key: string, ownerId: string, use: string): Promise<FileRef>;
  abstract releaseFile(key: string, ownerId: string, use: string): Promise<void>;
  abstract deleteFile(key: string): Promise<void>;

  /** The message carrying this upload (image or file) is stored: it is no longer a candidate for the orphan sweep. */
  abstract markAttached(key: string): Promise<void>;
  /**
   * Deletes the uploads (images and files) that were never attached to a message within the orphan time; returns
   * how many. Safe to run in several gateways at once: each upload is taken by one of them.
   */
  abstract sweepOrphans(now?: number): Promise<number>;
}
