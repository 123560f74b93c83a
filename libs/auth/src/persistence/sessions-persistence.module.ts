import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import { AppConfig, HealthProbes, openSqliteDatabase, SqliteDatabase } from '@chat/platform';
import { join } from 'node:path';
import { Model } from 'mongoose';
import { MongoSessionRepository } from './mongo/mongo-session.repository';
import { SessionDocument, SessionSchema } from './mongo/session.schema';
import { SessionRepository } from './session.repository';
import { AUTH_MIGRATIONS } from './sqlite/auth.migrations';
import { SqliteSessionRepository } from './sqlite/sqlite-session.repository';

const AUTH_SQLITE = Symbol('AUTH_SQLITE');

@Module({})
class SessionsSqliteModule implements OnApplicationShutdown {
  constructor(@Inject(AUTH_SQLITE) private readonly db: SqliteDatabase, probes: HealthProbes) {
    probes.register({ name: 'auth-db', check: () => void db.prepare('SELECT 1').get() });
  }

  onApplicationShutdown(): void {
    this.db.close();
  }
}

/** Binds SessionRepository: MongoDB when MONGODB_URI is set, else the module's own SQLite file. */
export class SessionsPersistenceModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.env.MONGODB_URI) {
      return {
        module: SessionsPersistenceModule,
        imports: [MongooseModule.forFeature([{ name: SessionDocument.name, schema: SessionSchema }])],
        providers: [
          {
            provide: SessionRepository,
            inject: [getModelToken(SessionDocument.name)],
            useFactory: (model: Model<SessionDocument>) => new MongoSessionRepository(model),
          },
        ],
        exports: [SessionRepository],
      };
    }
    return {
      module: SessionsSqliteModule,
      providers: [
        { provide: AUTH_SQLITE, useFactory: () => openSqliteDatabase(join(config.dataDir, 'auth.sqlite'), AUTH_MIGRATIONS) },
        { provide: SessionRepository, inject: [AUTH_SQLITE], useFactory: (db: SqliteDatabase) => new SqliteSessionRepository(db) },
      ],
      exports: [SessionRepository],
    };
  }
}
