import { Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChatsClient, ErrorCodes, UsersClient, USERS_BATCH_MAX } from '@chat/contracts';
import { AuthenticatedUser } from '@chat/platform';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiErrors } from '../http/api-errors.decorator';
import { toPublicUser } from './public-user';
import { PublicUserResponse } from './users.http.dto';

/**
 * Blocking: the blocked person cannot start a chat with me or send into our 1:1 chat, and neither of us sees the
 * other's presence or last seen. Blocks belong to Chats (who may talk to whom); the profiles come from Users.
 */
@ApiTags('users')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('users')
export class BlocksHttpController {
  constructor(
    private readonly chats: ChatsClient,
    private readonly users: UsersClient,
  ) {}

  @Get('me/blocks')
  @ApiOperation({ summary: 'The people I blocked, most recent first' })
  @ApiOkResponse({ type: [PublicUserResponse] })
  @ApiErrors(ErrorCodes.AUTH_UNAUTHENTICATED)
  async list(@CurrentUser() user: AuthenticatedUser) {
    const ids = (await this.chats.blockedBy({ userId: user.userId })).slice(0, USERS_BATCH_MAX);
    if (!ids.length) return [];
    const byId = new Map((await this.users.getMany({ ids })).map((u) => [u.id, toPublicUser(u)]));
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  @Put(':id/block')
  @HttpCode(204)
  @ApiOperation({ summary: 'Block someone (blocking twice is one block)' })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCodes.VALIDATION_FAILED, ErrorCodes.USER_NOT_FOUND, ErrorCodes.AUTH_UNAUTHENTICATED)
  async block(@CurrentUser() user: AuthenticatedUser, @Param('id') otherUserId: string) {
    await this.chats.block({ userId: user.userId, otherUserId });
  }

  @Delete(':id/block')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unblock someone (unblocking who is not blocked changes nothing)' })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCodes.VALIDATION_FAILED, ErrorCodes.AUTH_UNAUTHENTICATED)
  async unblock(@CurrentUser() user: AuthenticatedUser, @Param('id') otherUserId: string) {
    await this.chats.unblock({ userId: user.userId, otherUserId });
  }
}
