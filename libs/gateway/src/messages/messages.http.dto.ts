import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HistoryPage, ImageRef, MAX_TEXT_LENGTH, MessageDto, ReplyPreview } from '@chat/contracts';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateIf } from 'class-validator';

const MESSAGE_ID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const CHAT_ID = 'c1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b';
const USER_ID = '0b7d3c1e-8a51-4c1e-9a43-2a0b8f3e4d11';
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

export class ImageRefResponse implements ImageRef {
  @ApiProperty({ example: 'ab/abcdef0123.webp' }) key: string;
  @ApiProperty({ example: '/media/ab/abcdef0123.webp' }) url: string;
  @ApiProperty({ example: '/media/ab/abcdef0123.thumb.webp' }) thumbnailUrl: string;
  @ApiProperty({ example: 1280 }) width: number;
  @ApiProperty({ example: 960 }) height: number;
  @ApiProperty({ example: 'image/webp' }) mimeType: string;
  @ApiProperty({ example: 183204 }) bytes: number;
}

export class ReplyPreviewResponse implements ReplyPreview {
  @ApiProperty({ example: MESSAGE_ID }) id: string;
  @ApiProperty({ example: 41 }) seq: number;
  @ApiProperty({ example: USER_ID }) senderId: string;
  @ApiProperty({ type: String, nullable: true, example: 'Lunch?' }) text: string | null;
  @ApiProperty({ example: false }) hasImage: boolean;
  @ApiProperty({ example: false }) deleted: boolean;
}

export class MessageResponse implements MessageDto {
  @ApiProperty({ example: MESSAGE_ID }) id: string;
  @ApiProperty({ example: CHAT_ID }) chatId: string;
  @ApiProperty({ example: 42, description: 'Per chat, gapless: the order and the catch-up key' }) seq: number;
  @ApiProperty({ example: USER_ID }) senderId: string;
  @ApiProperty({ example: '7f3e2d1c-client-made' }) clientMessageId: string;
  @ApiProperty({ type: String, nullable: true, example: 'See you at noon?' }) text: string | null;
  @ApiProperty({ type: ImageRefResponse, nullable: true }) image: ImageRefResponse | null;
  @ApiProperty({ type: ReplyPreviewResponse, nullable: true }) replyTo: ReplyPreviewResponse | null;
  @ApiProperty({ example: '2026-11-21T15:04:00.000Z' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, example: null }) editedAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Set on a tombstone (deleted for everyone)' }) deletedAt: string | null;
  @ApiProperty({ example: false, description: 'A forwarded copy (its origin is not disclosed)' }) forwarded: boolean;
  @ApiPropertyOptional({ example: true, description: '1:1 chats: the other person has read it' }) seen?: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-11-21T15:05:00.000Z' }) seenAt?: string | null;
  @ApiPropertyOptional({ type: [String], example: [USER_ID], description: 'Groups: members (not the sender) who read it' }) readBy?: string[];
}

export class HistoryPageResponse implements HistoryPage {
  @ApiProperty({ type: [MessageResponse], description: 'Oldest first' }) items: MessageResponse[];
  @ApiProperty({ example: true }) hasOlder: boolean;
  @ApiProperty({ example: false }) hasNewer: boolean;
  @ApiProperty({
    example: 'WzEyXQ',
    description: 'Opaque: the chat\'s change position read before this page. Send it as the chat\'s `changeCursor` in the socket `sync` to get the edits and deletions made after it.',
  })
  changeCursor: string;
}

export class SendMessageRequest {
  @ApiProperty({ example: '7f3e2d1c-client-made', description: 'Made by the client once per message; a retry with the same id returns the stored message' })
  @IsString() @Length(1, 128)
  clientMessageId: string;

  @ApiPropertyOptional({ example: 'See you at noon?', maxLength: MAX_TEXT_LENGTH, description: 'Text, or the caption of an image' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(MAX_TEXT_LENGTH)
  text?: string | null;

  @ApiPropertyOptional({ example: 'ab/abcdef0123.webp', description: 'Key of an image uploaded by me (media upload route)' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @Length(1, 512)
  imageKey?: string | null;

  @ApiPropertyOptional({ example: MESSAGE_ID, description: 'A message of the same chat' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @Length(1, 64)
  replyToId?: string | null;
}

/** The seeds' `POST /message`: JSON, or multipart with an `image` file. */
export class SendMessageAliasRequest {
  @ApiProperty({ example: CHAT_ID }) @IsString() @Length(1, 64)
  chatId: string;

  @ApiPropertyOptional({ example: 'See you at noon?' })
  @IsOptional() @IsString() @MaxLength(MAX_TEXT_LENGTH)
  text?: string;

  @ApiPropertyOptional({ description: 'Optional; when absent every request is a new message' })
  @IsOptional() @IsString() @Length(1, 128)
  clientMessageId?: string;

  @ApiPropertyOptional({ example: MESSAGE_ID }) @IsOptional() @IsString() @Length(1, 64)
  replyTo?: string;
}

export class EditMessageRequest {
  @ApiProperty({ example: 'See you at one?', maxLength: MAX_TEXT_LENGTH })
  @IsString() @MaxLength(MAX_TEXT_LENGTH)
  text: string;
}

export class HistoryQueryParams {
  @ApiPropertyOptional({ description: 'Older page: messages with seq < before', example: 120 })
  @IsOptional() @Transform(toInt) @IsInt() @Min(1)
  before?: number;

  @ApiPropertyOptional({ description: 'Newer page (catch-up): messages with seq > after', example: 100 })
  @IsOptional() @Transform(toInt) @IsInt() @Min(0)
  after?: number;

  @ApiPropertyOptional({ description: 'A window around this message id (jump to a message)', example: MESSAGE_ID })
  @IsOptional() @IsString() @Length(1, 64)
  around?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100)
  limit?: number;
}
