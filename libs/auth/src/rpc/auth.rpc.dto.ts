import { ClientInfo, ListSessions, Logout, LogoutWithRefreshToken, RefreshTokens, RequestCode, RevokeSession, VerifyCode } from '@chat/contracts';
import { Type } from 'class-transformer';
import { IsEmail, IsObject, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';

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
