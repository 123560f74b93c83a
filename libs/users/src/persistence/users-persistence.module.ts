import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, modulePersistence } from '@chat/platform';
import { Model } from 'mongoose';
import { MongoUserRepository } from './mongo/mongo-user.repository';
import { UserDocument, UserSchema } from './mongo/user.schema';
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
      mongo: {
        models: [{ name: UserDocument.name, schema: UserSchema }],
        // Profile changes run in transactions on the connection, which also holds the outbox collection.
        create: (connection, users) => new MongoUserRepository(connection, users as Model<UserDocument>),
      },
    });
  }
}
