import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChatsClient, ErrorCodes, MessagesClient } from '@chat/contracts';
import { AuthenticatedUser } from '@chat/platform';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiErrors } from '../http/api-errors.decorator';
import { IdParam } from '../http/id-param';
import {
  AddMembersRequest,
  ChatPageResponse,
  ChatSummaryResponse,
  CreateGroupRequest,
  ListChatsQuery,
  MemberReadStateResponse,
  MovePointerRequest,
  MuteRequest,
  OpenDirectChatRequest,
  UpdateGroupRequest,
} from './chats.http.dto';

const AUTH = ErrorCodes.AUTH_UNAUTHENTICATED;
const NOT_FOUND = ErrorCodes.CHAT_NOT_FOUND;
const INVALID = ErrorCodes.VALIDATION_FAILED;

/** Thin HTTP face of ChatsClient (and of MessagesClient for the pointers): the acting user is always the authenticated one. */
@ApiTags('chats')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('chats')
export class ChatsHttpController {
  constructor(
    private readonly chats: ChatsClient,
    private readonly messages: MessagesClient,
  ) {}

  @Post('direct')
  @HttpCode(200)
  @ApiOperation({ summary: 'Open the 1:1 chat with someone (created on first use; one per pair)' })
  @ApiOkResponse({ type: ChatSummaryResponse })
  @ApiErrors(INVALID, ErrorCodes.CHAT_INVALID_MEMBERS, ErrorCodes.USER_NOT_FOUND, ErrorCodes.CHAT_BLOCKED, AUTH)
  openDirect(@CurrentUser() user: AuthenticatedUser, @Body() body: OpenDirectChatRequest) {
    return this.chats.openDirect({ userId: user.userId, otherUserId: body.userId });
  }

  @Post('groups')
  @ApiOperation({ summary: 'Create a group; the creator is its admin' })
  @ApiCreatedResponse({ type: ChatSummaryResponse })
  @ApiErrors(INVALID, ErrorCodes.CHAT_INVALID_MEMBERS, ErrorCodes.USER_NOT_FOUND, ErrorCodes.CHAT_BLOCKED, AUTH)
  createGroup(@CurrentUser() user: AuthenticatedUser, @Body() body: CreateGroupRequest) {
    return this.chats.createGroup({ userId: user.userId, ...body });
  }

  @Get()
  @ApiOperation({ summary: 'My chats, latest activity first, cursor-paginated (hidden chats left out until a new message)' })
  @ApiOkResponse({ type: ChatPageResponse })
  @ApiErrors(INVALID, AUTH)
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: ListChatsQuery) {
    return this.chats.list({ userId: user.userId, cursor: query.cursor, limit: query.limit });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One chat as I see it' })
  @ApiOkResponse({ type: ChatSummaryResponse })
  @ApiErrors(NOT_FOUND, AUTH)
  get(@CurrentUser() user: AuthenticatedUser, @Param('id') chatId: string) {
    return this.chats.get({ userId: user.userId, chatId });
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a group’s title, avatar or history setting (admins); each change is a line of the timeline' })
  @ApiOkResponse({ type: ChatSummaryResponse })
  @ApiErrors(INVALID, NOT_FOUND, ErrorCodes.CHAT_NOT_ADMIN, ErrorCodes.CHAT_NOT_GROUP, AUTH)
  update(@CurrentUser() user: AuthenticatedUser, @Param('id') chatId: string, @Body() body: UpdateGroupRequest) {
    return this.chats.updateGroup({ userId: user.userId, chatId, ...body });
  }

  @Post(':id/members')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add people to a group (admins)' })
  @ApiOkResponse({ type: ChatSummaryResponse })
  @ApiErrors(INVALID, NOT_FOUND, ErrorCodes.CHAT_NOT_ADMIN, ErrorCodes.CHAT_NOT_GROUP, ErrorCodes.CHAT_INVALID_MEMBERS, ErrorCodes.USER_NOT_FOUND, ErrorCodes.CHAT_BLOCKED, AUTH)
  addMembers(@CurrentUser() user: AuthenticatedUser, @Param('id') chatId: string, @Body() body: AddMembersRequest) {
    return this.chats.addMembers({ userId: user.userId, chatId, memberIds: body.memberIds });
  }

  @Delete(':id/members/:userId')
  @ApiOperation({ summary: 'Remove someone from a group (admins)' })
  @ApiOkResponse({ type: ChatSummaryResponse })
  @ApiErrors(NOT_FOUND, ErrorCodes.CHAT_NOT_ADMIN, ErrorCodes.CHAT_NOT_GROUP, ErrorCodes.CHAT_INVALID_MEMBERS, AUTH)
  removeMember(@CurrentUser() user: AuthenticatedUser, @Param('id') chatId: string, @Param('userId') memberId: string) {
    return this.chats.removeMember({ userId: user.userId, chatId, memberId });
  }

  @Post(':id/admins/:userId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make a member an admin (admins)' })
  @ApiOkResponse({ type: ChatSummaryResponse })
  @ApiErrors(NOT_FOUND, ErrorCodes.CHAT_NOT_ADMIN, ErrorCodes.CHAT_NOT_GROUP, ErrorCodes.CHAT_INVALID_MEMBERS, AUTH)
  addAdmin(@CurrentUser() user: AuthenticatedUser, @Param('id') chatId: string, @Param('userId') memberId: string) {
    return this.chats.setAdmin({ userId: user.userId, chatId, memberId, admin: true });
  }

  @Delete(':id/admins/:userId')
  @ApiOperation({ summary: 'Take admin rights away (admins; a group keeps at least one)' })
  @ApiOkResponse({ type: ChatSummaryResponse })
  @ApiErrors(NOT_FOUND, ErrorCodes.CHAT_NOT_ADMIN, ErrorCodes.CHAT_NOT_GROUP, ErrorCodes.CHAT_INVALID_MEMBERS, AUTH)
  removeAdmin(@CurrentUser() user: AuthenticatedUser, @Param('id') chatId: string, @Param('userId') memberId: string) {
    return this.chats.setAdmin({ userId: user.userId, chatId, memberId, admin: false });
  }

  @Post(':id/leave')
  @HttpCode(204)
  @ApiOperation({ summary: 'Leave a group' })
  @ApiNoContentResponse()
  @ApiErrors(NOT_FOUND, ErrorCodes.CHAT_NOT_GROUP, AUTH)
  async leave(@CurrentUser() user: AuthenticatedUser, @Param('id') chatId: string) {
    await this.chats.leave({ userId: user.userId, chatId });
  }

  @Post(':id/hide')
  @HttpCode(204)
  @ApiOperation({ summary: 'Hide the chat for me; it comes back with the next message' })
  @ApiNoContentResponse()
  @ApiErrors(NOT_FOUND, AUTH)
  async hide(@CurrentUser() user: AuthenticatedUser, @Param('id') chatId: string) {
    await this.chats.hide({ userId: user.userId, chatId });
  }

  @Post(':id/mute')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mute or unmute the chat for me' })
  @ApiOkResponse({ type: ChatSummaryResponse })
  @ApiErrors(INVALID, NOT_FOUND, AUTH)
  mute(@CurrentUser() user: AuthenticatedUser, @Param('id') chatId: string, @Body() body: MuteRequest) {
    return this.chats.mute({ userId: user.userId, chatId, muted: body.muted });
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'I have read up to this seq (the pointer only moves forward)' })
  @ApiOkResponse({ type: MemberReadStateResponse })
  @ApiErrors(INVALID, NOT_FOUND, AUTH)
  markRead(@CurrentUser() user: AuthenticatedUser, @IdParam('id') chatId: string, @Body() body: MovePointerRequest) {
    return this.messages.markRead({ userId: user.userId, chatId, seq: body.seq });
  }

  @Post(':id/delivered')
  @HttpCode(200)
  @ApiOperation({ summary: 'My device received messages up to this seq' })
  @ApiOkResponse({ type: MemberReadStateResponse })
  @ApiErrors(INVALID, NOT_FOUND, AUTH)
  markDelivered(@CurrentUser() user: AuthenticatedUser, @IdParam('id') chatId: string, @Body() body: MovePointerRequest) {
    return this.messages.markDelivered({ userId: user.userId, chatId, seq: body.seq });
  }

  @Get(':id/read-states')
  @ApiOperation({ summary: 'Every member’s delivered and read pointers' })
  @ApiOkResponse({ type: [MemberReadStateResponse] })
  @ApiErrors(NOT_FOUND, AUTH)
  readStates(@CurrentUser() user: AuthenticatedUser, @Param('id') chatId: string) {
    return this.messages.readStates({ userId: user.userId, chatId });
  }
}
