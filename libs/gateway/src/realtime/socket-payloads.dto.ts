import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Length, Matches, MaxLength, Min, ValidateNested,
} from 'class-validator';
import {
  ChatRefPayload, MAX_TEXT_LENGTH, PRESENCE_QUERY_MAX_USERS, PresenceQueryPayload, SendMessagePayload,
  SeqPointerPayload, SYNC_MAX_CHATS, SYNC_MAX_USERS, SyncChatPosition, SyncPayload, ForwardMessagePayload,
} from '@chat/contracts';

/** Ids are opaque strings made by the server; this only keeps junk and huge values out. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export class SendMessageDto implements SendMessagePayload {
  @IsString() @Length(1, 64) @Matches(/^[A-Za-z0-9_.:-]+$/)
  clientMessageId!: string;

  @IsString() @Matches(ID)
  chatId!: string;

  @IsOptional() @IsString() @MaxLength(MAX_TEXT_LENGTH)
  text?: string | null;

  @IsOptional() @IsString() @MaxLength(256)
  imageKey?: string | null;

  @IsOptional() @IsString() @Matches(ID)
  replyToId?: string | null;
}

export class SeqPointerDto implements SeqPointerPayload {
  @IsString() @Matches(ID)
  chatId!: string;

  @IsInt() @Min(0)
  seq!: number;
}

export class ChatRefDto implements ChatRefPayload {
  @IsString() @Matches(ID)
  chatId!: string;
}

export class SyncChatDto implements SyncChatPosition {
  @IsString() @Matches(ID)
  chatId!: string;

  @IsInt() @Min(0)
  lastSeq!: number;

  /** Made by Messages (which decodes it); here only kept short and URL-safe. */
  @IsOptional() @IsString() @Matches(ID)
  changeCursor?: string;
}

export class SyncDto implements SyncPayload {
  @IsArray() @ArrayMaxSize(SYNC_MAX_CHATS) @ValidateNested({ each: true }) @Type(() => SyncChatDto)
  chats!: SyncChatDto[];

  @IsOptional() @IsArray() @ArrayMaxSize(SYNC_MAX_USERS) @IsString({ each: true }) @Matches(ID, { each: true })
  userIds?: string[];
}

export class ForwardMessageDto implements ForwardMessagePayload {
  @IsString() @Matches(ID)
  messageId!: string;

  @IsString() @Matches(ID)
  toChatId!: string;

  @IsString() @Length(1, 64) @Matches(/^[A-Za-z0-9_.:-]+$/)
  clientMessageId!: string;
}

export class PresenceQueryDto implements PresenceQueryPayload {
  @IsArray() @ArrayMaxSize(PRESENCE_QUERY_MAX_USERS) @IsString({ each: true }) @Matches(ID, { each: true })
  userIds!: string[];
}
