import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { DatabaseError, dbErrorCodes } from './errors.js';

export interface EmbeddedPostgres {
  /** Directory holding the Unix socket `.s.PGSQL.5432`; pass it as the pg `host`. */
  socketDir: string;
  port: number;
  close(): Promise<void>;
}

const socketPort = 5432;

/**
 * Serves a persisted PGlite to the normal `pg` driver. A Unix socket in a private (0700)
 * temp folder rather than a loopback port: the embedded server has no authentication,
 * so it must not be reachable by other local users. PGlite is one Postgres session, so
 * the server accepts exactly one connection (see reference/toolchain-server.md).
 */
export async function startEmbeddedPostgres(pgDataPath: string): Promise<EmbeddedPostgres> {
  let db: PGlite;
  try {
    db = await PGlite.create(pgDataPath);
    await db.query('select 1');
  } catch (cause) {
    throw new DatabaseError(
      dbErrorCodes.dataDirDamaged,
      `The embedded database in ${pgDataPath} cannot be opened (${describe(cause)}). Restore the data directory from a backup; PMOS will not re-initialise it.`,
      cause,
    );
  }
  const socketDir = mkdtempSync(join(tmpdir(), 'pmos-pg-'));
  const server = new PGLiteSocketServer({
    db,
    path: join(socketDir, `.s.PGSQL.${socketPort}`),
    maxConnections: 1,
  });
  await server.start();
  return {
    socketDir,
    port: socketPort,
    async close() {
      await server.stop();
      await db.close();
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
