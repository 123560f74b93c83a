import { CallHandler, ExecutionContext, Injectable, mixin, NestInterceptor, Type } from '@nestjs/common';
import { ErrorCodes } from '@chat/contracts';
import { AppConfig, DomainError } from '@chat/platform';
import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import { Observable } from 'rxjs';
import { IncomingFile } from '../media-store.port';
import { tooLarge } from '../processing/file-policy';

/** Text fields that may travel with the file (a message's chat id, caption, client id, a voice duration…). */
const MAX_FIELDS = 20;
const MAX_FIELD_BYTES = 64 * 1024;

type UploadLimit = 'UPLOAD_MAX_BYTES' | 'FILE_UPLOAD_MAX_BYTES';

/**
 * Reads one multipart file into memory with multer, bounded by the limit named (UPLOAD_MAX_BYTES for images,
 * FILE_UPLOAD_MAX_BYTES for files and voice): multer stops buffering at the limit and drains the rest, so an
 * oversized body never sits in memory and nothing of it is stored. Errors leave with MEDIA.* or VALIDATION.FAILED
 * codes instead of Nest's generic ones. The file lands in `req.file` (`@UploadedFile()`), the text fields in
 * `req.body`; a request without a file passes through, so routes where it is optional can use this too.
 *
 * Put it after authentication (guards run before interceptors), so anonymous bodies are never parsed.
 */
function multipartUploadInterceptor(fieldName: string, limit: UploadLimit): Type<NestInterceptor> {
  @Injectable()
  class MultipartUploadInterceptor implements NestInterceptor {
    private readonly parse: RequestHandler;
    private readonly maxBytes: number;

    constructor(config: AppConfig) {
      this.maxBytes = config.env[limit];
      this.parse = multer({
        storage: multer.memoryStorage(),
        // Browsers send file names as raw UTF-8; busboy would read them as Latin-1 ("Ã©tÃ©.pdf").
        ...({ defParamCharset: 'utf8' } as object),
        limits: { fileSize: this.maxBytes, files: 1, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + 1 },
      }).single(fieldName);
    }

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const http = context.switchToHttp();
      await new Promise<void>((resolve, reject) =>
        this.parse(http.getRequest<Request>(), http.getResponse<Response>(), (error?: unknown) =>
          error ? reject(toUploadError(error, fieldName, this.maxBytes)) : resolve(),
        ),
      );
      return next.handle();
    }
  }
  return mixin(MultipartUploadInterceptor);
}

/** One image, at most UPLOAD_MAX_BYTES. */
export function ImageUploadInterceptor(fieldName = 'file'): Type<NestInterceptor> {
  return multipartUploadInterceptor(fieldName, 'UPLOAD_MAX_BYTES');
}

/** One file or voice recording, at most FILE_UPLOAD_MAX_BYTES. */
export function FileUploadInterceptor(fieldName = 'file'): Type<NestInterceptor> {
  return multipartUploadInterceptor(fieldName, 'FILE_UPLOAD_MAX_BYTES');
}

function toUploadError(error: unknown, fieldName: string, maxBytes: number): DomainError {
  if (error instanceof MulterError) {
    switch (error.code) {
      case 'LIMIT_FILE_SIZE':
        return tooLarge(maxBytes);
      case 'LIMIT_UNEXPECTED_FILE':
      case 'LIMIT_FILE_COUNT':
        return new DomainError(ErrorCodes.VALIDATION_FAILED, `Send one file, in the multipart field "${fieldName}"`);
      default:
        return new DomainError(ErrorCodes.VALIDATION_FAILED, `Multipart body refused: ${error.message}`);
    }
  }
  // busboy's own complaints (no boundary, body cut short) are the client's.
  return new DomainError(ErrorCodes.VALIDATION_FAILED, 'Malformed multipart body');
}

/** multer's file as the MediaStore port takes it. */
export function toIncomingImage(file: Express.Multer.File): IncomingFile {
  return { buffer: file.buffer, originalName: file.originalname, declaredMimeType: file.mimetype, size: file.size };
}
export const toIncomingFile = toIncomingImage;
