import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { getConnectionToken, getModelToken, MongooseModule } from '@nestjs/mongoose';
import { AppConfig, HealthProbes, openSqliteDatabase, SqliteDatabase } from '@chat/platform';
import { join } from 'node:path';
import { Connection, Model } from 'mongoose';
import { MessageRepository } from './message.repository';
import { ChatSeqDocument, ChatSeqSchema, MessageDocument, MessageHideDocument, MessageHideSchema, MessageSchema } from './mongo/message.schemas';
import { MongoMessageRepository } from './mongo/mongo-message.repository';
import { MESSAGES_MIGRATIONS } from './sqlite/messages.migrations';
import { SqliteMessageRepository } from './sqlite/sqlite-message.repository';

const MESSAGES_SQLITE = Symbol('MESSAGES_SQLITE');

@Module({})
class MessagesSqliteModule implements OnApplicationShutdown {
  constructor(@Inject(MESSAGES_SQLITE) private readonly db: SqliteDatabase, probes: HealthProbes) {
    probes.register({ name: 'messages-db', check: () => void db.prepare('SELECT 1').get() });
  }

  onApplicationShutdown(): void {
    this.db.close();
  }
}

/** Binds MessageRepository: MongoDB when MONGODB_URI is set, else the module's own SQLite file. */
export class MessagesPersistenceModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.env.MONGODB_URI) {
      return {
        module: MessagesPersistenceModule,
        imports: [
          MongooseModule.forFeature([
            { name: MessageDocument.name, schema: MessageSchema },
            { name: ChatSeqDocument.name, schema: ChatSeqSchema },
            { name: MessageHideDocument.name, schema: MessageHideSchema },
          ]),
        ],
        providers: [
          {
            provide: MessageRepository,
            inject: [getConnectionToken(), getModelToken(MessageDocument.name), getModelToken(ChatSeqDocument.name), getModelToken(MessageHideDocument.name)],
            useFactory: (connection: Connection, messages: Model<MessageDocument>, seqs: Model<ChatSeqDocument>, hides: Model<MessageHideDocument>) =>
              new MongoMessageRepository(connection, messages, seqs, hides),
          },
        ],
        exports: [MessageRepository],
      };
    }
    return {
      module: MessagesSqliteModule,
      providers: [
        { provide: MESSAGES_SQLITE, useFactory: () => openSqliteDatabase(join(config.dataDir, 'messages.sqlite'), MESSAGES_MIGRATIONS) },
        { provide: MessageRepository, inject: [MESSAGES_SQLITE], useFactory: (db: SqliteDatabase) => new SqliteMessageRepository(db) },
      ],
      exports: [MessageRepository],
    };
  }
}
