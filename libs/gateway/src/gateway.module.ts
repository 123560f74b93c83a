import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ChatsClient, MessagesClient, UsersClient } from '@chat/contracts';
import { MediaModule } from '@chat/media';
import { AppConfig, JWT_ALGORITHM, resolveJwtSecret } from '@chat/platform';
import { AccessTokenGuard } from './auth/access-token.guard';
import { AccessTokenVerifier } from './auth/access-token.verifier';
import { ChatsHttpController } from './chats/chats.http.controller';
import { MessageImages } from './messages/message-images';
import { MessagesHttpController } from './messages/messages.http.controller';
import { SeedAliasesHttpController } from './messages/seed-aliases.http.controller';
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
        MediaModule.forRoot(config),
      ],
      controllers: [UsersHttpController, UploadsHttpController, ChatsHttpController, MessagesHttpController, SeedAliasesHttpController],
      providers: [UsersClient, ChatsClient, MessagesClient, MessageImages, AccessTokenVerifier, { provide: APP_GUARD, useClass: AccessTokenGuard }],
      exports: [AccessTokenVerifier, JwtModule, MediaModule],
    };
  }
}
