import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCodes, UsersClient } from '@chat/contracts';
import { AuthenticatedUser } from '@chat/platform';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiErrors } from '../http/api-errors.decorator';
import { SearchUsersQuery, UserPageResponse } from './users.http.dto';

/**
 * `POST /user/all`, the people list of the clients we were described from. It is the people search with the
 * same directory rules (USER_DIRECTORY) and no emails: a private directory lists only your contacts.
 */
@ApiTags('users')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('user')
export class UsersAliasesHttpController {
  constructor(private readonly users: UsersClient) {}

  @Post('all')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Alias of GET /users (the body takes the same fields as its query)' })
  @ApiOkResponse({ type: UserPageResponse })
  @ApiErrors(ErrorCodes.VALIDATION_FAILED, ErrorCodes.AUTH_UNAUTHENTICATED)
  all(@CurrentUser() user: AuthenticatedUser, @Body() body: SearchUsersQuery) {
    return this.users.search({ query: body.q ?? '', cursor: body.cursor, limit: body.limit, searcherId: user.userId });
  }
}
