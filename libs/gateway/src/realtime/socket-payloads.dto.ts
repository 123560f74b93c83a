import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import {
  ChatRefPayload, ForwardMessagePayload, MAX_REACTION_EMOJI_LENGTH, MAX_TEXT_LENGTH, PRESENCE_QUERY_MAX_USERS, PresenceQueryPayload, ReactPayload,
  SendMessagePayload, SeqPointerPayload, SYNC_MAX_CHATS, SYNC_MAX_USERS, SyncChatPosition, SyncPayload,
} from '@chat/contracts';
import { ID_PATTERN } from '../http/id-param';

const ID = ID_PATTERN;

export class SendMessageDto implements SendMessagePayload {
  @IsString() @Length(1, 64) @Matches(/^[A-Za-z0-9_.:-]+$/)
  clientMessageId!: string;

  @IsString() @Matches(ID)
  chatId!: string;

  @IsOptional() @IsString() @MaxLength(MAX_TEXT_LENGTH)
  text?: string | null;

  @IsOptional() @IsString() @MaxLength(256)
  imageKey?: string | null;

  @IsOptional() @IsString() @MaxLength(256)
  fileKey?: string | null;

  @IsOptional() @IsString() @Matches(ID)
  replyToId?: string | null;
}

export class SeqPointerDto implements SeqPointerPayload {
  @IsString() @Matches(ID)
  chatId!: string;

  @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
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

/** The emoji's shape only; Messages decides whether it is exactly one emoji (REACTION.INVALID). */
export class ReactDto implements ReactPayload {
  @IsString() @Matches(ID)
  messageId!: string;

  @IsString() @Length(1, MAX_REACTION_EMOJI_LENGTH)
  emoji!: string;

  @IsBoolean()
  on!: boolean;
}
