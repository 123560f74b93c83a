import { Body, Controller, Get, Param, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChatsClient, ErrorCodes, MessagesClient } from '@chat/contracts';
import { ImageUploadInterceptor, toIncomingImage } from '@chat/media';
import { AuthenticatedUser } from '@chat/platform';
import { randomUUID } from 'node:crypto';
import { CurrentUser } from '../auth/current-user.decorator';
import { ChatPageResponse, ChatSummaryResponse, NewChatAliasRequest } from '../chats/chats.http.dto';
import { ApiErrors } from '../http/api-errors.decorator';
import { MessageImages } from './message-images';
import { MessageSender } from './message-sender';
import { HistoryPageResponse, MessageResponse, SendMessageAliasRequest } from './messages.http.dto';

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
    private readonly sender: MessageSender,
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
  @UseInterceptors(ImageUploadInterceptor('image'))
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['chatId'],
      properties: {
        chatId: { type: 'string', example: 'c1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b' },
        text: { type: 'string', example: 'See you at noon?' },
        clientMessageId: { type: 'string', description: 'Optional; when absent every request is a new message' },
        replyTo: { type: 'string', description: 'Id of a message of the same chat' },
        image: { type: 'string', format: 'binary', description: 'multipart/form-data only' },
      },
    },
  })
  @ApiOperation({ summary: 'Alias of POST /chats/:id/messages; multipart with an `image` file sends a picture' })
  @ApiCreatedResponse({ type: MessageResponse })
  @ApiErrors(
    ErrorCodes.VALIDATION_FAILED,
    ErrorCodes.CHAT_NOT_FOUND,
    ErrorCodes.MESSAGE_EMPTY,
    ErrorCodes.MESSAGE_INVALID_REPLY,
    ErrorCodes.MESSAGE_INVALID_MENTION,
    ErrorCodes.MEDIA_UNSUPPORTED_TYPE,
    ErrorCodes.MEDIA_TOO_LARGE,
    ErrorCodes.MEDIA_TOO_MANY_PIXELS,
    ErrorCodes.MEDIA_CORRUPT,
    ErrorCodes.OVERLOADED,
    ErrorCodes.RATE_LIMITED,
    ErrorCodes.AUTH_UNAUTHENTICATED,
  )
  async send(@CurrentUser() user: AuthenticatedUser, @Body() body: SendMessageAliasRequest, @UploadedFile() file?: Express.Multer.File) {
    const image = file ? await this.images.upload(toIncomingImage(file), user.userId) : null;
    return this.sender.admit(() =>
      this.messages.send({
        senderId: user.userId,
        chatId: body.chatId,
        clientMessageId: body.clientMessageId ?? randomUUID(),
        text: body.text,
        image,
        replyToId: body.replyTo,
      }),
    );
  }

  @Get('message/:chatId')
  @ApiOperation({ summary: 'Alias of GET /chats/:id/messages (newest page)' })
  @ApiOkResponse({ type: HistoryPageResponse })
  @ApiErrors(ErrorCodes.CHAT_NOT_FOUND, ErrorCodes.AUTH_UNAUTHENTICATED)
  history(@CurrentUser() user: AuthenticatedUser, @Param('chatId') chatId: string) {
    return this.messages.history({ userId: user.userId, chatId });
  }
}
