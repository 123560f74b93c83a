import { AVATAR_URL_MESSAGE, AVATAR_URL_PATTERN, EnsureUserByEmail, GetUser, GetUsers, SearchUsers, UpdateProfile, USERS_BATCH_MAX } from '@chat/contracts';
import { ArrayMaxSize, IsArray, IsEmail, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';

// Payloads are validated again at the module's own door: a module trusts no caller, not even the gateway.

export class EnsureUserByEmailDto implements EnsureUserByEmail {
  @IsEmail() @MaxLength(254)
  email: string;
}

export class GetUserDto implements GetUser {
  @IsString() @Length(1, 64)
  id: string;
}

export class GetUsersDto implements GetUsers {
  @IsArray() @ArrayMaxSize(USERS_BATCH_MAX) @IsString({ each: true })
  ids: string[];
}

export class SearchUsersDto implements SearchUsers {
  @IsString() @MaxLength(254)
  query: string;

  @IsOptional() @IsString() @MaxLength(512)
  cursor?: string | null;

  @IsOptional() @IsInt() @Min(1) @Max(100)
  limit?: number;

  @IsString() @Length(1, 64)
  searcherId: string;
}

export class UpdateProfileDto implements UpdateProfile {
  @IsString() @Length(1, 64)
  userId: string;

  @IsOptional() @IsString() @Length(1, 64)
  displayName?: string;

  @IsOptional() @ValidateIf((_, value) => value !== null) @MaxLength(2048) @Matches(AVATAR_URL_PATTERN, { message: AVATAR_URL_MESSAGE })
  avatarUrl?: string | null;
}
