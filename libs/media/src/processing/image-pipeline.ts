import { ErrorCodes } from '@chat/contracts';
import { DomainError } from '@chat/platform';
import sharp, { Metadata } from 'sharp';
import { IncomingImage } from '../media-store.port';
import { STORED_IMAGE_MIME_TYPE } from '../media-names';
import { DecodeSlots } from './decode-slots';
import { sniffImageType, SniffedImageType } from './sniff-image-type';

export interface ImageLimits {
  maxBytes: number;
  maxPixels: number;
  /** Images decoded at the same time in this process (default 2). */
  concurrentDecodes?: number;
}

/** An upload after the checks, re-encoded without metadata, with its thumbnail. */
export interface ProcessedImage {
  image: Buffer;
  thumbnail: Buffer;
  width: number;
  height: number;
  mimeType: string;
  sourceType: SniffedImageType;
}

export const THUMBNAIL_WIDTH = 320;
const IMAGE_QUALITY = 82;
const THUMBNAIL_QUALITY = 70;

/**
 * Turns untrusted bytes into an image we are willing to store. The cheap checks come first and none of them
 * decodes pixels: size, magic bytes, then the dimensions read from the header (a 20,000×20,000 PNG is a few
 * bytes of header over a decompression bomb). Only then is the image decoded, with libvips' own pixel limit as
 * a second fence, rotated by its EXIF orientation and re-encoded as WebP; sharp writes no metadata unless asked,
 * so EXIF (GPS, camera serials), ICC and XMP are dropped.
 */
export class ImagePipeline {
  private readonly slots: DecodeSlots;

  constructor(private readonly limits: ImageLimits) {
    this.slots = new DecodeSlots(limits.concurrentDecodes ?? 2);
  }

  async process(file: IncomingImage): Promise<ProcessedImage> {
    const bytes = file.buffer;
    if (!bytes || bytes.length === 0) throw new DomainError(ErrorCodes.MEDIA_EMPTY, 'The file is empty');
    if (bytes.length > this.limits.maxBytes) {
      throw new DomainError(ErrorCodes.MEDIA_TOO_LARGE, `Images may be at most ${this.limits.maxBytes} bytes`, { maxBytes: this.limits.maxBytes });
    }
    const sourceType = sniffImageType(bytes);
    if (!sourceType) {
      throw new DomainError(ErrorCodes.MEDIA_UNSUPPORTED_TYPE, 'Only JPEG, PNG, WebP and GIF images are accepted');
    }

    const header = await this.readHeader(bytes);
    // The header must agree with the magic bytes; a disagreement means a crafted or broken file.
    if (header.format !== sourceType || !header.width || !header.height) {
      throw new DomainError(ErrorCodes.MEDIA_CORRUPT, 'The image could not be read');
    }
    const pages = Math.max(1, header.pages ?? 1);
    const frameHeight = header.pageHeight ?? header.height;
    // Every frame of an animation is decoded, so they all count.
    if (header.width * frameHeight * pages > this.limits.maxPixels) {
      throw new DomainError(ErrorCodes.MEDIA_TOO_MANY_PIXELS, `Images may have at most ${this.limits.maxPixels} pixels`, {
        maxPixels: this.limits.maxPixels,
      });
    }
    return this.slots.run(() => this.reencode(bytes, sourceType, pages > 1, frameHeight));
  }

  /** Dimensions and format from the header only; nothing is decoded here. */
  private async readHeader(bytes: Buffer): Promise<Metadata> {
    try {
      return await sharp(bytes, { limitInputPixels: false }).metadata();
    } catch {
      throw new DomainError(ErrorCodes.MEDIA_CORRUPT, 'The image could not be read');
    }
  }

  private async reencode(bytes: Buffer, sourceType: SniffedImageType, animated: boolean, frameHeight: number): Promise<ProcessedImage> {
    // failOn 'truncated': a cut-off file is refused rather than stored half grey; harmless warnings still pass.
    const decoded = sharp(bytes, { limitInputPixels: this.limits.maxPixels, failOn: 'truncated', animated });
    // rotate() without an angle applies the EXIF orientation, before the EXIF is dropped. Animations carry none.
    const upright = animated ? decoded : decoded.rotate();
    try {
      const [image, thumbnail] = await Promise.all([
        upright.clone().webp({ quality: IMAGE_QUALITY }).toBuffer({ resolveWithObject: true }),
        upright.clone().resize({ width: THUMBNAIL_WIDTH, withoutEnlargement: true }).webp({ quality: THUMBNAIL_QUALITY }).toBuffer(),
      ]);
      return {
        image: image.data,
        thumbnail,
        width: image.info.width,
        height: animated ? (image.info.pageHeight ?? frameHeight) : image.info.height,
        mimeType: STORED_IMAGE_MIME_TYPE,
        sourceType,
      };
    } catch (error) {
      if (/pixel limit/i.test(String((error as Error)?.message))) {
        throw new DomainError(ErrorCodes.MEDIA_TOO_MANY_PIXELS, `Images may have at most ${this.limits.maxPixels} pixels`);
      }
      throw new DomainError(ErrorCodes.MEDIA_CORRUPT, 'The image is damaged or truncated');
    }
  }
}
