import { MongoPersistenceSpec } from '@chat/platform';
import { Model } from 'mongoose';
import { UserRepository } from '../user.repository';
import { MongoUserRepository } from './mongo-user.repository';
import { UserDocument, UserSchema } from './user.schema';

/** UserRepository's MongoDB adapter, which the persistence module requires only when MONGODB_URI is set. */
export const usersMongoPersistence: MongoPersistenceSpec<UserRepository> = {
  models: [{ name: UserDocument.name, schema: UserSchema }],
  // Profile changes run in transactions on the connection, which also holds the outbox collection.
  create: (connection, users) => new MongoUserRepository(connection, users as Model<UserDocument>),
};
