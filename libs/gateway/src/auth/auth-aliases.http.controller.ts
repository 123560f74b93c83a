import { Body, Controller, HttpCode, HttpStatus, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuthClient, ErrorCodes } from '@chat/contracts';
import { DomainError, Public } from '@chat/platform';
import { IsEmail, IsOptional, Matches, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { ApiErrors } from '../http/api-errors.decorator';
import { AuthCookies } from './auth-cookies';
import { SignInThrottlerGuard, ThrottleBucket } from './sign-in-throttler.guard';
import { RequestCodeRequest, RequestCodeResponse, SignInResponse } from './auth.http.dto';
import { clientInfo } from './client-info';

export class SeedVerifyRequest {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail() @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ example: '042917', description: 'The code (also accepted as `otp`)' })
  @IsOptional() @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code?: string;

  @ApiPropertyOptional({ example: '042917', description: 'Name used by older clients for `code`' })
  @IsOptional() @Matches(/^\d{6}$/, { message: 'otp must be 6 digits' })
  otp?: string;
}

/**
 * `POST /login` and `POST /verify`, the addresses clients of the products we were described from already call.
 * Same behaviour, limits and cookies as `/auth/otp` and `/auth/verify`.
 */
@ApiTags('auth')
@Controller()
export class AuthAliasesHttpController {
  constructor(
    private readonly auth: AuthClient,
    private readonly cookies: AuthCookies,
  ) {}

  @Public()
  @UseGuards(SignInThrottlerGuard)
  @Post('login')
  @ThrottleBucket('request-code')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Alias of POST /auth/otp' })
  @ApiAcceptedResponse({ type: RequestCodeResponse })
  @ApiErrors(ErrorCodes.VALIDATION_FAILED, ErrorCodes.AUTH_RESEND_COOLDOWN, ErrorCodes.AUTH_TOO_MANY_ATTEMPTS, ErrorCodes.RATE_LIMITED)
  login(@Body() body: RequestCodeRequest, @Req() request: Request) {
    return this.auth.requestCode({ email: body.email, client: clientInfo(request) });
  }

  @Public()
  @UseGuards(SignInThrottlerGuard)
  @Post('verify')
  @ThrottleBucket('verify-code')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Alias of POST /auth/verify (accepts `otp` for `code`)' })
  @ApiOkResponse({ type: SignInResponse })
  @ApiErrors(ErrorCodes.VALIDATION_FAILED, ErrorCodes.AUTH_INVALID_CODE, ErrorCodes.AUTH_TOO_MANY_ATTEMPTS, ErrorCodes.RATE_LIMITED)
  async verify(@Body() body: SeedVerifyRequest, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const code = body.code ?? body.otp;
    if (!code) throw new DomainError(ErrorCodes.VALIDATION_FAILED, 'code must be 6 digits');
    const result = await this.auth.verifyCode({ email: body.email, code, client: clientInfo(request) });
    this.cookies.set(request, response, result);
    return result;
  }
}
