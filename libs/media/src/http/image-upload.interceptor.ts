import { CallHandler, ExecutionContext, Injectable, mixin, NestInterceptor, Type } from '@nestjs/common';
import { ErrorCodes } from '@chat/contracts';
import { AppConfig, DomainError } from '@chat/platform';
import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import { Observable } from 'rxjs';
import { IncomingImage } from '../media-store.port';

/** Text fields that may travel with the image (a message's chat id, caption, client id…). */
const MAX_FIELDS = 20;
const MAX_FIELD_BYTES = 64 * 1024;

/**
 * Reads one multipart image into memory with multer, bounded by UPLOAD_MAX_BYTES: multer stops buffering at the
 * limit and drains the rest, so an oversized body never sits in memory. Errors leave with MEDIA.* or
 * VALIDATION.FAILED codes instead of Nest's generic ones. The file lands in `req.file` (`@UploadedFile()`); a
 * request without it passes through, so routes where the image is optional can use this too.
 *
 * Put it after authentication (guards run before interceptors), so anonymous bodies are never parsed.
 */
export function ImageUploadInterceptor(fieldName = 'file'): Type<NestInterceptor> {
  @Injectable()
  class MultipartImageInterceptor implements NestInterceptor {
    private readonly parse: RequestHandler;

    constructor(config: AppConfig) {
      this.parse = multer({
        storage: multer.memoryStorage(),
        limits: { fileSize: config.env.UPLOAD_MAX_BYTES, files: 1, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + 1 },
      }).single(fieldName);
    }

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const http = context.switchToHttp();
      await new Promise<void>((resolve, reject) =>
        this.parse(http.getRequest<Request>(), http.getResponse<Response>(), (error?: unknown) =>
          error ? reject(toUploadError(error, fieldName)) : resolve(),
        ),
      );
      return next.handle();
    }
  }
  return mixin(MultipartImageInterceptor);
}

function toUploadError(error: unknown, fieldName: string): DomainError {
  if (error instanceof MulterError) {
    switch (error.code) {
      case 'LIMIT_FILE_SIZE':
        return new DomainError(ErrorCodes.MEDIA_TOO_LARGE, 'The image is larger than the upload limit');
      case 'LIMIT_UNEXPECTED_FILE':
      case 'LIMIT_FILE_COUNT':
        return new DomainError(ErrorCodes.VALIDATION_FAILED, `Send one image, in the multipart field "${fieldName}"`);
      default:
        return new DomainError(ErrorCodes.VALIDATION_FAILED, `Multipart body refused: ${error.message}`);
    }
  }
  // busboy's own complaints (no boundary, body cut short) are the client's.
  return new DomainError(ErrorCodes.VALIDATION_FAILED, 'Malformed multipart body');
}

/** multer's file as the MediaStore port takes it. */
export function toIncomingImage(file: Express.Multer.File): IncomingImage {
  return { buffer: file.buffer, originalName: file.originalname, declaredMimeType: file.mimetype, size: file.size };
}
