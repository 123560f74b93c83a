import { MongoPersistenceSpec } from '@chat/platform';
import { Model } from 'mongoose';
import { SessionRepository } from '../session.repository';
import { MongoSessionRepository } from './mongo-session.repository';
import { SessionDocument, SessionSchema } from './session.schema';

/** SessionRepository's MongoDB adapter, which the persistence module requires only when MONGODB_URI is set. */
export const sessionsMongoPersistence: MongoPersistenceSpec<SessionRepository> = {
  models: [{ name: SessionDocument.name, schema: SessionSchema }],
  create: (_connection, sessions) => new MongoSessionRepository(sessions as Model<SessionDocument>),
};
