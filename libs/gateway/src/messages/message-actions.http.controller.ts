import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCodes, MessagesClient } from '@chat/contracts';
import { AuthenticatedUser } from '@chat/platform';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiErrors } from '../http/api-errors.decorator';
import { ForwardMessageRequest, PinResponse } from './message-actions.http.dto';
import { MessageSender } from './message-sender';
import { MessageResponse } from './messages.http.dto';
import { SendCapacityGuard } from './send-capacity.guard';

const AUTH = ErrorCodes.AUTH_UNAUTHENTICATED;
const INVALID = ErrorCodes.VALIDATION_FAILED;

/** Forward and pin: thin HTTP faces of MessagesClient; the acting user is always the authenticated one. */
@ApiTags('messages')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller()
export class MessageActionsHttpController {
  constructor(
    private readonly messages: MessagesClient,
    private readonly sender: MessageSender,
  ) {}

  @Post('messages/:id/forward')
  @UseGuards(SendCapacityGuard)
  @ApiOperation({ summary: 'Forward a message I can see to another chat I am in (text and media copied, marked forwarded). Idempotent by clientMessageId.' })
  @ApiCreatedResponse({ type: MessageResponse })
  @ApiErrors(INVALID, ErrorCodes.MESSAGE_NOT_FOUND, ErrorCodes.MESSAGE_DELETED, ErrorCodes.CHAT_NOT_FOUND, ErrorCodes.CHAT_BLOCKED, ErrorCodes.OVERLOADED, ErrorCodes.RATE_LIMITED, AUTH)
  forward(@CurrentUser() user: AuthenticatedUser, @Param('id') messageId: string, @Body() body: ForwardMessageRequest) {
    return this.sender.forward({ userId: user.userId, messageId, toChatId: body.chatId, clientMessageId: body.clientMessageId });
  }

  @Get('chats/:id/pins')
  @ApiOperation({ summary: 'The chat’s pinned messages, newest pin first' })
  @ApiOkResponse({ type: [PinResponse] })
  @ApiErrors(ErrorCodes.CHAT_NOT_FOUND, AUTH)
  pins(@CurrentUser() user: AuthenticatedUser, @Param('id') chatId: string) {
    return this.messages.pins({ userId: user.userId, chatId });
  }

  @Put('chats/:id/pins/:messageId')
  @ApiOperation({ summary: 'Pin a message of the chat for every member (1:1: either member; group: admins). Pinning again changes nothing.' })
  @ApiOkResponse({ type: PinResponse })
  @ApiErrors(ErrorCodes.MESSAGE_NOT_FOUND, ErrorCodes.MESSAGE_DELETED, ErrorCodes.CHAT_NOT_ADMIN, ErrorCodes.MESSAGE_TOO_MANY_PINS, AUTH)
  pin(@CurrentUser() user: AuthenticatedUser, @Param('id') chatId: string, @Param('messageId') messageId: string) {
    return this.messages.pin({ userId: user.userId, chatId, messageId });
  }

  @Delete('chats/:id/pins/:messageId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unpin a message (the same people as pin). Unpinning what is not pinned changes nothing.' })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCodes.MESSAGE_NOT_FOUND, ErrorCodes.CHAT_NOT_ADMIN, AUTH)
  async unpin(@CurrentUser() user: AuthenticatedUser, @Param('id') chatId: string, @Param('messageId') messageId: string) {
    await this.messages.unpin({ userId: user.userId, chatId, messageId });
  }
}
