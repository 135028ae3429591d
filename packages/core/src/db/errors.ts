import { PmosError } from '../errors.js';

/** Codes of the errors the database layer raises, in one place. */
export const dbErrorCodes = {
  dataDirForeign: 'data_dir_foreign',
  dataDirDamaged: 'data_dir_damaged',
  dataDirInUse: 'data_dir_in_use',
  databaseUnreachable: 'database_unreachable',
  migrationFailed: 'migration_failed',
  migrationNotFound: 'migration_not_found',
} as const;

export type DbErrorCode = (typeof dbErrorCodes)[keyof typeof dbErrorCodes];

export class DatabaseError extends PmosError {
  constructor(code: DbErrorCode, message: string, cause?: unknown) {
    super(code, message, { status: 503, cause });
    this.name = 'DatabaseError';
  }
}
