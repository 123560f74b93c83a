import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, modulePersistence } from '@chat/platform';
import { CapturedMailbox } from './captured-mailbox';
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
      // Required, not imported: only a process on MongoDB loads Mongoose (modulePersistence).
      mongo: () => (require('./mongo/captured-mailbox.mongo-persistence') as typeof import('./mongo/captured-mailbox.mongo-persistence')).capturedMailboxMongoPersistence,
    });
  }
}
