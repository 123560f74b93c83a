import { Abstract, DynamicModule, Type } from '@nestjs/common';
import { getConnectionToken, getModelToken, MongooseModule } from '@nestjs/mongoose';
import type { Connection, Model } from 'mongoose';
import { HealthProbes } from '../health/health-probe';
import { mongoReadinessProbe } from './mongo-readiness-probe';
import type { MongoPersistenceSpec, OutboxBindings } from './module-persistence';

/**
 * MongoDB's half of modulePersistence, in a file of its own that module-persistence.ts requires only when
 * MONGODB_URI is set: this file is what loads Mongoose and the driver.
 */
export function mongoModulePersistence<TPort>(
  host: Type<unknown>,
  name: string,
  port: Abstract<TPort>,
  mongo: MongoPersistenceSpec<TPort>,
  outbox: OutboxBindings,
): DynamicModule {
  return {
    module: host,
    imports: [MongooseModule.forFeature(mongo.models)],
    providers: [
      {
        provide: port,
        inject: [HealthProbes, getConnectionToken(), ...mongo.models.map((model) => getModelToken(model.name))],
        useFactory: (probes: HealthProbes, connection: Connection, ...models: Model<any>[]) => {
          probes.register(mongoReadinessProbe(`${name}-db`, connection));
          return mongo.create(connection, ...models);
        },
      },
      ...outbox.providers,
    ],
    exports: [port, ...outbox.exports],
  };
}

/** The process's one MongoDB connection, which every module's models share. */
export function mongoConnectionModule(uri: string): DynamicModule {
  return MongooseModule.forRoot(uri);
}
