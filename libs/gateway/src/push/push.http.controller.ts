import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthClient, ErrorCodes } from '@chat/contracts';
import { AuthenticatedUser, DomainError, Public } from '@chat/platform';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiErrors } from '../http/api-errors.decorator';
import { PushSender } from './push-sender';
import { PushSubscriptionRequest, VapidPublicKeyResponse } from './push.http.dto';

/** Web Push for this device (the signed-in session): one subscription per session, ended with it. */
@ApiTags('push')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('push')
export class PushHttpController {
  constructor(
    private readonly auth: AuthClient,
    private readonly sender: PushSender,
  ) {}

  @Public()
  @Get('public-key')
  @ApiOperation({ summary: "The server's VAPID public key, for PushManager.subscribe({ applicationServerKey })" })
  @ApiOkResponse({ type: VapidPublicKeyResponse })
  publicKey(): VapidPublicKeyResponse {
    return { publicKey: this.sender.publicKey };
  }

  @Put('subscription')
  @HttpCode(204)
  @ApiOperation({ summary: "This device's push subscription (replaces the one it had). Pushes come only while the user has no live connection." })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCodes.VALIDATION_FAILED, ErrorCodes.PUSH_ENDPOINT_REFUSED, ErrorCodes.AUTH_SESSION_REVOKED, ErrorCodes.AUTH_UNAUTHENTICATED)
  async subscribe(@CurrentUser() user: AuthenticatedUser, @Body() body: PushSubscriptionRequest): Promise<void> {
    if (!this.sender.accepts(body.endpoint)) {
      throw new DomainError(ErrorCodes.PUSH_ENDPOINT_REFUSED, 'This server does not send pushes to that endpoint');
    }
    const { endpoint, keys } = body;
    await this.auth.setPushSubscription({ userId: user.userId, sessionId: user.sessionId, subscription: { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } } });
  }

  @Delete('subscription')
  @HttpCode(204)
  @ApiOperation({ summary: 'No more pushes to this device (signing out does the same)' })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCodes.AUTH_SESSION_REVOKED, ErrorCodes.AUTH_UNAUTHENTICATED)
  async unsubscribe(@CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.auth.setPushSubscription({ userId: user.userId, sessionId: user.sessionId, subscription: null });
  }
}
