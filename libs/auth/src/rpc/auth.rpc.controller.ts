import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AuthPatterns } from '@chat/contracts';
import { RoleMessagePattern } from '@chat/platform';
import { OtpService } from '../otp/otp.service';
import { SessionsService } from '../sessions.service';
import { SignInService } from '../sign-in.service';
import { PushSubscriptionsService } from '../push-subscriptions.service';
import {
  ForgetPushEndpointDto, ListSessionsDto, LogoutWithRefreshTokenDto, PushSubscriptionsQueryDto, RefreshTokensDto, RequestCodeDto, SessionRefDto,
  SetPushSubscriptionDto, VerifyCodeDto,
} from './auth.rpc.dto';

@Controller()
export class AuthRpcController {
  constructor(
    private readonly otp: OtpService,
    private readonly signIn: SignInService,
    private readonly sessions: SessionsService,
    private readonly push: PushSubscriptionsService,
  ) {}

  @RoleMessagePattern('auth', AuthPatterns.requestCode)
  requestCode(@Payload() { email, client }: RequestCodeDto) {
    return this.otp.requestCode(email, client.ip);
  }

  @RoleMessagePattern('auth', AuthPatterns.verifyCode)
  verifyCode(@Payload() { email, code, client }: VerifyCodeDto) {
    return this.signIn.verify(email, code, client);
  }

  @RoleMessagePattern('auth', AuthPatterns.refresh)
  refresh(@Payload() { refreshToken, client }: RefreshTokensDto) {
    return this.sessions.refresh(refreshToken, client);
  }

  @RoleMessagePattern('auth', AuthPatterns.logout)
  async logout(@Payload() { userId, sessionId }: SessionRefDto) {
    await this.sessions.logout(userId, sessionId);
    return { ok: true };
  }

  @RoleMessagePattern('auth', AuthPatterns.logoutWithRefreshToken)
  async logoutWithRefreshToken(@Payload() { refreshToken }: LogoutWithRefreshTokenDto) {
    await this.sessions.logoutWithRefreshToken(refreshToken);
    return { ok: true };
  }

  @RoleMessagePattern('auth', AuthPatterns.listSessions)
  listSessions(@Payload() { userId, currentSessionId }: ListSessionsDto) {
    return this.sessions.list(userId, currentSessionId);
  }

  @RoleMessagePattern('auth', AuthPatterns.revokeSession)
  async revokeSession(@Payload() { userId, sessionId }: SessionRefDto) {
    await this.sessions.revokeOwn(userId, sessionId);
    return { ok: true };
  }

  @RoleMessagePattern('auth', AuthPatterns.setPushSubscription)
  async setPushSubscription(@Payload() { userId, sessionId, subscription }: SetPushSubscriptionDto) {
    await this.push.set(userId, sessionId, subscription);
    return { ok: true };
  }

  @RoleMessagePattern('auth', AuthPatterns.pushSubscriptions)
  pushSubscriptions(@Payload() { userIds }: PushSubscriptionsQueryDto) {
    return this.push.of(userIds);
  }

  @RoleMessagePattern('auth', AuthPatterns.forgetPushEndpoint)
  async forgetPushEndpoint(@Payload() { endpoint }: ForgetPushEndpointDto) {
    await this.push.forget(endpoint);
    return { ok: true };
  }
}
