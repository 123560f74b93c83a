import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  FILE_KINDS, FileKind, FilePreview, FileRef, HistoryPage, ImageRef, MAX_TEXT_LENGTH, MAX_VOICE_DURATION_MS, MessageDto, ReactionDto, ReplyPreview, SystemEvent,
} from '@chat/contracts';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateIf } from 'class-validator';

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

export class FileRefResponse implements FileRef {
  @ApiProperty({ description: 'Server-made key; send it as the `fileKey` of a message', example: '3f1c0b5e9a7d4c2b8e6f1a0d9c8b7a65.bin' }) key: string;
  @ApiProperty({ description: 'Where it downloads from (relative on local storage, absolute on Cloudinary); always as an attachment', example: '/media/files/3f1c0b5e9a7d4c2b8e6f1a0d9c8b7a65.bin' })
  url: string;
  @ApiProperty({ description: 'The uploader\'s file name, cleaned (no path, no control characters); display only', example: 'Quarterly report.pdf' }) name: string;
  @ApiProperty({ description: 'Recognised from the bytes; application/octet-stream when unknown', example: 'application/pdf' }) mimeType: string;
  @ApiProperty({ example: 482113 }) bytes: number;
  @ApiProperty({ enum: FILE_KINDS, example: 'file' }) kind: FileKind;
  @ApiProperty({ type: Number, nullable: true, example: null, description: 'Voice messages: length in milliseconds' }) durationMs: number | null;
}

export class FilePreviewResponse implements FilePreview {
  @ApiProperty({ enum: FILE_KINDS, example: 'file' }) kind: FileKind;
  @ApiProperty({ example: 'Quarterly report.pdf' }) name: string;
}

export class ReplyPreviewResponse implements ReplyPreview {
  @ApiProperty({ example: MESSAGE_ID }) id: string;
  @ApiProperty({ example: 41 }) seq: number;
  @ApiProperty({ example: USER_ID }) senderId: string;
  @ApiProperty({ type: String, nullable: true, example: 'Lunch?' }) text: string | null;
  @ApiProperty({ example: false }) hasImage: boolean;
  @ApiPropertyOptional({ type: FilePreviewResponse, nullable: true, description: 'The quoted message\'s file or voice message' }) file?: FilePreviewResponse | null;
  @ApiProperty({ example: false }) deleted: boolean;
  @ApiPropertyOptional({ example: false, description: 'The message replied to was sent before the reader joined: no sender, text or image' })
  unavailable?: boolean;
}

/** The content of a system line; which fields come depends on `type`. */
export class SystemEventResponse {
  @ApiProperty({
    enum: ['created', 'renamed', 'photo-changed', 'members-added', 'member-removed', 'member-left', 'admin-made', 'admin-removed', 'history-visibility-changed'],
    example: 'members-added',
  })
  type: SystemEvent['type'];
  @ApiProperty({ type: String, nullable: true, example: USER_ID, description: 'Who made the change; null when the server did (a successor admin)' })
  actorId: string | null;
  @ApiPropertyOptional({ example: 'Weekend hike', description: 'created, renamed' }) title?: string;
  @ApiPropertyOptional({ type: [String], example: [USER_ID], description: 'members-added' }) userIds?: string[];
  @ApiPropertyOptional({ example: USER_ID, description: 'member-removed, member-left, admin-made, admin-removed' }) userId?: string;
  @ApiPropertyOptional({ example: false, description: 'photo-changed: the photo was removed' }) removed?: boolean;
  @ApiPropertyOptional({ example: true, description: 'history-visibility-changed' }) visible?: boolean;
}

export class ReactionResponse implements ReactionDto {
  @ApiProperty({ example: '👍' }) emoji: string;
  @ApiProperty({ example: 2 }) count: number;
  @ApiProperty({ type: [String], example: [USER_ID], description: 'Who reacted with it, in the order they did' }) userIds: string[];
}

export class MessageResponse implements MessageDto {
  @ApiProperty({ example: MESSAGE_ID }) id: string;
  @ApiProperty({ example: CHAT_ID }) chatId: string;
  @ApiProperty({ example: 42, description: 'Per chat, gapless: the order and the catch-up key' }) seq: number;
  @ApiProperty({ example: USER_ID }) senderId: string;
  @ApiProperty({ example: '7f3e2d1c-client-made' }) clientMessageId: string;
  @ApiProperty({ type: String, nullable: true, example: 'See you at noon?' }) text: string | null;
  @ApiProperty({ type: ImageRefResponse, nullable: true }) image: ImageRefResponse | null;
  @ApiProperty({ type: FileRefResponse, nullable: true, description: 'A file or voice message (never together with an image)' }) file: FileRefResponse | null;
  @ApiProperty({ type: ReplyPreviewResponse, nullable: true }) replyTo: ReplyPreviewResponse | null;
  @ApiProperty({ example: '2026-11-21T15:04:00.000Z' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, example: null }) editedAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Set on a tombstone (deleted for everyone)' }) deletedAt: string | null;
  @ApiProperty({ type: SystemEventResponse, nullable: true, example: null, description: 'A line written by the server (group created, renamed, member added...); senderId is who made the change' })
  system: SystemEvent | null;
  @ApiProperty({ example: false, description: 'A forwarded copy (its origin is not disclosed)' }) forwarded: boolean;
  @ApiPropertyOptional({ example: true, description: '1:1 chats: the other person has read it' }) seen?: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-11-21T15:05:00.000Z' }) seenAt?: string | null;
  @ApiPropertyOptional({ type: [String], example: [USER_ID], description: 'Groups: members (not the sender) who read it' }) readBy?: string[];
  @ApiPropertyOptional({ type: [ReactionResponse], description: 'Emojis on the message, in the order each was first used; empty on a tombstone' })
  reactions?: ReactionResponse[];
  @ApiPropertyOptional({
    type: [String],
    example: [USER_ID],
    description: 'Members the text mentions (its `@[userId]` tokens, shown with the current name); empty on a tombstone',
  })
  mentions?: string[];
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

  @ApiPropertyOptional({
    example: 'See you at noon, @[8d0c7c1e-1b7a-4c55-9a55-0e6f3b8f7a21]?',
    maxLength: MAX_TEXT_LENGTH,
    description: 'Text, or the caption of an image. `@[userId]` mentions a member of the chat (400 MESSAGE.INVALID_MENTION for anyone else)',
  })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(MAX_TEXT_LENGTH)
  text?: string | null;

  @ApiPropertyOptional({ example: 'ab/abcdef0123.webp', description: 'Key of an image uploaded by me (media upload route)' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @Length(1, 512)
  imageKey?: string | null;

  @ApiPropertyOptional({ example: '3f1c0b5e9a7d4c2b8e6f1a0d9c8b7a65.bin', description: 'Key of a file or voice message uploaded by me (POST /uploads/files); not with imageKey' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @Length(1, 512)
  fileKey?: string | null;

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
  @ApiProperty({ example: 'See you at one?', maxLength: MAX_TEXT_LENGTH, description: 'The new text; its `@[userId]` mentions replace the old ones' })
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

/** The text fields of a file upload (multipart, beside the `file` part). */
export class FileUploadFields {
  @ApiPropertyOptional({ enum: FILE_KINDS, default: 'file', description: '`voice`: a recording (WebM, Ogg, MP4, MP3 or WAV), played in the chat' })
  @IsOptional() @IsIn(FILE_KINDS as FileKind[])
  kind?: FileKind;

  @ApiPropertyOptional({ example: 5200, description: 'Voice messages (required there): length in milliseconds, as recorded' })
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(MAX_VOICE_DURATION_MS)
  durationMs?: number;
}
