import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AVATAR_URL_MESSAGE, AVATAR_URL_PATTERN, PublicUserDto, UserDto } from '@chat/contracts';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';

/** Someone else, as anyone sees them: no email. */
export class PublicUserResponse implements PublicUserDto {
  @ApiProperty({ example: '0b7d3c1e-8a51-4c1e-9a43-2a0b8f3e4d11' }) id: string;
  @ApiProperty({ example: 'Ada Lovelace' }) displayName: string;
  @ApiProperty({ type: String, nullable: true, example: '/media/3f1c.webp' }) avatarUrl: string | null;
  @ApiProperty({ example: '2026-11-21T15:00:00.000Z' }) createdAt: string;
}

/** The signed-in user: the one answer with an email in it, their own. */
export class UserResponse extends PublicUserResponse implements UserDto {
  @ApiProperty({ example: 'ada@example.com' }) email: string;
}

export class UserPageResponse {
  @ApiProperty({ type: [PublicUserResponse] }) items: PublicUserResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass back as `cursor` for the next page; null at the end' })
  nextCursor: string | null;
}

export class SearchUsersQuery {
  @ApiPropertyOptional({
    description: 'An exact email (finds that one person), or the start of a display name: everyone with USER_DIRECTORY=open, only people who share a chat with you when private (the default)',
    example: 'ad',
  })
  @IsOptional() @IsString() @MaxLength(254)
  q?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(512)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional() @Transform(({ value }) => Number(value)) @IsInt() @Min(1) @Max(100)
  limit?: number;
}

export class UserIdsQuery {
  @ApiProperty({ description: 'Comma-separated user ids (at most 100)', example: 'id1,id2' })
  @IsString() @MaxLength(4000)
  ids: string;
}

export class UpdateProfileRequest {
  @ApiPropertyOptional({ example: 'Ada Lovelace', minLength: 1, maxLength: 64 })
  @IsOptional() @IsString() @Length(1, 64)
  displayName?: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '/media/3f1c.webp' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @MaxLength(2048) @Matches(AVATAR_URL_PATTERN, { message: AVATAR_URL_MESSAGE })
  avatarUrl?: string | null;
}
