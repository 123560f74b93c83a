import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ChatsPatterns } from '@chat/contracts';
import { RoleMessagePattern } from '@chat/platform';
import { ChatsService } from '../chats.service';
import {
  AddMembersDto,
  BlockUserDto,
  ChatRefDto,
  ContactsQueryDto,
  CreateGroupChatDto,
  ListChatsDto,
  MembershipQueryDto,
  
  MuteChatDto,
  OpenDirectChatDto,
  RemoveMemberDto,
  SetAdminDto,
  UpdateGroupChatDto,
  UserRefDto,
} from './chats.rpc.dto';

@Controller()
export class ChatsRpcController {
  constructor(private readonly chats: ChatsService) {}

  @RoleMessagePattern('chats', ChatsPatterns.openDirect)
  openDirect(@Payload() p: OpenDirectChatDto) {
    return this.chats.openDirect(p);
  }

  @RoleMessagePattern('chats', ChatsPatterns.createGroup)
  createGroup(@Payload() p: CreateGroupChatDto) {
    return this.chats.createGroup(p);
  }

  @RoleMessagePattern('chats', ChatsPatterns.get)
  get(@Payload() p: ChatRefDto) {
    return this.chats.get(p);
  }

  @RoleMessagePattern('chats', ChatsPatterns.list)
  list(@Payload() p: ListChatsDto) {
    return this.chats.list(p);
  }

  @RoleMessagePattern('chats', ChatsPatterns.updateGroup)
  updateGroup(@Payload() p: UpdateGroupChatDto) {
    return this.chats.updateGroup(p);
  }

  @RoleMessagePattern('chats', ChatsPatterns.addMembers)
  addMembers(@Payload() p: AddMembersDto) {
    return this.chats.addMembers(p);
  }

  @RoleMessagePattern('chats', ChatsPatterns.removeMember)
  removeMember(@Payload() p: RemoveMemberDto) {
    return this.chats.removeMember(p);
  }

  @RoleMessagePattern('chats', ChatsPatterns.setAdmin)
  setAdmin(@Payload() p: SetAdminDto) {
    return this.chats.setAdmin(p);
  }

  @RoleMessagePattern('chats', ChatsPatterns.leave)
  async leave(@Payload() p: ChatRefDto) {
    await this.chats.leave(p);
    return null;
  }

  @RoleMessagePattern('chats', ChatsPatterns.hide)
  async hide(@Payload() p: ChatRefDto) {
    await this.chats.hide(p);
    return null;
  }

  @RoleMessagePattern('chats', ChatsPatterns.mute)
  mute(@Payload() p: MuteChatDto) {
    return this.chats.mute(p);
  }

  @RoleMessagePattern('chats', ChatsPatterns.membership)
  membership(@Payload() p: MembershipQueryDto) {
    return this.chats.membership(p);
  }

  @RoleMessagePattern('chats', ChatsPatterns.contactsAmong)
  contactsAmong(@Payload() p: ContactsQueryDto) {
    return this.chats.contactsAmong(p);
  }

  @RoleMessagePattern('chats', ChatsPatterns.chatIdsOf)
  chatIdsOf(@Payload() p: UserRefDto) {
    return this.chats.chatIdsOf(p);
  }

  @RoleMessagePattern('chats', ChatsPatterns.contactsOf)
  contactsOf(@Payload() p: UserRefDto) {
    return this.chats.contactsOf(p);
  }

  @RoleMessagePattern('chats', ChatsPatterns.block)
  async block(@Payload() p: BlockUserDto) {
    await this.chats.block(p);
    return null;
  }

  @RoleMessagePattern('chats', ChatsPatterns.unblock)
  async unblock(@Payload() p: BlockUserDto) {
    await this.chats.unblock(p);
    return null;
  }

  @RoleMessagePattern('chats', ChatsPatterns.blockedBy)
  blockedBy(@Payload() p: UserRefDto) {
    return this.chats.blockedBy(p);
  }
}
