import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ErrorCodes } from '@chat/contracts';
import { DomainError, Public } from '@chat/platform';
import type { Response } from 'express';
import { createReadStream } from 'node:fs';
import { attachmentDisposition } from '../files/file-names';
import { STORED_IMAGE_MIME_TYPE } from '../media-names';
import { LocalDiskAttachmentFiles } from '../storage/local-disk-attachment-files';
import { LOCAL_MEDIA_ROUTE, LocalDiskImageFiles } from '../storage/local-disk-image-files';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * Serves images of the local-disk adapter at `/media/<name>` (outside /api/v1, like other static assets).
 *
 * Public on purpose: the names are 128 random bits, unguessable and never listed, so a URL is a capability,
 * just as Cloudinary URLs are in the scaled-out setup. Requiring a session would break `<img src>` wherever the
 * access token travels as a bearer header rather than a cookie, and would make the two adapters behave
 * differently. Who may SEE a URL is decided where it is handed out: only chat members get a message's image.
 */
@ApiTags('media')
@Public()
@Controller(LOCAL_MEDIA_ROUTE)
export class LocalMediaHttpController {
  constructor(
    private readonly files: LocalDiskImageFiles,
    private readonly attachments: LocalDiskAttachmentFiles,
  ) {}

  @Get('files/:key')
  @ApiOperation({ summary: 'An uploaded file or voice message (local storage only), as a download, by the URL the upload returned' })
  @ApiParam({ name: 'key', example: '3f1c0b5e9a7d4c2b8e6f1a0d9c8b7a65.bin' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({
    description:
      'The bytes as uploaded, always `Content-Disposition: attachment` with the cleaned name, `X-Content-Type-Options: nosniff` and ' +
      'the type recognised from the bytes (application/octet-stream when unknown, never HTML or SVG). Range requests are honoured.',
  })
  @ApiNotFoundResponse({ description: 'Error code: MEDIA.NOT_FOUND' })
  async download(@Param('key') key: string, @Res() response: Response): Promise<void> {
    // find() accepts only keys of our own pattern, so `..`, slashes or other names never reach the disk.
    const file = await this.attachments.find(key);
    if (!file) throw new DomainError(ErrorCodes.MEDIA_NOT_FOUND, 'No such file');
    // The name never decides the type: the type is the one recognised from the bytes at upload.
    response.set({
      'Content-Disposition': attachmentDisposition(file.meta.name),
      'Content-Type': file.meta.mimeType,
      'X-Content-Type-Options': 'nosniff',
      // A capability URL of never-reused bytes: cacheable, but only by the browser that was given it.
      'Cache-Control': `private, max-age=${ONE_YEAR_SECONDS}, immutable`,
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cross-Origin-Resource-Policy': 'same-site',
    });
    await new Promise<void>((resolve) =>
      // sendFile answers Range requests (an <audio> element seeking) and conditional ones (ETag, Last-Modified).
      response.sendFile(file.path, { headers: {}, dotfiles: 'deny', acceptRanges: true, cacheControl: false }, (error) => {
        // Deleted between find and read, or the client went away: the headers may be out, so close the connection.
        if (error && !response.headersSent) response.status(404).json({ code: ErrorCodes.MEDIA_NOT_FOUND, message: 'No such file' });
        else if (error) response.destroy();
        resolve();
      }),
    );
  }

  @Get(':name')
  @ApiOperation({ summary: 'An uploaded image or thumbnail (local storage only), by the URL the upload returned' })
  @ApiParam({ name: 'name', example: '3f1c0b5e9a7d4c2b8e6f1a0d9c8b7a65.webp' })
  @ApiProduces(STORED_IMAGE_MIME_TYPE)
  @ApiOkResponse({ description: 'The image, re-encoded as WebP; immutable, cached for a year' })
  @ApiNotFoundResponse({ description: 'Error code: MEDIA.NOT_FOUND' })
  async serve(@Param('name') name: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() response: Response): Promise<void> {
    // find() accepts only names of our own pattern, so `..`, slashes or other extensions never reach the disk.
    const file = await this.files.find(name);
    if (!file) throw new DomainError(ErrorCodes.MEDIA_NOT_FOUND, 'No such image');

    // A name is never reused for other bytes, so the name is a strong validator and the file can be cached forever.
    const etag = `"${name}"`;
    response.set({
      'Content-Type': STORED_IMAGE_MIME_TYPE,
      'X-Content-Type-Options': 'nosniff',
      // Only our own re-encoded raster type reaches this point, and the name is ours, so inline is safe.
      'Content-Disposition': `inline; filename="${name}"`,
      'Cache-Control': `public, max-age=${ONE_YEAR_SECONDS}, immutable`,
      ETag: etag,
      'Last-Modified': file.modifiedAt.toUTCString(),
      // Opened directly, an image gets no script, no plugins, nothing but itself.
      'Content-Security-Policy': "default-src 'none'; img-src 'self'; sandbox",
      // The web app may run on another port of the same host in development.
      'Cross-Origin-Resource-Policy': 'same-site',
    });
    if (ifNoneMatch === etag) {
      response.status(304).end();
      return;
    }
    response.set('Content-Length', String(file.size));
    await new Promise<void>((resolve) => {
      const stream = createReadStream(file.path);
      // Deleted between stat and read: the headers are out, so the connection is simply closed.
      stream.on('error', () => {
        response.destroy();
        resolve();
      });
      stream.on('end', () => resolve());
      stream.pipe(response);
    });
  }
}
