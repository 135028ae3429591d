import { Migration } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { migrations } from './migrations/index.js';
import { migrateDown, migrateUp, migrationStatus, pendingMigrationCount } from './migrator.js';
import { createOrm, migrationsTableName, ormOptions } from './orm.js';

// Runs against the real PostgreSQL; each test starts on an empty database of its own.
let database: TestDatabase;
let orm: MikroORM | undefined;
beforeEach(async () => {
  database = await createTestDatabase(undefined);
});
afterEach(async () => {
  await orm?.close();
  orm = undefined;
  await database.drop();
});

async function schemaOf(target: MikroORM): Promise<unknown[]> {
  return target.em.getConnection().execute(
    `
    select table_name, column_name, data_type, is_nullable, column_default
    from information_schema.columns where table_schema = 'public' and table_name <> ?
    union all
    select tablename, indexname, indexdef, '', '' from pg_indexes
    where schemaname = 'public' and tablename <> ?
    order by 1, 2`,
    [migrationsTableName, migrationsTableName],
  );
}

/** A later migration, as future ones will be: it changes a table that already holds rows. */
const noteMigration = 'Migration29990101000000_test_instance_note';
class AddInstanceNote extends Migration {
  override name = noteMigration;
  override up(): void {
    this.addSql(`alter table "instance" add column "note" text not null default 'none';`);
  }
  override down(): void {
    this.addSql('alter table "instance" drop column "note";');
  }
}

describe('migrations on PostgreSQL', () => {
  it('reports every committed migration as pending on an empty database, then applied', async () => {
    orm = await createOrm({ clientUrl: database.url, poolMax: 2 });
    expect(await pendingMigrationCount(orm)).toBe(migrations.length);
    expect((await migrationStatus(orm)).every((m) => m.status === 'pending')).toBe(true);
    expect(await migrateUp(orm)).toEqual(migrations.map((m) => m.name));
    const status = await migrationStatus(orm);
    expect(status.map((m) => [m.name, m.status])).toEqual(
      migrations.map((m) => [m.name, 'applied']),
    );
    expect(status.every((m) => m.appliedAt instanceof Date)).toBe(true);
  });

  it('reverts and re-applies every migration to the same schema', async () => {
    orm = await createOrm({ clientUrl: database.url, poolMax: 2 });
    await migrateUp(orm);
    const migrated = await schemaOf(orm);
    expect(await migrateDown(orm, migrations.length)).toEqual(
      migrations.map((m) => m.name).reverse(),
    );
    expect(await schemaOf(orm)).toEqual([]);
    expect(await pendingMigrationCount(orm)).toBe(migrations.length);
    await migrateUp(orm);
    expect(await schemaOf(orm)).toEqual(migrated);
  });

  it('goes up, down and up again on a database holding rows, without losing them', async () => {
    orm = await MikroORM.init({
      ...ormOptions({ clientUrl: database.url, poolMax: 2 }),
      migrations: {
        ...ormOptions({ clientUrl: database.url, poolMax: 2 }).migrations,
        migrationsList: [...migrations, { name: noteMigration, class: AddInstanceNote }],
      },
    });
    await migrateUp(orm);
    const connection = orm.em.getConnection();
    await connection.execute(`insert into "instance" (id, name, note) values
      ('00000000-0000-4000-8000-000000000001', 'first', 'kept'),
      ('00000000-0000-4000-8000-000000000002', 'second', 'none')`);

    expect(await migrateDown(orm)).toEqual([noteMigration]);
    expect(await connection.execute('select id, name from "instance" order by id')).toEqual([
      { id: '00000000-0000-4000-8000-000000000001', name: 'first' },
      { id: '00000000-0000-4000-8000-000000000002', name: 'second' },
    ]);

    expect(await migrateUp(orm)).toEqual([noteMigration]);
    expect(await connection.execute('select name, note from "instance" order by id')).toEqual([
      { name: 'first', note: 'none' },
      { name: 'second', note: 'none' },
    ]);
  });

  it('lets concurrent starts migrate once: the second waits, then finds nothing to do', async () => {
    const other = await createOrm({ clientUrl: database.url, poolMax: 2 });
    orm = await createOrm({ clientUrl: database.url, poolMax: 2 });
    try {
      await migrateDown(orm, migrations.length);
      const [a, b] = await Promise.all([migrateUp(orm), migrateUp(other)]);
      expect([...a, ...b].sort()).toEqual(migrations.map((m) => m.name).sort());
      expect(await pendingMigrationCount(orm)).toBe(0);
    } finally {
      await other.close();
    }
  });
});
