import { MongoPersistenceSpec } from '@chat/platform';
import { Model } from 'mongoose';
import { CapturedMailbox } from '../captured-mailbox';
import { CapturedMailDocument, CapturedMailSchema } from './captured-mail.schema';
import { MongoCapturedMailbox } from './mongo-captured-mailbox';

/** CapturedMailbox's MongoDB adapter, which the persistence module requires only when MONGODB_URI is set. */
export const capturedMailboxMongoPersistence: MongoPersistenceSpec<CapturedMailbox> = {
  models: [{ name: CapturedMailDocument.name, schema: CapturedMailSchema }],
  create: (_connection, mails) => new MongoCapturedMailbox(mails as Model<CapturedMailDocument>),
};
