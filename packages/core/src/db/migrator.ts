import type { MikroORM, Transaction } from '@mikro-orm/postgresql';
import { DatabaseError, dbErrorCodes } from './errors.js';
import { migrations } from './migrations/index.js';
import { migrationsTableName } from './orm.js';

export interface MigrationState {
  name: string;
  status: 'applied' | 'pending';
  appliedAt: Date | null;
}

/**
 * Serialises migrations across processes: several PMOS processes may start at once against
 * one PostgreSQL. The batch runs inside one transaction that first takes an advisory lock,
 * so the second process waits, then finds nothing pending.
 */
const migrationLockKey = 7_261_125;

async function withMigrationLock<T>(
  orm: MikroORM,
  work: (transaction: Transaction) => Promise<T>,
): Promise<T> {
  // The migrator's one-time set-up (tracking table) runs on its own connection: do it before
  // the transaction, which with the single embedded connection would otherwise deadlock.
  await orm.migrator.getExecuted();
  const connection = orm.em.getConnection();
  return connection.transactional(async (transaction) => {
    await connection.execute(
      'select pg_advisory_xact_lock(?)',
      [migrationLockKey],
      'all',
      transaction,
    );
    return work(transaction);
  });
}

export async function migrateUp(orm: MikroORM): Promise<string[]> {
  return run('up', () => withMigrationLock(orm, (transaction) => orm.migrator.up({ transaction })));
}

/** Reverts the last `steps` applied migrations, newest first. */
export async function migrateDown(orm: MikroORM, steps = 1): Promise<string[]> {
  return run('down', () =>
    withMigrationLock(orm, async (transaction) => {
      const connection = orm.em.getConnection();
      const [table] = await connection.execute<{ exists: string | null }[]>(
        'select to_regclass(?) as exists',
        [migrationsTableName],
        'all',
        transaction,
      );
      if (!table?.exists) return [];
      const rows = await connection.execute<{ name: string }[]>(
        `select name from "${migrationsTableName}" order by id desc limit ?`,
        [steps],
        'all',
        transaction,
      );
      if (rows.length === 0) return [];
      return orm.migrator.down({ migrations: rows.map((row) => row.name), transaction });
    }),
  );
}

export async function migrationStatus(orm: MikroORM): Promise<MigrationState[]> {
  const applied = new Map(
    (await orm.migrator.getExecuted()).map((row) => [row.name, row.executed_at]),
  );
  const known = migrations.map((m) => m.name);
  const unknown = [...applied.keys()].filter((name) => !known.includes(name));
  return [
    ...unknown.map((name) => ({
      name,
      status: 'applied' as const,
      appliedAt: applied.get(name) ?? null,
    })),
    ...known.map((name) => ({
      name,
      status: applied.has(name) ? ('applied' as const) : ('pending' as const),
      appliedAt: applied.get(name) ?? null,
    })),
  ];
}

export async function pendingMigrationCount(orm: MikroORM): Promise<number> {
  return (await orm.migrator.getPending()).length;
}

async function run(
  direction: 'up' | 'down',
  work: () => Promise<{ name: string }[]>,
): Promise<string[]> {
  try {
    return (await work()).map((m) => m.name);
  } catch (cause) {
    throw new DatabaseError(
      dbErrorCodes.migrationFailed,
      `Migrating ${direction} failed: ${cause instanceof Error ? cause.message : String(cause)}. Nothing of the failed batch was applied.`,
      cause,
    );
  }
}
