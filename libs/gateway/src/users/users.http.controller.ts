import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCodes, UsersClient } from '@chat/contracts';
import { AuthenticatedUser } from '@chat/platform';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiErrors } from '../http/api-errors.decorator';
import { SearchUsersQuery, UpdateProfileRequest, UserIdsQuery, UserPageResponse, UserResponse } from './users.http.dto';

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
  @ApiOperation({ summary: 'Find people by name or email prefix (everyone when q is empty), cursor-paginated' })
  @ApiOkResponse({ type: UserPageResponse })
  @ApiErrors(ErrorCodes.VALIDATION_FAILED, ErrorCodes.AUTH_UNAUTHENTICATED)
  search(@CurrentUser() user: AuthenticatedUser, @Query() query: SearchUsersQuery) {
    return this.users.search({ query: query.q ?? '', cursor: query.cursor, limit: query.limit, excludeId: user.userId });
  }

  @Get('batch')
  @ApiOperation({ summary: 'Several users by id; unknown ids are left out' })
  @ApiOkResponse({ type: [UserResponse] })
  @ApiErrors(ErrorCodes.VALIDATION_FAILED, ErrorCodes.AUTH_UNAUTHENTICATED)
  batch(@Query() query: UserIdsQuery) {
    const ids = query.ids.split(',').map((id) => id.trim()).filter(Boolean).slice(0, 100);
    return this.users.getMany({ ids });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user by id' })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(ErrorCodes.USER_NOT_FOUND, ErrorCodes.AUTH_UNAUTHENTICATED)
  byId(@Param('id') id: string) {
    return this.users.get({ id });
  }
}
