import { AddMembers, BlockUser, ChatRef, CONTACTS_QUERY_MAX_USERS, ContactsQuery, CreateGroupChat, MembershipQuery, ListChats,  MuteChat, OpenDirectChat, RemoveMember, SetAdmin, UpdateGroupChat, MAX_GROUP_MEMBERS } from '@chat/contracts';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, IsUrl, Length, Max, MaxLength, Min, ValidateIf } from 'class-validator';

// Payloads are validated again at the module's own door: a module trusts no caller, not even the gateway.

/** Every id field: a non-empty string of bounded length. */
const Id = (): PropertyDecorator => (target, key) => {
  IsString()(target, key);
  Length(1, 64)(target, key);
};

export class ChatRefDto implements ChatRef {
  @Id() userId: string;
  @Id() chatId: string;
}

export class ContactsQueryDto implements ContactsQuery {
  @Id() userId: string;
  @IsArray() @ArrayMaxSize(CONTACTS_QUERY_MAX_USERS) @IsString({ each: true }) @Length(1, 64, { each: true })
  candidateIds: string[];
}

export class MembershipQueryDto extends ChatRefDto implements MembershipQuery {}

export class UserRefDto {
  @Id() userId: string;
}

export class BlockUserDto implements BlockUser {
  @Id() userId: string;
  @Id() otherUserId: string;
}

export class OpenDirectChatDto implements OpenDirectChat {
  @Id() userId: string;
  @Id() otherUserId: string;
}

export class CreateGroupChatDto implements CreateGroupChat {
  @Id() userId: string;

  @IsString() @Length(1, 100)
  title: string;

  @IsArray() @ArrayMaxSize(MAX_GROUP_MEMBERS - 1) @IsString({ each: true }) @Length(1, 64, { each: true })
  memberIds: string[];

  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUrl({ require_tld: false, require_protocol: false }) @MaxLength(2048)
  avatarUrl?: string | null;
}

export class ListChatsDto implements ListChats {
  @Id() userId: string;

  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(512)
  cursor?: string | null;

  @IsOptional() @IsInt() @Min(1) @Max(100)
  limit?: number;
}

export class UpdateGroupChatDto implements UpdateGroupChat {
  @Id() userId: string;
  @Id() chatId: string;

  @IsOptional() @IsString() @Length(1, 100)
  title?: string;

  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUrl({ require_tld: false, require_protocol: false }) @MaxLength(2048)
  avatarUrl?: string | null;

  @IsOptional() @IsBoolean()
  historyVisible?: boolean;
}

export class AddMembersDto implements AddMembers {
  @Id() userId: string;
  @Id() chatId: string;

  @IsArray() @ArrayMaxSize(MAX_GROUP_MEMBERS - 1) @IsString({ each: true }) @Length(1, 64, { each: true })
  memberIds: string[];
}

export class RemoveMemberDto implements RemoveMember {
  @Id() userId: string;
  @Id() chatId: string;
  @Id() memberId: string;
}

export class SetAdminDto implements SetAdmin {
  @Id() userId: string;
  @Id() chatId: string;
  @Id() memberId: string;
  @IsBoolean() admin: boolean;
}

export class MuteChatDto implements MuteChat {
  @Id() userId: string;
  @Id() chatId: string;
  @IsBoolean() muted: boolean;
}

