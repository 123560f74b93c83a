import { Body, Controller, HttpCode, HttpStatus, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCookieAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCodes } from '@chat/contracts';
import { FileUploadInterceptor, ImageUploadInterceptor, MediaStore, toIncomingFile, toIncomingImage } from '@chat/media';
import { AuthenticatedUser, DomainError } from '@chat/platform';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiErrors } from '../http/api-errors.decorator';
import { FileRefResponse, FileUploadFields } from '../messages/messages.http.dto';
import { ImageRefResponse, UPLOAD_FILE_BODY_SCHEMA, UPLOAD_IMAGE_BODY_SCHEMA } from './uploads.http.dto';

@ApiTags('uploads')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('uploads')
export class UploadsHttpController {
  constructor(private readonly media: MediaStore) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @UseInterceptors(ImageUploadInterceptor('file'))
  @ApiOperation({
    summary: 'Upload an image to attach to a message',
    description:
      'Multipart, field `file`. Checked before decoding (size, magic bytes, pixel count), re-encoded without metadata, ' +
      'thumbnailed and stored under a server-made name. Only the uploader can attach the returned key to a message, ' +
      'within 24 hours.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: UPLOAD_IMAGE_BODY_SCHEMA })
  @ApiCreatedResponse({ type: ImageRefResponse })
  @ApiErrors(
    ErrorCodes.MEDIA_EMPTY,
    ErrorCodes.VALIDATION_FAILED,
    ErrorCodes.AUTH_UNAUTHENTICATED,
    ErrorCodes.MEDIA_TOO_LARGE,
    ErrorCodes.MEDIA_UNSUPPORTED_TYPE,
    ErrorCodes.MEDIA_TOO_MANY_PIXELS,
    ErrorCodes.MEDIA_CORRUPT,
  )
  upload(@CurrentUser() user: AuthenticatedUser, @UploadedFile() file: Express.Multer.File | undefined): Promise<ImageRefResponse> {
    if (!file) throw new DomainError(ErrorCodes.VALIDATION_FAILED, 'Attach the image as multipart/form-data in the field "file"');
    return this.media.storeImage(toIncomingImage(file), user.userId);
  }

  @Post('files')
  @HttpCode(HttpStatus.CREATED)
  @UseInterceptors(FileUploadInterceptor('file'))
  @ApiOperation({
    summary: 'Upload a file or a voice message to attach to a message',
    description:
      'Multipart, field `file`, with `kind` (`file`, the default, or `voice`) and, for a voice message, `durationMs`. Any file up to ' +
      'FILE_UPLOAD_MAX_BYTES (25 MB by default); over it, 413 MEDIA.TOO_LARGE and nothing is stored. Stored as it came under a ' +
      'server-made name; its type is recognised from its bytes, and it downloads as an attachment with nosniff. Images sent ' +
      'this way are files too (no preview): send them to POST /uploads for an inline picture. Only the uploader can attach the ' +
      'returned key (as `fileKey`) to a message, within UPLOAD_ORPHAN_TTL_SECONDS; an upload not attached by then is deleted.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: UPLOAD_FILE_BODY_SCHEMA })
  @ApiCreatedResponse({ type: FileRefResponse })
  @ApiErrors(ErrorCodes.MEDIA_EMPTY, ErrorCodes.VALIDATION_FAILED, ErrorCodes.AUTH_UNAUTHENTICATED, ErrorCodes.MEDIA_TOO_LARGE, ErrorCodes.MEDIA_UNSUPPORTED_TYPE)
  uploadFile(
    @CurrentUser() user: AuthenticatedUser,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() fields: FileUploadFields,
  ): Promise<FileRefResponse> {
    if (!file) throw new DomainError(ErrorCodes.VALIDATION_FAILED, 'Attach the file as multipart/form-data in the field "file"');
    return this.media.storeFile(toIncomingFile(file), user.userId, { kind: fields.kind ?? 'file', durationMs: fields.durationMs ?? null });
  }
}
