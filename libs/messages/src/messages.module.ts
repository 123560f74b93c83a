import { DynamicModule, Module } from '@nestjs/common';
import { ChatsClient } from '@chat/contracts';
import { AppConfig, outboxRelayProvider } from '@chat/platform';
import { MessagesEventsController } from './messages.events.controller';
import { MessagesService } from './messages.service';
import { MessagesPersistenceModule } from './persistence/messages-persistence.module';
import { MessagesRpcController } from './rpc/messages.rpc.controller';

/**
 * The `messages` role: messages, their per-chat order, and each member's pointers. Knows who is in a chat from
 * Chats' events; tells others through its outbox.
 */
@Module({})
export class MessagesModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: MessagesModule,
      imports: [MessagesPersistenceModule.forRoot(config)],
      controllers: [MessagesRpcController, MessagesEventsController],
      providers: [MessagesService, ChatsClient, outboxRelayProvider('messages')],
    };
  }
}
