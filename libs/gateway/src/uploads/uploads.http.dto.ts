import { ApiProperty } from '@nestjs/swagger';
import { ImageRef } from '@chat/contracts';

export class ImageRefResponse implements ImageRef {
  @ApiProperty({ description: 'Server-made key; send it as the `imageKey` of a message', example: '3f1c0b5e9a7d4c2b8e6f1a0d9c8b7a65.webp' })
  key: string;
  @ApiProperty({ description: 'Where the image is served (relative on local storage, absolute on Cloudinary)', example: '/media/3f1c0b5e9a7d4c2b8e6f1a0d9c8b7a65.webp' })
  url: string;
  @ApiProperty({ description: `At most 320 px wide`, example: '/media/3f1c0b5e9a7d4c2b8e6f1a0d9c8b7a65_thumb.webp' })
  thumbnailUrl: string;
  @ApiProperty({ description: 'After EXIF rotation', example: 1280 }) width: number;
  @ApiProperty({ example: 960 }) height: number;
  @ApiProperty({ description: 'Always a type the server encoded, never the uploaded one', example: 'image/webp' }) mimeType: string;
  @ApiProperty({ description: 'Size of the stored image', example: 183422 }) bytes: number;
}

/** Swagger's picture of the multipart body (multer reads the real one). */
export const UPLOAD_IMAGE_BODY_SCHEMA = {
  type: 'object',
  required: ['file'],
  properties: {
    file: {
      type: 'string',
      format: 'binary',
      description:
        'A JPEG, PNG, WebP or GIF image (recognised by its bytes, not its name or declared type; never SVG). At most ' +
        'UPLOAD_MAX_BYTES (10 MB by default) and UPLOAD_MAX_PIXELS pixels. Re-encoded as WebP without metadata.',
    },
  },
};

/** Swagger's picture of the multipart body of a file upload (multer reads the real one). */
export const UPLOAD_FILE_BODY_SCHEMA = {
  type: 'object',
  required: ['file'],
  properties: {
    file: {
      type: 'string',
      format: 'binary',
      description: 'Any file, at most FILE_UPLOAD_MAX_BYTES (25 MB by default). A voice message: a WebM, Ogg, MP4, MP3 or WAV recording.',
    },
    kind: { type: 'string', enum: ['file', 'voice'], default: 'file' },
    durationMs: { type: 'integer', minimum: 1, description: 'Voice messages (required there): length in milliseconds' },
  },
};
