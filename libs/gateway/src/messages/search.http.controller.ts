import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCodes, MessagesClient } from '@chat/contracts';
import { AuthenticatedUser } from '@chat/platform';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiErrors } from '../http/api-errors.decorator';
import { SearchQueryParams, SearchResultPageResponse } from './search.http.dto';

/** Thin HTTP face of Messages' search: always as the authenticated user, over what they may see. */
@ApiTags('messages')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller()
export class SearchHttpController {
  constructor(private readonly messages: MessagesClient) {}

  @Get('search/messages')
  @ApiOperation({
    summary: 'Full-text search of my messages, in one chat or all of mine: newest or most relevant first, with the matched words as ranges',
    description:
      'Never returns a message deleted for everyone, deleted for me, from a chat I am not a member of, or sent before I joined. Open a result with GET /chats/{chatId}/messages?around={message.id}.',
  })
  @ApiOkResponse({ type: SearchResultPageResponse })
  @ApiErrors(ErrorCodes.VALIDATION_FAILED, ErrorCodes.CHAT_NOT_FOUND, ErrorCodes.AUTH_UNAUTHENTICATED)
  search(@CurrentUser() user: AuthenticatedUser, @Query() { q, chatId, order, cursor, limit }: SearchQueryParams) {
    return this.messages.search({ userId: user.userId, query: q, chatId, order, cursor, limit });
  }
}
