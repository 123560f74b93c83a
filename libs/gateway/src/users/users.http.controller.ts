import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCodes, UsersClient } from '@chat/contracts';
import { AuthenticatedUser } from '@chat/platform';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiErrors } from '../http/api-errors.decorator';
import { toPublicUser } from './public-user';
import { PublicUserResponse, SearchUsersQuery, UpdateProfileRequest, UserIdsQuery, UserPageResponse, UserResponse } from './users.http.dto';

@ApiTags('users')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('users')
export class UsersHttpController {
  constructor(private readonly users: UsersClient) {}

  @Get('me')
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(ErrorCodes.AUTH_UNAUTHENTICATED)
  me(@CurrentUser() user: AuthenticatedUser) {
    return this.users.get({ id: user.userId });
  }

  @Patch('me')
  @ApiOperation({ summary: 'Change display name or avatar' })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(ErrorCodes.VALIDATION_FAILED, ErrorCodes.AUTH_UNAUTHENTICATED)
  updateMe(@CurrentUser() user: AuthenticatedUser, @Body() body: UpdateProfileRequest) {
    return this.users.updateProfile({ userId: user.userId, ...body });
  }

  @Get()
  @ApiOperation({
    summary: 'Find people, cursor-paginated, never showing their email',
    description:
      'An exact email finds that one person. A name prefix (empty: everyone) finds everyone with USER_DIRECTORY=open, ' +
      'and only people who share a chat with you when it is private (the default); a private page may come back short, with a cursor to go on.',
  })
  @ApiOkResponse({ type: UserPageResponse })
  @ApiErrors(ErrorCodes.VALIDATION_FAILED, ErrorCodes.AUTH_UNAUTHENTICATED)
  search(@CurrentUser() user: AuthenticatedUser, @Query() query: SearchUsersQuery) {
    return this.users.search({ query: query.q ?? '', cursor: query.cursor, limit: query.limit, searcherId: user.userId });
  }

  @Get('batch')
  @ApiOperation({ summary: 'Several users by id (no emails); unknown ids are left out' })
  @ApiOkResponse({ type: [PublicUserResponse] })
  @ApiErrors(ErrorCodes.VALIDATION_FAILED, ErrorCodes.AUTH_UNAUTHENTICATED)
  async batch(@Query() query: UserIdsQuery) {
    const ids = query.ids.split(',').map((id) => id.trim()).filter(Boolean).slice(0, 100);
    return (await this.users.getMany({ ids })).map(toPublicUser);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user by id (no email: yours is in /users/me)' })
  @ApiOkResponse({ type: PublicUserResponse })
  @ApiErrors(ErrorCodes.USER_NOT_FOUND, ErrorCodes.AUTH_UNAUTHENTICATED)
  async byId(@Param('id') id: string) {
    return toPublicUser(await this.users.get({ id }));
  }
}
