import { type Database, openDatabase } from '@pmos/core';
import { type Config, loadConfig } from '../server/config.js';

/** Runs one CLI command against the configured database, closing it whatever happens. */
export async function withCliDatabase<T>(
  work: (db: Database, config: Config) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: 1,
  });
  try {
    return await work(db, config);
  } finally {
    await db.close();
  }
}
