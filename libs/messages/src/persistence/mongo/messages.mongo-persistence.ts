import { MongoPersistenceSpec } from '@chat/platform';
import { Model } from 'mongoose';
import { MessageRepository } from '../message.repository';
import {
  ChatSeqDocument,
  ChatSeqSchema,
  MessageChatMemberDocument,
  MessageChatMemberSchema,
  MessageChatMembershipDocument,
  MessageChatMembershipSchema,
  MessageDocument,
  MessageHideDocument,
  MessageHideSchema,
  MessageReactionDocument,
  MessageReactionSchema,
  MessagePinDocument,
  MessagePinSchema,
  MessageSchema,
  MessageUserBlockDocument,
  MessageUserBlockSchema,
} from './message.schemas';
import { MongoMessageRepository } from './mongo-message.repository';

/** MessageRepository's MongoDB adapter, which the persistence module requires only when MONGODB_URI is set. */
export const messagesMongoPersistence: MongoPersistenceSpec<MessageRepository> = {
  models: [
    { name: MessageDocument.name, schema: MessageSchema },
    { name: ChatSeqDocument.name, schema: ChatSeqSchema },
    { name: MessageHideDocument.name, schema: MessageHideSchema },
    { name: MessageChatMembershipDocument.name, schema: MessageChatMembershipSchema },
    { name: MessageChatMemberDocument.name, schema: MessageChatMemberSchema },
    { name: MessageReactionDocument.name, schema: MessageReactionSchema },
    { name: MessagePinDocument.name, schema: MessagePinSchema },
    { name: MessageUserBlockDocument.name, schema: MessageUserBlockSchema },
  ],
  // Writes run in transactions on the connection, which also holds the outbox collection.
  create: (connection, messages, seqs, hides, memberships, members, reactions, pins, blocks) =>
    new MongoMessageRepository(
      connection,
      messages as Model<MessageDocument>,
      seqs as Model<ChatSeqDocument>,
      hides as Model<MessageHideDocument>,
      memberships as Model<MessageChatMembershipDocument>,
      members as Model<MessageChatMemberDocument>,
      reactions as Model<MessageReactionDocument>,
      pins as Model<MessagePinDocument>,
      blocks as Model<MessageUserBlockDocument>,
    ),
};
