import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuthClient, MailClient, UsersClient } from '@chat/contracts';
import { MediaModule } from '@chat/media';
import { AppConfig, JWT_ALGORITHM, resolveJwtSecret } from '@chat/platform';
import { AccessTokenGuard } from './auth/access-token.guard';
import { AccessTokenVerifier } from './auth/access-token.verifier';
import { AuthCookies } from './auth/auth-cookies';
import { AuthHttpController } from './auth/auth.http.controller';
import { CsrfGuard } from './auth/csrf.guard';
import { throttlerModule } from './auth/throttling';
import { MailboxHttpController } from './dev/mailbox.http.controller';
import { UploadsHttpController } from './uploads/uploads.http.controller';
import { UsersHttpController } from './users/users.http.controller';

/** The `gateway` role: REST and WebSocket edge. It owns no data; it calls the modules through typed clients. */
@Module({})
export class GatewayModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        JwtModule.register({
          secret: resolveJwtSecret(config),
          signOptions: { algorithm: JWT_ALGORITHM },
          verifyOptions: { algorithms: [JWT_ALGORITHM] },
        }),
        throttlerModule(config),
        MediaModule.forRoot(config),
      ],
      controllers: [UsersHttpController, AuthHttpController, MailboxHttpController, UploadsHttpController],
      providers: [
        UsersClient,
        AuthClient,
        MailClient,
        AuthCookies,
        AccessTokenVerifier,
        // CSRF first: a forged cross-site write is refused before anything else looks at it.
        { provide: APP_GUARD, useClass: CsrfGuard },
        { provide: APP_GUARD, useClass: AccessTokenGuard },
      ],
      exports: [AccessTokenVerifier, JwtModule, MediaModule],
    };
  }
}
