import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ChatMemberDto, ChatSummaryDto, LastMessagePreview, MemberReadStateDto, Page, MAX_GROUP_MEMBERS, SystemEvent } from '@chat/contracts';
import { SystemEventResponse } from '../messages/messages.http.dto';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, IsUrl, Length, Max, MaxLength, Min, ValidateIf } from 'class-validator';

import { FilePreviewResponse } from '../messages/messages.http.dto';

const USER_ID = '0b7d3c1e-8a51-4c1e-9a43-2a0b8f3e4d11';
const OTHER_ID = '5f2a9e77-1c3b-4d2e-8f10-6a7b8c9d0e1f';
const CHAT_ID = 'c1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b';

export class ChatMemberResponse implements ChatMemberDto {
  @ApiProperty({ example: OTHER_ID }) userId: string;
  @ApiProperty({ enum: ['admin', 'member'], example: 'member' }) role: 'admin' | 'member';
  @ApiProperty({ example: '2026-11-21T15:00:00.000Z' }) joinedAt: string;
}

export class LastMessagePreviewResponse implements LastMessagePreview {
  @ApiProperty({ example: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a' }) messageId: string;
  @ApiProperty({ example: 42 }) seq: number;
  @ApiProperty({ example: OTHER_ID }) senderId: string;
  @ApiProperty({ type: String, nullable: true, example: 'See you at noon?' }) text: string | null;
  @ApiProperty({ example: false }) hasImage: boolean;
  @ApiPropertyOptional({ type: FilePreviewResponse, nullable: true, description: 'A file or voice message: its kind and name' }) file?: FilePreviewResponse | null;
  @ApiProperty({ example: false }) deleted: boolean;
  @ApiProperty({ example: '2026-11-21T15:04:00.000Z' }) createdAt: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: null, description: 'When the message was last edited' }) editedAt?: string | null;
  @ApiPropertyOptional({ type: SystemEventResponse, nullable: true, example: null, description: 'Set when the message is a system line' }) system?: SystemEvent | null;
}

export class ChatSummaryResponse implements ChatSummaryDto {
  @ApiProperty({ example: CHAT_ID }) id: string;
  @ApiProperty({ enum: ['direct', 'group'], example: 'direct' }) kind: 'direct' | 'group';
  @ApiProperty({ example: false, description: 'Groups: members see the messages sent before they joined (admin setting, off by default); always true for 1:1 chats' })
  historyVisible: boolean;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Groups only' }) title: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) avatarUrl: string | null;
  @ApiProperty({ type: [ChatMemberResponse] }) members: ChatMemberResponse[];
  @ApiProperty({ example: 42, description: 'Seq of the latest message' }) lastSeq: number;
  @ApiProperty({ example: '2026-11-21T15:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-11-21T15:04:00.000Z' }) lastActivityAt: string;
  @ApiProperty({ type: String, nullable: true, example: OTHER_ID, description: '1:1 chats: the other person' }) otherUserId: string | null;
  @ApiProperty({ type: LastMessagePreviewResponse, nullable: true }) lastMessage: LastMessagePreviewResponse | null;
  @ApiProperty({ example: 3 }) unreadCount: number;
  @ApiPropertyOptional({
    type: [Number],
    example: [41],
    description: 'Seqs past my read pointer of live messages that mention me, ascending (at most 100): the `@` badge while any',
  })
  unreadMentionSeqs?: number[];
  @ApiProperty({ example: false }) muted: boolean;
  @ApiProperty({ example: 39 }) lastReadSeq: number;
  @ApiProperty({ example: 42 }) lastDeliveredSeq: number;
}

export class ChatPageResponse implements Page<ChatSummaryResponse> {
  @ApiProperty({ type: [ChatSummaryResponse] }) items: ChatSummaryResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass back as `cursor` for the next page; null at the end' })
  nextCursor: string | null;
}

export class MemberReadStateResponse implements MemberReadStateDto {
  @ApiProperty({ example: USER_ID }) userId: string;
  @ApiProperty({ example: 42 }) lastDeliveredSeq: number;
  @ApiProperty({ example: 40 }) lastReadSeq: number;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-21T15:05:00.000Z' }) lastReadAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-21T15:04:01.000Z' }) lastDeliveredAt: string | null;
}

export class OpenDirectChatRequest {
  @ApiProperty({ example: OTHER_ID, description: 'The other person' })
  @IsString() @Length(1, 64)
  userId: string;
}

/** The seeds' `POST /chat/new` body. */
export class NewChatAliasRequest {
  @ApiProperty({ example: OTHER_ID })
  @IsString() @Length(1, 64)
  otherUserId: string;
}

export class CreateGroupRequest {
  @ApiProperty({ example: 'Weekend hike', minLength: 1, maxLength: 100 })
  @IsString() @Length(1, 100)
  title: string;

  @ApiProperty({ example: [OTHER_ID], description: 'The other members; the creator is added as admin' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_GROUP_MEMBERS - 1) @IsString({ each: true }) @Length(1, 64, { each: true })
  memberIds: string[];

  @ApiPropertyOptional({ type: String, nullable: true, example: '/media/ab/abcdef.webp' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUrl({ require_tld: false, require_protocol: false }) @MaxLength(2048)
  avatarUrl?: string | null;
}

export class UpdateGroupRequest {
  @ApiPropertyOptional({ example: 'Weekend hike 🥾', minLength: 1, maxLength: 100 })
  @IsOptional() @IsString() @Length(1, 100)
  title?: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '/media/ab/abcdef.webp' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUrl({ require_tld: false, require_protocol: false }) @MaxLength(2048)
  avatarUrl?: string | null;

  @ApiPropertyOptional({ example: true, description: 'Members who join from now on see the messages sent before they joined' })
  @IsOptional() @IsBoolean()
  historyVisible?: boolean;
}

export class AddMembersRequest {
  @ApiProperty({ example: [OTHER_ID] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_GROUP_MEMBERS - 1) @IsString({ each: true }) @Length(1, 64, { each: true })
  memberIds: string[];
}

export class MuteRequest {
  @ApiProperty({ example: true }) @IsBoolean() muted: boolean;
}

export class MovePointerRequest {
  @ApiProperty({ example: 42, description: 'Everything up to this seq. The pointer stops at the newest message the chat has; a seq beyond it counts only for messages already sent when this call was made (their events may still be on the way). A seq behind the pointer changes nothing.' })
  @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  seq: number;
}

export class ListChatsQuery {
  @ApiPropertyOptional({ description: 'From the previous page' }) @IsOptional() @IsString() @MaxLength(512)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 30 })
  @IsOptional() @Transform(({ value }) => Number(value)) @IsInt() @Min(1) @Max(100)
  limit?: number;
}
