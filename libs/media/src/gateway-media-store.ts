import { ErrorCodes, FileRef, ImageRef } from '@chat/contracts';
import { DomainError } from '@chat/platform';
import { IncomingFile, IncomingImage, MediaStore } from './media-store.port';
import { isFileKey, isMediaKey, newFileKey, newMediaKey, thumbnailNameOf } from './media-names';
import { FilePolicy, FileUploadOptions } from './processing/file-policy';
import { ImagePipeline } from './processing/image-pipeline';
import { UploadRef, UploadRegistry } from './registry/upload-registry';
import { AttachmentFiles } from './storage/attachment-files.port';
import { ImageFiles } from './storage/image-files.port';

/**
 * The MediaStore of the gateway process: the checks, the re-encoding of images and the bookkeeping of uploads are
 * the same whatever the storage, so the adapters (local disk, Cloudinary) differ only in the ImageFiles and
 * AttachmentFiles they write to.
 */
export class GatewayMediaStore extends MediaStore {
  constructor(
    private readonly pipeline: ImagePipeline,
    private readonly files: ImageFiles,
    private readonly registry: UploadRegistry,
    private readonly filePolicy: FilePolicy,
    private readonly attachments: AttachmentFiles,
  ) {
    super();
  }

  async storeImage(file: IncomingImage, ownerId: string): Promise<ImageRef> {
    const processed = await this.pipeline.process(file);
    const key = newMediaKey();
    const thumbnailName = thumbnailNameOf(key);
    let url: string;
    let thumbnailUrl: string;
    try {
      [url, thumbnailUrl] = await Promise.all([
        this.files.put(key, processed.image, processed.mimeType),
        this.files.put(thumbnailName, processed.thumbnail, processed.mimeType),
      ]);
    } catch (error) {
      // Never half an image: whichever half was stored goes again.
      await this.removeImageFiles(key).catch(() => undefined);
      throw error;
    }
    const ref: ImageRef = {
      key,
      url,
      thumbnailUrl,
      width: processed.width,
      height: processed.height,
      mimeType: processed.mimeType,
      bytes: processed.image.length,
    };
    await this.remember(ref, ownerId);
    return ref;
  }

  claimImage(key: string, ownerId: string, use: string): Promise<ImageRef> {
    return this.claim<ImageRef>(isMediaKey(key), key, ownerId, use);
  }

  async releaseImage(key: string, ownerId: string, use: string): Promise<void> {
    if (isMediaKey(key)) await this.release(key, ownerId, use);
  }

  async deleteImage(key: string): Promise<void> {
    // Keys come back from other modules' events; anything not shaped like ours is not ours to touch.
    if (!isMediaKey(key)) return;
    await this.registry.forget(key);
    await this.removeImageFiles(key);
  }

  async storeFile(file: IncomingFile, ownerId: string, options: FileUploadOptions): Promise<FileRef> {
    const accepted = this.filePolicy.check(file, options);
    const key = newFileKey();
    let url: string;
    try {
      url = await this.attachments.put(key, file.buffer, { name: accepted.name, mimeType: accepted.mimeType });
    } catch (error) {
      await this.attachments.remove(key).catch(() => undefined);
      throw error;
    }
    const ref: FileRef = {
      key,
      url,
      name: accepted.name,
      mimeType: accepted.mimeType,
      bytes: file.buffer.length,
      kind: options.kind,
      durationMs: accepted.durationMs,
    };
    await this.remember(ref, ownerId);
    return ref;
  }

  claimFile(key: string, ownerId: string, use: string): Promise<FileRef> {
    return this.claim<FileRef>(isFileKey(key), key, ownerId, use);
  }

  async releaseFile(key: string, ownerId: string, use: string): Promise<void> {
    if (isFileKey(key)) await this.release(key, ownerId, use);
  }

  async deleteFile(key: string): Promise<void> {
    if (!isFileKey(key)) return;
    await this.registry.forget(key);
    await this.attachments.remove(key);
  }

  async markAttached(key: string): Promise<void> {
    if (isMediaKey(key) || isFileKey(key)) await this.registry.markAttached(key);
  }

  async sweepOrphans(now = Date.now()): Promise<number> {
    let deleted = 0;
    for (const { entry, key } of await this.registry.due(now)) {
      if (!(await this.registry.takeForSweep(entry, key))) continue;
      if (isMediaKey(key)) await this.deleteImage(key);
      else if (isFileKey(key)) await this.deleteFile(key);
      else continue;
      deleted++;
    }
    return deleted;
  }

  private async remember(ref: UploadRef, ownerId: string): Promise<void> {
    try {
      await this.registry.remember(ref, ownerId);
    } catch (error) {
      // An upload nobody can claim is only litter.
      await (isFileKey(ref.key) ? this.attachments.remove(ref.key) : this.removeImageFiles(ref.key)).catch(() => undefined);
      throw error;
    }
  }

  private async claim<T extends UploadRef>(ours: boolean, key: string, ownerId: string, use: string): Promise<T> {
    // Someone else's upload and no upload at all answer the same, so keys cannot be probed.
    const record = ours ? await this.registry.find<T>(key) : null;
    if (!record || record.ownerId !== ownerId) throw new DomainError(ErrorCodes.MEDIA_NOT_FOUND, 'No such upload');
    if (!(await this.registry.bindToUse(key, use))) {
      throw new DomainError(ErrorCodes.MEDIA_NOT_FOUND, 'This upload is already attached to another message; upload it again');
    }
    return record.ref;
  }

  private async release(key: string, ownerId: string, use: string): Promise<void> {
    const record = await this.registry.find(key);
    if (record && record.ownerId === ownerId) await this.registry.unbindUse(key, use);
  }

  private async removeImageFiles(key: string): Promise<void> {
    await Promise.all([this.files.remove(key), this.files.remove(thumbnailNameOf(key))]);
  }
}
