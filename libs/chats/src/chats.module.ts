import { DynamicModule, Module } from '@nestjs/common';
import { UsersClient } from '@chat/contracts';
import { AppConfig, outboxRelayProvider } from '@chat/platform';
import { ChatActivityService } from './chat-activity.service';
import { ChatsEventsController } from './chats.events.controller';
import { ChatsService } from './chats.service';
import { ChatsPersistenceModule } from './persistence/chats-persistence.module';
import { ChatsRpcController } from './rpc/chats.rpc.controller';

/** The `chats` role: chats, members, the chat list. Reached by others only through ChatsClient and its outbox's events. */
@Module({})
export class ChatsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ChatsModule,
      imports: [ChatsPersistenceModule.forRoot(config)],
      controllers: [ChatsRpcController, ChatsEventsController],
      providers: [ChatsService, ChatActivityService, UsersClient, outboxRelayProvider('chats')],
    };
  }
}
