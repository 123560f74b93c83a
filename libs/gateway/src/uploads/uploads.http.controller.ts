import { Controller, HttpCode, HttpStatus, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCookieAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCodes } from '@chat/contracts';
import { ImageUploadInterceptor, MediaStore, toIncomingImage } from '@chat/media';
import { AuthenticatedUser, DomainError } from '@chat/platform';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiErrors } from '../http/api-errors.decorator';
import { ImageRefResponse, UPLOAD_IMAGE_BODY_SCHEMA } from './uploads.http.dto';

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
}
