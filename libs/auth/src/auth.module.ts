import { DynamicModule, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { MailClient, UsersClient } from '@chat/contracts';
import { AppConfig, jwtModuleOptions, resolveJwtSecret } from '@chat/platform';
import { createHmac } from 'node:crypto';
import { OTP_KEYS, OtpService } from './otp/otp.service';
import { OtpKeys } from './otp/otp-keys';
import { SessionsPersistenceModule } from './persistence/sessions-persistence.module';
import { AuthRpcController } from './rpc/auth.rpc.controller';
import { PushSubscriptionsService } from './push-subscriptions.service';
import { SessionsService } from './sessions.service';
import { SignInService } from './sign-in.service';
import { TokenIssuer } from './tokens/token-issuer';

/** The `auth` role: one-time codes, sessions, tokens. Reached by others only through AuthClient. */
@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    const secret = resolveJwtSecret(config);
    // A key of its own for code and email digests, derived so it never equals the signing key.
    const pepper = createHmac('sha256', secret).update('relay-chat/otp').digest();
    return {
      module: AuthModule,
      imports: [
        JwtModule.register(jwtModuleOptions(config)),
        SessionsPersistenceModule.forRoot(config),
      ],
      controllers: [AuthRpcController],
      providers: [
        { provide: OTP_KEYS, useValue: new OtpKeys(pepper) },
        OtpService,
        TokenIssuer,
        SessionsService,
        PushSubscriptionsService,
        SignInService,
        UsersClient,
        MailClient,
      ],
    };
  }
}
