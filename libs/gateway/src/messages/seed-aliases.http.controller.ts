import { Body, Controller, Get, Param, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChatsClient, ErrorCodes, MessagesClient } from '@chat/contracts';
import { AuthenticatedUser } from '@chat/platform';
import { memoryStorage } from 'multer';
import { randomUUID } from 'node:crypto';
import { CurrentUser } from '../auth/current-user.decorator';
import { ChatPageResponse, ChatSummaryResponse, NewChatAliasRequest } from '../chats/chats.http.dto';
import { ApiErrors } from '../http/api-errors.decorator';
import { MessageImages } from './message-images';
import { HistoryPageResponse, MessageResponse, SendMessageAliasRequest } from './messages.http.dto';

/** Multer's own cap (the schema's largest UPLOAD_MAX_BYTES); the media store enforces the configured limit. */
const MULTER_MAX_BYTES = 100 * 1024 * 1024;

/** The routes users of the seed projects know, as aliases of the /chats and /messages routes. */
@ApiTags('seed aliases')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller()
export class SeedAliasesHttpController {
  constructor(
    private readonly chats: ChatsClient,
    private readonly messages: MessagesClient,
    private readonly images: MessageImages,
  ) {}

  @Post('chat/new')
  @ApiOperation({ summary: 'Alias of POST /chats/direct' })
  @ApiCreatedResponse({ type: ChatSummaryResponse })
  @ApiErrors(ErrorCodes.VALIDATION_FAILED, ErrorCodes.CHAT_INVALID_MEMBERS, ErrorCodes.USER_NOT_FOUND, ErrorCodes.AUTH_UNAUTHENTICATED)
  newChat(@CurrentUser() user: AuthenticatedUser, @Body() body: NewChatAliasRequest) {
    return this.chats.openDirect({ userId: user.userId, otherUserId: body.otherUserId });
  }

  @Get('chat/all')
  @ApiOperation({ summary: 'Alias of GET /chats (first page of 100)' })
  @ApiOkResponse({ type: ChatPageResponse })
  @ApiErrors(ErrorCodes.AUTH_UNAUTHENTICATED)
  all(@CurrentUser() user: AuthenticatedUser) {
    return this.chats.list({ userId: user.userId, limit: 100 });
  }

  @Post('message')
  @UseInterceptors(FileInterceptor('image', { storage: memoryStorage(), limits: { fileSize: MULTER_MAX_BYTES, files: 1 } }))
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiOperation({ summary: 'Alias of POST /chats/:id/messages; multipart with an `image` file sends a picture' })
  @ApiCreatedResponse({ type: MessageResponse })
  @ApiErrors(
    ErrorCodes.VALIDATION_FAILED,
    ErrorCodes.CHAT_NOT_FOUND,
    ErrorCodes.MESSAGE_EMPTY,
    ErrorCodes.MESSAGE_INVALID_REPLY,
    ErrorCodes.MEDIA_UNSUPPORTED_TYPE,
    ErrorCodes.MEDIA_TOO_LARGE,
    ErrorCodes.MEDIA_UNAVAILABLE,
    ErrorCodes.AUTH_UNAUTHENTICATED,
  )
  async send(@CurrentUser() user: AuthenticatedUser, @Body() body: SendMessageAliasRequest, @UploadedFile() file?: Express.Multer.File) {
    const image = file
      ? await this.images.upload({ buffer: file.buffer, originalName: file.originalname, declaredMimeType: file.mimetype, size: file.size }, user.userId)
      : null;
    return this.messages.send({
      senderId: user.userId,
      chatId: body.chatId,
      clientMessageId: body.clientMessageId ?? randomUUID(),
      text: body.text,
      image,
      replyToId: body.replyTo,
    });
  }

  @Get('message/:chatId')
  @ApiOperation({ summary: 'Alias of GET /chats/:id/messages (newest page)' })
  @ApiOkResponse({ type: HistoryPageResponse })
  @ApiErrors(ErrorCodes.CHAT_NOT_FOUND, ErrorCodes.AUTH_UNAUTHENTICATED)
  history(@CurrentUser() user: AuthenticatedUser, @Param('chatId') chatId: string) {
    return this.messages.history({ userId: user.userId, chatId });
  }
}
