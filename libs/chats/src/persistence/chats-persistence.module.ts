import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, modulePersistence } from '@chat/platform';
import { ChatRepository } from './chat.repository';
import { CHATS_MIGRATIONS } from './sqlite/chats.migrations';
import { SqliteChatRepository } from './sqlite/sqlite-chat.repository';

/** Binds ChatRepository: MongoDB when MONGODB_URI is set, else the module's own SQLite file. */
@Module({})
export class ChatsPersistenceModule {
  static forRoot(config: AppConfig): DynamicModule {
    return modulePersistence(ChatsPersistenceModule, config, {
      name: 'chats',
      outbox: true,
      port: ChatRepository,
      sqlite: { migrations: CHATS_MIGRATIONS, create: (db) => new SqliteChatRepository(db) },
      // Required, not imported: only a process on MongoDB loads Mongoose (modulePersistence).
      mongo: () => (require('./mongo/chats.mongo-persistence') as typeof import('./mongo/chats.mongo-persistence')).chatsMongoPersistence,
    });
  }
}
