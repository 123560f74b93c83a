import { ErrorCodes, ImageRef } from '@chat/contracts';
import { DomainError } from '@chat/platform';
import { IncomingImage, MediaStore } from './media-store.port';
import { isMediaKey, newMediaKey, thumbnailNameOf } from './media-names';
import { ImagePipeline } from './processing/image-pipeline';
import { UploadRegistry } from './registry/upload-registry';
import { ImageFiles } from './storage/image-files.port';

/**
 * The MediaStore of the gateway process: the checks and re-encoding are the same whatever the storage, so the
 * adapters (local disk, Cloudinary) differ only in the ImageFiles they write to.
 */
export class ImageMediaStore extends MediaStore {
  constructor(
    private readonly pipeline: ImagePipeline,
    private readonly files: ImageFiles,
    private readonly registry: UploadRegistry,
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
      await this.removeFiles(key).catch(() => undefined);
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
    try {
      await this.registry.remember(ref, ownerId);
    } catch (error) {
      // An image nobody can claim is only litter.
      await this.removeFiles(key).catch(() => undefined);
      throw error;
    }
    return ref;
  }

  async claimImage(key: string, ownerId: string, use: string): Promise<ImageRef> {
    // Someone else's upload and no upload at all answer the same, so keys cannot be probed.
    const record = isMediaKey(key) ? await this.registry.find(key) : null;
    if (!record || record.ownerId !== ownerId) throw new DomainError(ErrorCodes.MEDIA_NOT_FOUND, 'No such upload');
    if (!(await this.registry.bindToUse(key, use))) {
      throw new DomainError(ErrorCodes.MEDIA_NOT_FOUND, 'This upload is already attached to another message; upload the image again');
    }
    return record.ref;
  }

  async releaseImage(key: string, ownerId: string, use: string): Promise<void> {
    const record = isMediaKey(key) ? await this.registry.find(key) : null;
    if (record && record.ownerId === ownerId) await this.registry.unbindUse(key, use);
  }

  async deleteImage(key: string): Promise<void> {
    // Keys come back from other modules' events; anything not shaped like ours is not ours to touch.
    if (!isMediaKey(key)) return;
    await this.registry.forget(key);
    await this.removeFiles(key);
  }

  private async removeFiles(key: string): Promise<void> {
    await Promise.all([this.files.remove(key), this.files.remove(thumbnailNameOf(key))]);
  }
}
