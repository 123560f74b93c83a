import { Provider } from '@nestjs/common';
import { AttachmentFiles } from './attachment-files.port';
import { CloudinaryAccount } from './cloudinary-account';
import { CloudinaryAttachmentFiles } from './cloudinary-attachment-files';
import { CloudinaryImageFiles } from './cloudinary-image-files';
import { ImageFiles } from './image-files.port';

/**
 * Images and files on Cloudinary. MediaModule requires this file only when CLOUDINARY_URL is set, so a gateway
 * that keeps media on local disk (the default) never loads the Cloudinary SDK.
 */
export function cloudinaryStorage(account: CloudinaryAccount): Provider[] {
  return [
    { provide: ImageFiles, useFactory: () => new CloudinaryImageFiles(account) },
    { provide: AttachmentFiles, useFactory: () => new CloudinaryAttachmentFiles(account) },
  ];
}
