import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuthClient, ChatsClient, MailClient, MessagesClient, UsersClient } from '@chat/contracts';
import { MediaModule } from '@chat/media';
import { AppConfig, jwtModuleOptions } from '@chat/platform';
import { AccessTokenGuard } from './auth/access-token.guard';
import { AccessTokenVerifier } from './auth/access-token.verifier';
import { AuthAliasesHttpController } from './auth/auth-aliases.http.controller';
import { AuthCookies } from './auth/auth-cookies';
import { AuthHttpController } from './auth/auth.http.controller';
import { CsrfGuard } from './auth/csrf.guard';
import { throttlerModule } from './auth/throttling';
import { MailboxHttpController } from './dev/mailbox.http.controller';
import { ChatsHttpController } from './chats/chats.http.controller';
import { MessageImages } from './messages/message-images';
import { MessageSender } from './messages/message-sender';
import { MessagesHttpController } from './messages/messages.http.controller';
import { MessageActionsHttpController } from './messages/message-actions.http.controller';
import { BlocksHttpController } from './users/blocks.http.controller';
import { SearchHttpController } from './messages/search.http.controller';
import { SeedAliasesHttpController } from './messages/seed-aliases.http.controller';
import { UserSendLimiter } from './messages/user-send-limiter';
import { PushHttpController } from './push/push.http.controller';
import { PushNotifier } from './push/push-notifier';
import { PushSender } from './push/push-sender';
import { UploadsHttpController } from './uploads/uploads.http.controller';
import { UsersAliasesHttpController } from './users/users-aliases.http.controller';
import { UsersHttpController } from './users/users.http.controller';
import { REALTIME_CONTROLLERS, REALTIME_PROVIDERS } from './realtime/realtime.providers';

/** The `gateway` role: REST and WebSocket edge. It owns no data; it calls the modules through typed clients. */
@Module({})
export class GatewayModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        JwtModule.register(jwtModuleOptions(config)),
        MediaModule.forRoot(config),
        throttlerModule(config),
      ],
      controllers: [
        UsersHttpController,
        AuthHttpController,
        AuthAliasesHttpController,
        MailboxHttpController,
        UploadsHttpController,
        ChatsHttpController,
        MessagesHttpController,
        MessageActionsHttpController,
        BlocksHttpController,
        SearchHttpController,
        SeedAliasesHttpController,
        UsersAliasesHttpController,
        PushHttpController,
        ...REALTIME_CONTROLLERS,
      ],
      providers: [
        UsersClient,
        AuthClient,
        MailClient,
        ChatsClient,
        MessagesClient,
        MessageImages,
        MessageSender,
        UserSendLimiter,
        AuthCookies,
        AccessTokenVerifier,
        PushSender,
        PushNotifier,
        ...REALTIME_PROVIDERS,
        // CSRF first: a forged cross-site write is refused before anything else looks at it.
        { provide: APP_GUARD, useClass: CsrfGuard },
        { provide: APP_GUARD, useClass: AccessTokenGuard },
      ],
      exports: [AccessTokenVerifier, JwtModule, MediaModule],
    };
  }
}
