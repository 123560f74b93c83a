import { DynamicModule, Module } from '@nestjs/common';
import { ChatsClient } from '@chat/contracts';
import { AppConfig, outboxRelayProvider } from '@chat/platform';
import { UsersPersistenceModule } from './persistence/users-persistence.module';
import { UsersRpcController } from './rpc/users.rpc.controller';
import { UsersService } from './users.service';

/** The `users` role: profiles and people search. Reached by others only through UsersClient. */
@Module({})
export class UsersModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: UsersModule,
      imports: [UsersPersistenceModule.forRoot(config)],
      controllers: [UsersRpcController],
      // ChatsClient: a private directory finds people by name only among those who share a chat.
      providers: [UsersService, ChatsClient, outboxRelayProvider('users')],
    };
  }
}
