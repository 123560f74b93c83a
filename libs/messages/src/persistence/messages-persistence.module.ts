import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, modulePersistence } from '@chat/platform';
import { MessageRepository } from './message.repository';
import { MESSAGES_MIGRATIONS } from './sqlite/messages.migrations';
import { SqliteMessageRepository } from './sqlite/sqlite-message.repository';

/** Binds MessageRepository: MongoDB when MONGODB_URI is set, else the module's own SQLite file. */
@Module({})
export class MessagesPersistenceModule {
  static forRoot(config: AppConfig): DynamicModule {
    return modulePersistence(MessagesPersistenceModule, config, {
      name: 'messages',
      outbox: true,
      port: MessageRepository,
      sqlite: { migrations: MESSAGES_MIGRATIONS, create: (db) => new SqliteMessageRepository(db) },
      // Required, not imported: only a process on MongoDB loads Mongoose (modulePersistence).
      mongo: () => (require('./mongo/messages.mongo-persistence') as typeof import('./mongo/messages.mongo-persistence')).messagesMongoPersistence,
    });
  }
}
