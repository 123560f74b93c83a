import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RequestCodeResult, SessionDto } from '@chat/contracts';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { UserResponse } from '../users/users.http.dto';

export class RequestCodeRequest {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @IsEmail() @MaxLength(254)
  email: string;
}

export class RequestCodeResponse implements RequestCodeResult {
  @ApiProperty({ enum: ['sent'], example: 'sent', description: 'Always "sent", whether or not the email has an account' })
  status: 'sent';
  @ApiProperty({ example: 600 }) expiresInSeconds: number;
  @ApiProperty({ example: 60, description: 'Seconds before another code can be asked for this email' }) resendAfterSeconds: number;
}

export class VerifyCodeRequest {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @IsEmail() @MaxLength(254)
  email: string;

  @ApiProperty({ example: '042917', pattern: '^\\d{6}$' })
  @IsString() @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;
}

export class TokenPairResponse {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…', description: 'Bearer token for API calls and the socket handshake' })
  accessToken: string;
  @ApiProperty({ example: '2026-11-21T15:15:00.000Z' }) accessTokenExpiresAt: string;
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…', description: 'Single use: each refresh returns a new one' })
  refreshToken: string;
  @ApiProperty({ example: '2026-12-06T15:00:00.000Z', description: 'Absolute end of the session; refreshing does not extend it' })
  refreshTokenExpiresAt: string;
  @ApiProperty({ example: '5d0c8a8e-3c5e-4a8f-9a43-2a0b8f3e4d11' }) sessionId: string;
}

export class SignInResponse extends TokenPairResponse {
  @ApiProperty({ type: UserResponse }) user: UserResponse;
  @ApiProperty({ example: false, description: 'True when this sign-in created the account' }) created: boolean;
}

export class RefreshRequest {
  @ApiPropertyOptional({ description: 'For Bearer clients; browsers send the refresh cookie instead', example: 'eyJhbGciOi…' })
  @IsOptional() @IsString() @Length(1, 4096)
  refreshToken?: string;
}

export class SessionResponse implements SessionDto {
  @ApiProperty({ example: '5d0c8a8e-3c5e-4a8f-9a43-2a0b8f3e4d11' }) id: string;
  @ApiProperty({ type: String, nullable: true, example: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0' }) userAgent: string | null;
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' }) ip: string | null;
  @ApiProperty({ example: '2026-11-21T15:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-11-21T15:20:00.000Z' }) lastUsedAt: string;
  @ApiProperty({ example: '2026-12-06T15:00:00.000Z' }) expiresAt: string;
  @ApiProperty({ example: true, description: 'The session making this request' }) current: boolean;
}
