import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateUp } from '../db/migrator.js';
import { createOrm } from '../db/orm.js';
import { isProcessAlive } from '../process/is-process-alive.js';

/**
 * Integration tests run against the real PostgreSQL (PMOS_TEST_DATABASE_URL, default the
 * local trust-auth server). A migrated template is built once per run; each test file gets
 * its own database cloned from it, so tests never see each other's rows.
 */
export const testServerUrl =
  process.env.PMOS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const prefix = 'pmos_t_';

export function databaseUrl(name: string): string {
  const url = new URL(testServerUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServerUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops databases left by earlier runs whose process is gone (a crashed or killed run). */
async function dropAbandonedDatabases(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>(
    'select datname from pg_database where datname like $1',
    [`${prefix}%`],
  );
  for (const { datname } of rows) {
    const pid = Number.parseInt(datname.slice(prefix.length).split('_')[0] ?? '', 10);
    if (Number.isInteger(pid) && !isProcessAlive(pid)) {
      await client.query(`drop database if exists "${datname}" with (force)`);
    }
  }
}

/** Creates and migrates the template for this run; returns its name and a teardown. */
export async function createTemplateDatabase(label: string): Promise<{
  name: string;
  drop: () => Promise<void>;
}> {
  const name = `${prefix}${process.pid}_tpl_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
  await withAdminClient(async (client) => {
    await dropAbandonedDatabases(client);
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.query(`create database "${name}"`);
  });
  const orm = await createOrm({ clientUrl: databaseUrl(name), poolMax: 2 });
  try {
    await migrateUp(orm);
  } finally {
    await orm.close();
  }
  return {
    name,
    drop: () =>
      withAdminClient(async (client) => {
        await client.query(`drop database if exists "${name}" with (force)`);
      }),
  };
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Clones the run's migrated template (or creates an empty database) for one test file. */
export async function createTestDatabase(
  template: string | undefined = process.env.PMOS_TEST_TEMPLATE_DB,
): Promise<TestDatabase> {
  const owner = template?.slice(prefix.length).split('_')[0] ?? String(process.pid);
  const name = `${prefix}${owner}_${process.env.VITEST_POOL_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(async (client) => {
    const from = template ? ` template "${template}"` : '';
    await client.query(`create database "${name}"${from}`);
  });
  return {
    name,
    url: databaseUrl(name),
    drop: () =>
      withAdminClient(async (client) => {
        await client.query(`drop database if exists "${name}" with (force)`);
      }),
  };
}
