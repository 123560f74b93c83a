import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCookieAuth, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthClient, ErrorCodes } from '@chat/contracts';
import { AuthenticatedUser, DomainError, Public } from '@chat/platform';
import type { Request, Response } from 'express';
import { ApiErrors } from '../http/api-errors.decorator';
import { readAccessToken } from './access-token';
import { AccessTokenVerifier } from './access-token.verifier';
import { AuthCookies } from './auth-cookies';
import { SignInThrottlerGuard, ThrottleBucket } from './sign-in-throttler.guard';
import { RefreshRequest, RequestCodeRequest, RequestCodeResponse, SessionResponse, SignInResponse, TokenPairResponse, VerifyCodeRequest } from './auth.http.dto';
import { clientInfo } from './client-info';
import { CurrentUser } from './current-user.decorator';

const CSRF_HEADER_DOC = {
  name: 'X-Requested-With',
  required: false,
  description: 'Required (any value, the web app sends "relay") on writes authenticated by cookie; not needed with a Bearer token',
};

@ApiTags('auth')
@Controller('auth')
export class AuthHttpController {
  constructor(
    private readonly auth: AuthClient,
    private readonly cookies: AuthCookies,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  @Public()
  @UseGuards(SignInThrottlerGuard)
  @Post('otp')
  @ThrottleBucket('request-code')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Email a 6-digit sign-in code', description: 'The same answer for every email, with or without an account. One code per 60 s per email (OTP_RESEND_COOLDOWN_SECONDS), at most 5 an hour for one email from one address; per-IP limits apply.' })
  @ApiAcceptedResponse({ type: RequestCodeResponse })
  @ApiErrors(ErrorCodes.VALIDATION_FAILED, ErrorCodes.AUTH_RESEND_COOLDOWN, ErrorCodes.AUTH_TOO_MANY_ATTEMPTS, ErrorCodes.RATE_LIMITED, ErrorCodes.TRANSPORT_UNAVAILABLE)
  requestCode(@Body() body: RequestCodeRequest, @Req() request: Request) {
    return this.auth.requestCode({ email: body.email, client: clientInfo(request) });
  }

  @Public()
  @UseGuards(SignInThrottlerGuard)
  @Post('verify')
  @ThrottleBucket('verify-code')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Trade the code for a session',
    description: 'Sets the HttpOnly `access` and `refresh` cookies (`__Host-access`/`__Secure-refresh` over HTTPS) and returns the tokens for Bearer clients. The first sign-in creates the account. A code is single use and burned after 5 wrong tries (then ask for a new one). An address with 50 wrong codes in an hour is refused for the rest of it; the account itself is never locked.',
  })
  @ApiOkResponse({ type: SignInResponse })
  @ApiErrors(ErrorCodes.VALIDATION_FAILED, ErrorCodes.AUTH_INVALID_CODE, ErrorCodes.AUTH_TOO_MANY_ATTEMPTS, ErrorCodes.RATE_LIMITED)
  async verify(@Body() body: VerifyCodeRequest, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const result = await this.auth.verifyCode({ email: body.email, code: body.code, client: clientInfo(request) });
    this.cookies.set(request, response, result);
    return result;
  }

  @Public()
  @UseGuards(SignInThrottlerGuard)
  @Post('refresh')
  @ThrottleBucket('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Rotate the refresh token',
    description: 'Takes the refresh token from the body or the refresh cookie and returns (and sets) a new pair. A refresh token used twice ends its whole session.',
  })
  @ApiHeader(CSRF_HEADER_DOC)
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiErrors(ErrorCodes.VALIDATION_FAILED, ErrorCodes.AUTH_UNAUTHENTICATED, ErrorCodes.AUTH_SESSION_REVOKED, ErrorCodes.AUTH_CSRF, ErrorCodes.RATE_LIMITED)
  async refresh(@Body() body: RefreshRequest, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const refreshToken = body.refreshToken ?? this.cookies.readRefreshToken(request);
    if (!refreshToken) throw new DomainError(ErrorCodes.AUTH_UNAUTHENTICATED, 'No refresh token');
    try {
      const tokens = await this.auth.refresh({ refreshToken, client: clientInfo(request) });
      this.cookies.set(request, response, tokens);
      return tokens;
    } catch (error) {
      // A dead refresh token is worth nothing to keep: the browser should forget it.
      if (error instanceof DomainError && error.code.startsWith('AUTH.')) this.cookies.clear(request, response);
      throw error;
    }
  }

  // Public: the access token has often expired by the time someone signs out (15 minutes); the refresh token
  // (cookie, or body for Bearer clients) still names the session. The CSRF guard covers the cookie case.
  @Public()
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiHeader(CSRF_HEADER_DOC)
  @ApiOperation({
    summary: 'End this session',
    description:
      'Revokes the session: its access and refresh tokens stop working at once. Clears the cookies. Works with the access token, ' +
      'or once it has expired with the refresh token (cookie, or `refreshToken` in the body).',
  })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiErrors(ErrorCodes.AUTH_UNAUTHENTICATED, ErrorCodes.AUTH_CSRF)
  async logout(@Body() body: RefreshRequest, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const access = readAccessToken(request);
    const user = access ? await this.verifier.verify(access.token).catch(() => null) : null;
    const refreshToken = body.refreshToken ?? this.cookies.readRefreshToken(request);
    if (user) {
      await this.auth.logout({ userId: user.userId, sessionId: user.sessionId });
    } else if (refreshToken) {
      await this.auth.logoutWithRefreshToken({ refreshToken }).catch((error) => {
        // A dead refresh token ends nothing, and there is nothing left to end; any other failure is real.
        if (!(error instanceof DomainError && error.code.startsWith('AUTH.'))) throw error;
      });
    } else if (!access) {
      throw new DomainError(ErrorCodes.AUTH_UNAUTHENTICATED, 'Sign in first');
    }
    this.cookies.clear(request, response);
  }

  @Get('sessions')
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'My signed-in devices', description: 'Active sessions, most recently used first; `current` marks this one.' })
  @ApiOkResponse({ type: [SessionResponse] })
  @ApiErrors(ErrorCodes.AUTH_UNAUTHENTICATED, ErrorCodes.AUTH_SESSION_REVOKED)
  sessions(@CurrentUser() user: AuthenticatedUser) {
    return this.auth.listSessions({ userId: user.userId, currentSessionId: user.sessionId });
  }

  @Delete('sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiHeader(CSRF_HEADER_DOC)
  @ApiOperation({ summary: 'Sign a device out', description: "Revokes one of my sessions. Someone else's session answers 404, like a missing one." })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors(ErrorCodes.NOT_FOUND, ErrorCodes.AUTH_UNAUTHENTICATED, ErrorCodes.AUTH_SESSION_REVOKED, ErrorCodes.AUTH_CSRF)
  async revokeSession(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    if (id.length > 64) throw new DomainError(ErrorCodes.NOT_FOUND, 'Session not found');
    await this.auth.revokeSession({ userId: user.userId, sessionId: id });
  }
}
