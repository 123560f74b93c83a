import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, modulePersistence } from '@chat/platform';
import { Model } from 'mongoose';
import { MongoSessionRepository } from './mongo/mongo-session.repository';
import { SessionDocument, SessionSchema } from './mongo/session.schema';
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
      mongo: {
        models: [{ name: SessionDocument.name, schema: SessionSchema }],
        create: (_connection, sessions) => new MongoSessionRepository(sessions as Model<SessionDocument>),
      },
    });
  }
}
