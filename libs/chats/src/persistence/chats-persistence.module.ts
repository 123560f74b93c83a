import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import { AppConfig, HealthProbes, openSqliteDatabase, SqliteDatabase } from '@chat/platform';
import { join } from 'node:path';
import { Model } from 'mongoose';
import { ChatRepository } from './chat.repository';
import { ChatDocument, ChatMemberDocument, ChatMemberSchema, ChatSchema } from './mongo/chat.schemas';
import { MongoChatRepository } from './mongo/mongo-chat.repository';
import { CHATS_MIGRATIONS } from './sqlite/chats.migrations';
import { SqliteChatRepository } from './sqlite/sqlite-chat.repository';

const CHATS_SQLITE = Symbol('CHATS_SQLITE');

@Module({})
class ChatsSqliteModule implements OnApplicationShutdown {
  constructor(@Inject(CHATS_SQLITE) private readonly db: SqliteDatabase, probes: HealthProbes) {
    probes.register({ name: 'chats-db', check: () => void db.prepare('SELECT 1').get() });
  }

  onApplicationShutdown(): void {
    this.db.close();
  }
}

/** Binds ChatRepository: MongoDB when MONGODB_URI is set, else the module's own SQLite file. */
export class ChatsPersistenceModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.env.MONGODB_URI) {
      return {
        module: ChatsPersistenceModule,
        imports: [
          MongooseModule.forFeature([
            { name: ChatDocument.name, schema: ChatSchema },
            { name: ChatMemberDocument.name, schema: ChatMemberSchema },
          ]),
        ],
        providers: [
          {
            provide: ChatRepository,
            inject: [getModelToken(ChatDocument.name), getModelToken(ChatMemberDocument.name)],
            useFactory: (chats: Model<ChatDocument>, members: Model<ChatMemberDocument>) => new MongoChatRepository(chats, members),
          },
        ],
        exports: [ChatRepository],
      };
    }
    return {
      module: ChatsSqliteModule,
      providers: [
        { provide: CHATS_SQLITE, useFactory: () => openSqliteDatabase(join(config.dataDir, 'chats.sqlite'), CHATS_MIGRATIONS) },
        { provide: ChatRepository, inject: [CHATS_SQLITE], useFactory: (db: SqliteDatabase) => new SqliteChatRepository(db) },
      ],
      exports: [ChatRepository],
    };
  }
}
