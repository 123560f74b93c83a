import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, modulePersistence } from '@chat/platform';
import { Model } from 'mongoose';
import { ChatRepository } from './chat.repository';
import { ChatDocument, ChatMemberDocument, ChatMemberSchema, ChatSchema, MentionDocument, MentionSchema, UserBlockDocument, UserBlockSchema } from './mongo/chat.schemas';
import { MongoChatRepository } from './mongo/mongo-chat.repository';
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
      mongo: {
        models: [
          { name: ChatDocument.name, schema: ChatSchema },
          { name: ChatMemberDocument.name, schema: ChatMemberSchema },
          { name: UserBlockDocument.name, schema: UserBlockSchema },
          { name: MentionDocument.name, schema: MentionSchema },
        ],
        // Membership changes and message events run in transactions on the connection, which also holds the outbox.
        create: (connection, chats, members, blocks, mentions) =>
          new MongoChatRepository(
            connection,
            chats as Model<ChatDocument>,
            members as Model<ChatMemberDocument>,
            blocks as Model<UserBlockDocument>,
            mentions as Model<MentionDocument>,
          ),
      },
    });
  }
}
