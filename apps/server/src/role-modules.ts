import { DynamicModule } from '@nestjs/common';
import { Role } from '@chat/contracts';
import { AppConfig } from '@chat/platform';

/**
 * The Nest module behind each role. A process requires the code of the roles it runs, and no other: a Messages
 * process, or the module thread, never loads the gateway's HTTP, Swagger and Socket.IO code. Each role's code is
 * reached through roles/, because the build rewrites `@chat/*` only in import and export declarations.
 */
export const ROLE_MODULES: Record<Role, (config: AppConfig) => DynamicModule> = {
  gateway: (config) => (require('./roles/gateway') as typeof import('./roles/gateway')).GatewayModule.forRoot(config),
  users: (config) => (require('./roles/users') as typeof import('./roles/users')).UsersModule.forRoot(config),
  auth: (config) => (require('./roles/auth') as typeof import('./roles/auth')).AuthModule.forRoot(config),
  chats: (config) => (require('./roles/chats') as typeof import('./roles/chats')).ChatsModule.forRoot(config),
  messages: (config) => (require('./roles/messages') as typeof import('./roles/messages')).MessagesModule.forRoot(config),
  mail: (config) => (require('./roles/mail') as typeof import('./roles/mail')).MailModule.forRoot(config),
};
