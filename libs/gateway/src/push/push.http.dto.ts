import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PushSubscriptionDto } from '@chat/contracts';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

export class PushKeysRequest {
  @ApiProperty({ description: "The browser's P-256 public key (base64url), from PushSubscription.toJSON()" })
  @IsString() @Length(80, 100) @Matches(BASE64URL)
  p256dh: string;

  @ApiProperty({ description: 'The 16-byte authentication secret (base64url)' })
  @IsString() @Length(16, 32) @Matches(BASE64URL)
  auth: string;
}

/** PushSubscription.toJSON() as the browser gives it. */
export class PushSubscriptionRequest implements PushSubscriptionDto {
  @ApiProperty({ example: 'https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91b…' })
  @IsString() @Length(1, 2048)
  endpoint: string;

  @ApiProperty({ type: PushKeysRequest })
  @IsObject() @ValidateNested() @Type(() => PushKeysRequest)
  keys: PushKeysRequest;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Ignored: the push service ends a subscription by answering 404 or 410' })
  @IsOptional()
  expirationTime?: number | null;
}

export class VapidPublicKeyResponse {
  @ApiProperty({ description: 'applicationServerKey for PushManager.subscribe (base64url)' })
  publicKey: string;
}
