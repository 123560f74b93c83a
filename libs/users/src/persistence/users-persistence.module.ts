import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import { AppConfig, HealthProbes, openSqliteDatabase, SqliteDatabase } from '@chat/platform';
import { join } from 'node:path';
import { Model } from 'mongoose';
import { MongoUserRepository } from './mongo/mongo-user.repository';
import { UserDocument, UserSchema } from './mongo/user.schema';
import { SqliteUserRepository } from './sqlite/sqlite-user.repository';
import { USERS_MIGRATIONS } from './sqlite/users.migrations';
import { UserRepository } from './user.repository';

const USERS_SQLITE = Symbol('USERS_SQLITE');

@Module({})
class UsersSqliteModule implements OnApplicationShutdown {
  constructor(@Inject(USERS_SQLITE) private readonly db: SqliteDatabase, probes: HealthProbes) {
    probes.register({ name: 'users-db', check: () => void db.prepare('SELECT 1').get() });
  }

  onApplicationShutdown(): void {
    this.db.close();
  }
}

/** Binds UserRepository: MongoDB when MONGODB_URI is set, else the module's own SQLite file. */
export class UsersPersistenceModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.env.MONGODB_URI) {
      return {
        module: UsersPersistenceModule,
        imports: [MongooseModule.forFeature([{ name: UserDocument.name, schema: UserSchema }])],
        providers: [
          {
            provide: UserRepository,
            inject: [getModelToken(UserDocument.name)],
            useFactory: (model: Model<UserDocument>) => new MongoUserRepository(model),
          },
        ],
        exports: [UserRepository],
      };
    }
    return {
      module: UsersSqliteModule,
      providers: [
        { provide: USERS_SQLITE, useFactory: () => openSqliteDatabase(join(config.dataDir, 'users.sqlite'), USERS_MIGRATIONS) },
        { provide: UserRepository, inject: [USERS_SQLITE], useFactory: (db: SqliteDatabase) => new SqliteUserRepository(db) },
      ],
      exports: [UserRepository],
    };
  }
}
