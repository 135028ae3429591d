import type { MikroORM } from '@mikro-orm/postgresql';
import { openDataDir } from './data-dir.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { DatabaseError, dbErrorCodes } from './errors.js';
import { createOrm } from './orm.js';

export type DatabaseMode = 'embedded' | 'external';

export interface DatabaseOptions {
  /** `postgres://…`; without it PMOS runs PGlite persisted under `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Pool size for an external server; embedded mode always uses exactly one connection. */
  poolMax?: number;
}

export interface Database {
  orm: MikroORM;
  mode: DatabaseMode;
  /** Set in embedded mode: the id recorded in the data directory's marker. */
  embeddedInstanceId: string | undefined;
  /** Set in embedded mode: the data directory (for its master key file). */
  dataDirPath: string | undefined;
  close(): Promise<void>;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const orm = await connect(() =>
      createOrm({ clientUrl: options.databaseUrl, poolMax: options.poolMax ?? 10 }),
    );
    return {
      orm,
      mode: 'external',
      embeddedInstanceId: undefined,
      dataDirPath: undefined,
      close: () => orm.close(),
    };
  }

  const dataDir = openDataDir(options.dataDir);
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  try {
    embedded = await startEmbeddedPostgres(dataDir.pgDataPath);
    const { socketDir, port } = embedded;
    const orm = await connect(() =>
      createOrm({ host: socketDir, port, dbName: 'postgres', user: 'postgres', poolMax: 1 }),
    );
    const running = embedded;
    return {
      orm,
      mode: 'embedded',
      embeddedInstanceId: dataDir.marker.instanceId,
      dataDirPath: dataDir.path,
      async close() {
        try {
          await orm.close();
          await running.close();
        } finally {
          dataDir.release();
        }
      },
    };
  } catch (error) {
    await embedded?.close().catch(() => {});
    dataDir.release();
    throw error;
  }
}

async function connect(init: () => Promise<MikroORM>): Promise<MikroORM> {
  let orm: MikroORM | undefined;
  try {
    orm = await init();
    await orm.em.getConnection().execute('select 1');
    return orm;
  } catch (cause) {
    await orm?.close().catch(() => {});
    throw new DatabaseError(
      dbErrorCodes.databaseUnreachable,
      `Cannot connect to the database: ${cause instanceof Error ? cause.message : String(cause)}. Check DATABASE_URL and that PostgreSQL is running.`,
      cause,
    );
  }
}
