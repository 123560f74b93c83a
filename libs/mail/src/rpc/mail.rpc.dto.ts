import { MailRequestedEvent } from '@chat/contracts';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

class SignInCodeDataDto {
  @Matches(/^\d{6}$/)
  code: string;

  @IsInt() @Min(1) @Max(60)
  expiresInMinutes: number;
}

export class MailRequestedDto {
  @IsString() @Length(1, 64)
  jobId: string;

  @IsEmail() @MaxLength(254)
  to: string;

  @IsIn(['sign-in-code'])
  template: 'sign-in-code';

  @IsObject() @ValidateNested() @Type(() => SignInCodeDataDto)
  data: SignInCodeDataDto;

  @IsISO8601()
  requestedAt: string;
}

// Compile-time check that the DTO accepts every job the contract describes.
const _accepts: (job: MailRequestedEvent) => MailRequestedDto = (job) => job;
void _accepts;

export class CapturedMailsDto {
  @IsOptional() @IsInt() @Min(1) @Max(50)
  limit?: number;
}
