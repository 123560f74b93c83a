import { DynamicModule } from '@nestjs/common';
import { AuthModule } from '@chat/auth';
import { ChatsModule } from '@chat/chats';
import { Role } from '@chat/contracts';
import { GatewayModule } from '@chat/gateway';
import { MailModule } from '@chat/mail';
import { MessagesModule } from '@chat/messages';
import { AppConfig } from '@chat/platform';
import { UsersModule } from '@chat/users';

/** The Nest module behind each role. A process imports the modules of the roles it runs, and no others. */
export const ROLE_MODULES: Record<Role, (config: AppConfig) => DynamicModule> = {
  gateway: (config) => GatewayModule.forRoot(config),
  users: (config) => UsersModule.forRoot(config),
  auth: (config) => AuthModule.forRoot(config),
  chats: (config) => ChatsModule.forRoot(config),
  messages: (config) => MessagesModule.forRoot(config),
  mail: (config) => MailModule.forRoot(config),
};
