import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, modulePersistence } from '@chat/platform';
import { SessionRepository } from './session.repository';
import { AUTH_MIGRATIONS } from './sqlite/auth.migrations';
import { SqliteSessionRepository } from './sqlite/sqlite-session.repository';

/** Binds SessionRepository: MongoDB when MONGODB_URI is set, else the module's own SQLite file. */
@Module({})
export class SessionsPersistenceModule {
  static forRoot(config: AppConfig): DynamicModule {
    return modulePersistence(SessionsPersistenceModule, config, {
      name: 'auth',
      port: SessionRepository,
      sqlite: { migrations: AUTH_MIGRATIONS, create: (db) => new SqliteSessionRepository(db) },
      // Required, not imported: only a process on MongoDB loads Mongoose (modulePersistence).
      mongo: () => (require('./mongo/sessions.mongo-persistence') as typeof import('./mongo/sessions.mongo-persistence')).sessionsMongoPersistence,
    });
  }
}
