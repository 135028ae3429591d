import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { identityEntities } from '../identity/entities.js';
import { Instance } from '../instance/instance.entity.js';
import { migrations } from './migrations/index.js';

/** Every entity the kernel maps; later capabilities add theirs here. */
export const entities = [Instance, ...identityEntities, AuditEvent];

export interface OrmConnection {
  /** `postgres://…` for a server; omitted with `host` set to a socket folder for embedded mode. */
  clientUrl?: string;
  host?: string;
  port?: number;
  dbName?: string;
  user?: string;
  poolMax: number;
}

export const migrationsTableName = 'pmos_migrations';

export function ormOptions(connection: OrmConnection): Options {
  return {
    entities,
    extensions: [Migrator],
    clientUrl: connection.clientUrl,
    host: connection.host,
    port: connection.port,
    dbName: connection.dbName,
    user: connection.user,
    pool: { min: 0, max: connection.poolMax, idleTimeoutMillis: 30_000 },
    // Fail a connection attempt (and a wait for the single embedded connection) instead of hanging.
    driverOptions: { connectionTimeoutMillis: 30_000 },
    migrations: {
      tableName: migrationsTableName,
      migrationsList: migrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      snapshotOnMigrate: false,
      silent: true,
    },
    // Entities are declared with defineEntity: nothing to discover from the file system.
    discovery: { warnWhenNoEntities: false },
    debug: false,
    allowGlobalContext: false,
  };
}

export async function createOrm(connection: OrmConnection): Promise<MikroORM> {
  return MikroORM.init(ormOptions(connection));
}
