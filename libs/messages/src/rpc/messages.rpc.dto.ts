import {
  ChangesQuery, EditMessage, FILE_KINDS, FileKind, FileRef, ForwardMessage, HistoryQuery, ImageRef, MAX_FILE_NAME_LENGTH, MAX_REACTION_EMOJI_LENGTH, MAX_SEARCH_PAGE,
  MAX_SEARCH_QUERY_LENGTH, MAX_TEXT_LENGTH, MAX_VOICE_DURATION_MS, MessageRef, MovePointer, PinRef, PinsQuery, ReactToMessage, ReadStatesQuery, SEARCH_ORDERS,
  SearchMessagesQuery, SearchOrder, SendMessage,
} from '@chat/contracts';
import { ValidatedAtEdge } from '@chat/platform';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';

// Payloads are validated again at the module's own door: a module trusts no caller, not even the gateway. The hot
// ones (a send, a pointer move) are built from input the edge checks with the same rules or stricter ones
// (socket-payloads.dto.ts, the REST DTOs, IdParam): inside one process they are not validated twice
// (@ValidatedAtEdge); over RabbitMQ they are.

/** Every id field: a non-empty string of bounded length. */
const Id = (): PropertyDecorator => (target, key) => {
  IsString()(target, key);
  Length(1, 64)(target, key);
};

export class ImageRefDto implements ImageRef {
  @IsString() @Length(1, 512) key: string;
  @IsString() @Length(1, 2048) url: string;
  @IsString() @Length(1, 2048) thumbnailUrl: string;
  @IsInt() @Min(1) width: number;
  @IsInt() @Min(1) height: number;
  @IsIn(['image/jpeg', 'image/png', 'image/webp', 'image/gif']) mimeType: string;
  @IsInt() @Min(0) bytes: number;
}

export class FileRefDto implements FileRef {
  @IsString() @Length(1, 512) key: string;
  @IsString() @Length(1, 2048) url: string;
  @IsString() @Length(1, MAX_FILE_NAME_LENGTH) name: string;
  @IsString() @Length(1, 255) mimeType: string;
  @IsInt() @Min(1) bytes: number;
  @IsIn(FILE_KINDS as FileKind[]) kind: FileKind;
  @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(MAX_VOICE_DURATION_MS) durationMs: number | null;
}

@ValidatedAtEdge()
export class SendMessageDto implements SendMessage {
  @Id() senderId: string;
  @Id() chatId: string;
  @IsString() @Length(1, 128) clientMessageId: string;

  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(MAX_TEXT_LENGTH)
  text?: string | null;

  @IsOptional() @ValidateIf((_, v) => v !== null) @ValidateNested() @Type(() => ImageRefDto)
  image?: ImageRefDto | null;

  @IsOptional() @ValidateIf((_, v) => v !== null) @ValidateNested() @Type(() => FileRefDto)
  file?: FileRefDto | null;

  @IsOptional() @ValidateIf((_, v) => v !== null) @Id()
  replyToId?: string | null;

  @IsOptional() @ValidateIf((_, v) => v !== null) @Id()
  sentFrom?: string | null;
}

export class EditMessageDto implements EditMessage {
  @Id() userId: string;
  @Id() messageId: string;
  @IsString() @MaxLength(MAX_TEXT_LENGTH) text: string;
}

export class MessageRefDto implements MessageRef {
  @Id() userId: string;
  @Id() messageId: string;
}

export class HistoryQueryDto implements HistoryQuery {
  @Id() userId: string;
  @Id() chatId: string;
  @IsOptional() @IsInt() @Min(1) before?: number;
  @IsOptional() @IsInt() @Min(0) after?: number;
  @IsOptional() @Id() around?: string;
  @IsOptional() @IsInt() @Min(1) @Max(100) limit?: number;
}

export class ChangesQueryDto implements ChangesQuery {
  @Id() userId: string;
  @Id() chatId: string;
  @IsOptional() @IsString() @Length(1, 64) after?: string;
  @IsOptional() @IsInt() @Min(1) @Max(100) limit?: number;
}

@ValidatedAtEdge()
export class MovePointerDto implements MovePointer {
  @Id() userId: string;
  @Id() chatId: string;
  @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  seq: number;
}

export class ReadStatesQueryDto implements ReadStatesQuery {
  @Id() userId: string;
  @Id() chatId: string;
}

/** The emoji's shape only; that it is exactly one emoji is the domain's rule (normalizeReactionEmoji). */
export class ReactToMessageDto implements ReactToMessage {
  @Id() userId: string;
  @Id() messageId: string;
  @IsString() @Length(1, MAX_REACTION_EMOJI_LENGTH) emoji: string;
  @IsBoolean() on: boolean;
}

export class ForwardMessageDto implements ForwardMessage {
  @Id() userId: string;
  @Id() messageId: string;
  @Id() toChatId: string;
  @IsString() @Length(1, 128) clientMessageId: string;
}

export class PinRefDto implements PinRef {
  @Id() userId: string;
  @Id() chatId: string;
  @Id() messageId: string;
}

export class PinsQueryDto implements PinsQuery {
  @Id() userId: string;
  @Id() chatId: string;
}

export class SearchMessagesQueryDto implements SearchMessagesQuery {
  @Id() userId: string;
  // Emptiness and length are the service's rules (searchTerms), with their own messages; here only the shape.
  @IsString() @MaxLength(MAX_SEARCH_QUERY_LENGTH) query: string;
  @IsOptional() @Id() chatId?: string;
  @IsOptional() @IsIn(SEARCH_ORDERS) order?: SearchOrder;
  @IsOptional() @IsString() @Length(1, 128) cursor?: string;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_SEARCH_PAGE) limit?: number;
}
