import { DynamicModule, Module } from '@nestjs/common';
import { ChatsClient } from '@chat/contracts';
import { AppConfig } from '@chat/platform';
import { MessagesService } from './messages.service';
import { MessagesPersistenceModule } from './persistence/messages-persistence.module';
import { MessagesRpcController } from './rpc/messages.rpc.controller';

/** The `messages` role: messages and their per-chat order. Asks Chats (through ChatsClient) who may see what. */
@Module({})
export class MessagesModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: MessagesModule,
      imports: [MessagesPersistenceModule.forRoot(config)],
      controllers: [MessagesRpcController],
      providers: [MessagesService, ChatsClient],
    };
  }
}
