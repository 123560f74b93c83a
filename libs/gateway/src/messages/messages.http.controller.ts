import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ErrorCodes, MAX_REACTION_EMOJI_LENGTH, MessagesClient } from '@chat/contracts';
import { AuthenticatedUser } from '@chat/platform';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiErrors } from '../http/api-errors.decorator';
import { IdParam } from '../http/id-param';
import { MessageSender } from './message-sender';
import { SendCapacityGuard } from './send-capacity.guard';
import { EditMessageRequest, HistoryPageResponse, HistoryQueryParams, MessageResponse, SendMessageRequest } from './messages.http.dto';

const AUTH = ErrorCodes.AUTH_UNAUTHENTICATED;
const INVALID = ErrorCodes.VALIDATION_FAILED;

/** Thin HTTP face of MessagesClient: the sender is always the authenticated user. */
@ApiTags('messages')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller()
export class MessagesHttpController {
  constructor(
    private readonly messages: MessagesClient,
    private readonly sender: MessageSender,
  ) {}

  @Post('chats/:id/messages')
  @UseGuards(SendCapacityGuard)
  @ApiOperation({ summary: 'Send text, an uploaded image or file (or voice message) with an optional caption, or a reply. Idempotent by clientMessageId.' })
  @ApiCreatedResponse({ type: MessageResponse })
  @ApiErrors(INVALID, ErrorCodes.CHAT_NOT_FOUND, ErrorCodes.CHAT_BLOCKED, ErrorCodes.MESSAGE_EMPTY, ErrorCodes.MESSAGE_INVALID_REPLY, ErrorCodes.MESSAGE_INVALID_MENTION, ErrorCodes.MEDIA_NOT_FOUND, ErrorCodes.OVERLOADED, ErrorCodes.RATE_LIMITED, AUTH)
  send(@CurrentUser() user: AuthenticatedUser, @IdParam('id') chatId: string, @Body() body: SendMessageRequest) {
    return this.sender.send({ ...body, senderId: user.userId, chatId });
  }

  @Get('chats/:id/messages')
  @ApiOperation({ summary: 'History: the newest page, or before/after a seq, or around a message; oldest first in each page' })
  @ApiOkResponse({ type: HistoryPageResponse })
  @ApiErrors(INVALID, ErrorCodes.CHAT_NOT_FOUND, ErrorCodes.MESSAGE_NOT_FOUND, AUTH)
  history(@CurrentUser() user: AuthenticatedUser, @Param('id') chatId: string, @Query() query: HistoryQueryParams) {
    return this.messages.history({ userId: user.userId, chatId, ...query });
  }

  @Get('messages/:id')
  @ApiOperation({ summary: 'One message' })
  @ApiOkResponse({ type: MessageResponse })
  @ApiErrors(ErrorCodes.MESSAGE_NOT_FOUND, AUTH)
  get(@CurrentUser() user: AuthenticatedUser, @Param('id') messageId: string) {
    return this.messages.get({ userId: user.userId, messageId });
  }

  @Patch('messages/:id')
  @ApiOperation({ summary: 'Edit my message’s text' })
  @ApiOkResponse({ type: MessageResponse })
  @ApiErrors(INVALID, ErrorCodes.MESSAGE_NOT_FOUND, ErrorCodes.MESSAGE_NOT_SENDER, ErrorCodes.MESSAGE_DELETED, ErrorCodes.MESSAGE_EMPTY, ErrorCodes.MESSAGE_INVALID_MENTION, AUTH)
  edit(@CurrentUser() user: AuthenticatedUser, @Param('id') messageId: string, @Body() body: EditMessageRequest) {
    return this.messages.edit({ userId: user.userId, messageId, text: body.text });
  }

  @Delete('messages/:id')
  @ApiOperation({ summary: 'Delete my message for everyone (a tombstone stays; its image or file is removed)' })
  @ApiOkResponse({ type: MessageResponse })
  @ApiErrors(ErrorCodes.MESSAGE_NOT_FOUND, ErrorCodes.MESSAGE_NOT_SENDER, AUTH)
  deleteForEveryone(@CurrentUser() user: AuthenticatedUser, @Param('id') messageId: string) {
    return this.messages.deleteForEveryone({ userId: user.userId, messageId });
  }

  @Post('messages/:id/hide')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a message for me only' })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCodes.MESSAGE_NOT_FOUND, AUTH)
  async hide(@CurrentUser() user: AuthenticatedUser, @Param('id') messageId: string) {
    await this.messages.deleteForMe({ userId: user.userId, messageId });
  }

  @Put('messages/:id/reactions/:emoji')
  @ApiOperation({ summary: 'React to a message with one emoji (each member has each emoji once; adding it again changes nothing)' })
  @ApiParam({ name: 'emoji', example: '👍', description: `Exactly one emoji, URL-encoded (at most ${MAX_REACTION_EMOJI_LENGTH} UTF-16 units)` })
  @ApiOkResponse({ type: MessageResponse, description: 'The message with its reactions as they are now' })
  @ApiErrors(INVALID, ErrorCodes.REACTION_INVALID, ErrorCodes.REACTION_TOO_MANY, ErrorCodes.MESSAGE_NOT_FOUND, ErrorCodes.MESSAGE_DELETED, AUTH)
  react(@CurrentUser() user: AuthenticatedUser, @Param('id') messageId: string, @Param('emoji') emoji: string) {
    return this.messages.react({ userId: user.userId, messageId, emoji, on: true });
  }

  @Delete('messages/:id/reactions/:emoji')
  @ApiOperation({ summary: 'Take back my reaction with this emoji (removing one I do not have changes nothing)' })
  @ApiParam({ name: 'emoji', example: '👍', description: 'Exactly one emoji, URL-encoded' })
  @ApiOkResponse({ type: MessageResponse, description: 'The message with its reactions as they are now' })
  @ApiErrors(INVALID, ErrorCodes.REACTION_INVALID, ErrorCodes.MESSAGE_NOT_FOUND, ErrorCodes.MESSAGE_DELETED, AUTH)
  unreact(@CurrentUser() user: AuthenticatedUser, @Param('id') messageId: string, @Param('emoji') emoji: string) {
    return this.messages.react({ userId: user.userId, messageId, emoji, on: false });
  }
}
