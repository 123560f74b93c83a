import { MongoPersistenceSpec } from '@chat/platform';
import { Model } from 'mongoose';
import { ChatRepository } from '../chat.repository';
import { ChatDocument, ChatMemberDocument, ChatMemberSchema, ChatSchema, MentionDocument, MentionSchema, UserBlockDocument, UserBlockSchema } from './chat.schemas';
import { MongoChatRepository } from './mongo-chat.repository';

/** ChatRepository's MongoDB adapter, which the persistence module requires only when MONGODB_URI is set. */
export const chatsMongoPersistence: MongoPersistenceSpec<ChatRepository> = {
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
};
