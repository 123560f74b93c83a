import { ApiProperty } from '@nestjs/swagger';
import { PinDto } from '@chat/contracts';
import { IsString, Length, Matches } from 'class-validator';
import { ReplyPreviewResponse } from './messages.http.dto';

const MESSAGE_ID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const CHAT_ID = 'c1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b';
const USER_ID = '0b7d3c1e-8a51-4c1e-9a43-2a0b8f3e4d11';

export class ForwardMessageRequest {
  @ApiProperty({ example: CHAT_ID, description: 'A chat I am a member of (the copy is sent there by me, marked forwarded)' })
  @IsString() @Length(1, 64) @Matches(/^[A-Za-z0-9_-]+$/)
  chatId: string;

  @ApiProperty({ example: '7f3e2d1c-client-made', description: 'Made by the client once per forward; a retry with the same id returns the stored copy' })
  @IsString() @Length(1, 128)
  clientMessageId: string;
}

export class PinResponse implements PinDto {
  @ApiProperty({ example: CHAT_ID }) chatId: string;
  @ApiProperty({ example: MESSAGE_ID }) messageId: string;
  @ApiProperty({ example: 42 }) seq: number;
  @ApiProperty({ example: USER_ID }) pinnedBy: string;
  @ApiProperty({ example: '2026-11-21T15:04:00.000Z' }) pinnedAt: string;
  @ApiProperty({ type: ReplyPreviewResponse, description: 'What the message shows now; jump to it with GET /chats/{id}/messages?around={messageId}' })
  message: ReplyPreviewResponse;
}
