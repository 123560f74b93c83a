import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, modulePersistence } from '@chat/platform';
import { Model } from 'mongoose';
import { CapturedMailbox } from './captured-mailbox';
import { CapturedMailDocument, CapturedMailSchema } from './mongo/captured-mail.schema';
import { MongoCapturedMailbox } from './mongo/mongo-captured-mailbox';
import { MAIL_MIGRATIONS } from './sqlite/mail.migrations';
import { SqliteCapturedMailbox } from './sqlite/sqlite-captured-mailbox';

/** Binds CapturedMailbox: MongoDB when MONGODB_URI is set, else the mail module's own SQLite file. */
@Module({})
export class CapturedMailboxPersistenceModule {
  static forRoot(config: AppConfig): DynamicModule {
    return modulePersistence(CapturedMailboxPersistenceModule, config, {
      name: 'mail',
      port: CapturedMailbox,
      sqlite: { migrations: MAIL_MIGRATIONS, create: (db) => new SqliteCapturedMailbox(db) },
      mongo: {
        models: [{ name: CapturedMailDocument.name, schema: CapturedMailSchema }],
        create: (_connection, mails) => new MongoCapturedMailbox(mails as Model<CapturedMailDocument>),
      },
    });
  }
}
