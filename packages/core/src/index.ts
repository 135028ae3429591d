export type { MikroORM } from '@mikro-orm/postgresql';
export {
  type Database,
  type DatabaseMode,
  type DatabaseOptions,
  openDatabase,
} from './db/database.js';
export { DatabaseError, type DbErrorCode, dbErrorCodes } from './db/errors.js';
export { migrations } from './db/migrations/index.js';
export {
  type MigrationState,
  migrateDown,
  migrateUp,
  migrationStatus,
  pendingMigrationCount,
} from './db/migrator.js';
export { createOrm, entities, migrationsTableName, type OrmConnection } from './db/orm.js';
export { isPmosError, PmosError, type PmosErrorOptions } from './errors.js';
export { Instance, type InstanceRecord } from './instance/instance.entity.js';
export { ensureInstance } from './instance/instance-service.js';
