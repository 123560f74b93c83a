import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, modulePersistence } from '@chat/platform';
import { SqliteUserRepository } from './sqlite/sqlite-user.repository';
import { USERS_MIGRATIONS } from './sqlite/users.migrations';
import { UserRepository } from './user.repository';

/** Binds UserRepository: MongoDB when MONGODB_URI is set, else the module's own SQLite file. */
@Module({})
export class UsersPersistenceModule {
  static forRoot(config: AppConfig): DynamicModule {
    return modulePersistence(UsersPersistenceModule, config, {
      name: 'users',
      outbox: true,
      port: UserRepository,
      sqlite: { migrations: USERS_MIGRATIONS, create: (db) => new SqliteUserRepository(db) },
      // Required, not imported: only a process on MongoDB loads Mongoose (modulePersistence).
      mongo: () => (require('./mongo/users.mongo-persistence') as typeof import('./mongo/users.mongo-persistence')).usersMongoPersistence,
    });
  }
}
