import { ClientInfo, ForgetPushEndpoint, ListSessions, PushSubscriptionDto, PushSubscriptionsQuery, SetPushSubscription, Logout, LogoutWithRefreshToken, RefreshTokens, RequestCode, RevokeSession, VerifyCode } from '@chat/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsObject, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';

// Payloads are validated again at the module's own door: a module trusts no caller, not even the gateway.

export class ClientInfoDto implements ClientInfo {
  @IsOptional() @IsString() @MaxLength(2048)
  userAgent: string | null;

  @IsOptional() @IsString() @MaxLength(64)
  ip: string | null;
}

export class RequestCodeDto implements RequestCode {
  @IsEmail() @MaxLength(254)
  email: string;

  @IsObject() @ValidateNested() @Type(() => ClientInfoDto)
  client: ClientInfoDto;
}

export class VerifyCodeDto implements VerifyCode {
  @IsEmail() @MaxLength(254)
  email: string;

  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;

  @IsObject() @ValidateNested() @Type(() => ClientInfoDto)
  client: ClientInfoDto;
}

export class RefreshTokensDto implements RefreshTokens {
  @IsString() @Length(1, 4096)
  refreshToken: string;

  @IsObject() @ValidateNested() @Type(() => ClientInfoDto)
  client: ClientInfoDto;
}

export class LogoutWithRefreshTokenDto implements LogoutWithRefreshToken {
  @IsString() @Length(1, 4096)
  refreshToken: string;
}

export class SessionRefDto implements Logout, RevokeSession {
  @IsString() @Length(1, 64)
  userId: string;

  @IsString() @Length(1, 64)
  sessionId: string;
}

export class ListSessionsDto implements ListSessions {
  @IsString() @Length(1, 64)
  userId: string;

  @IsString() @Length(1, 64)
  currentSessionId: string;
}

export class PushKeysDto {
  @IsString() @Length(1, 256)
  p256dh: string;

  @IsString() @Length(1, 256)
  auth: string;
}

export class PushSubscriptionBodyDto implements PushSubscriptionDto {
  @IsString() @Length(1, 2048)
  endpoint: string;

  @IsObject() @ValidateNested() @Type(() => PushKeysDto)
  keys: PushKeysDto;
}

export class SetPushSubscriptionDto implements SetPushSubscription {
  @IsString() @Length(1, 64)
  userId: string;

  @IsString() @Length(1, 64)
  sessionId: string;

  @ValidateIf((_, v) => v !== null) @IsObject() @ValidateNested() @Type(() => PushSubscriptionBodyDto)
  subscription: PushSubscriptionBodyDto | null;
}

export class PushSubscriptionsQueryDto implements PushSubscriptionsQuery {
  @IsArray() @ArrayMaxSize(1024) @IsString({ each: true }) @Length(1, 64, { each: true })
  userIds: string[];
}

export class ForgetPushEndpointDto implements ForgetPushEndpoint {
  @IsString() @Length(1, 2048)
  endpoint: string;
}
