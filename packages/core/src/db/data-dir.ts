import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { isProcessAlive } from '../process/is-process-alive.js';
import { DatabaseError, dbErrorCodes } from './errors.js';

/**
 * The embedded data directory: `instance.json` (marks the folder as PMOS's and names the
 * instance), `pgdata/` (PGlite's files) and `pmos.lock` (pid of the process using it).
 * PMOS never re-initialises a folder it cannot recognise: losing data silently is worse
 * than refusing to start.
 */
const markerFile = 'instance.json';
const lockFile = 'pmos.lock';
const pgDataDir = 'pgdata';

const markerSchema = z.object({
  format: z.literal(1),
  instanceId: z.uuid(),
  createdAt: z.iso.datetime(),
});

export type DataDirMarker = z.infer<typeof markerSchema>;

export interface DataDir {
  path: string;
  pgDataPath: string;
  marker: DataDirMarker;
  /** True when this start created the folder: PGlite must initialise a new cluster. */
  created: boolean;
  release(): void;
}

export function openDataDir(dir: string): DataDir {
  const path = resolve(dir);
  const pgDataPath = join(path, pgDataDir);
  const markerPath = join(path, markerFile);
  let created = false;
  let marker: DataDirMarker;

  if (existsSync(markerPath)) {
    marker = readMarker(markerPath);
    if (!existsSync(join(pgDataPath, 'PG_VERSION'))) {
      throw new DatabaseError(
        dbErrorCodes.dataDirDamaged,
        `Data directory ${path} is damaged: ${pgDataDir}/ is missing or incomplete. Restore it from a backup, or move the folder away to start a new, empty PMOS.`,
      );
    }
  } else {
    const foreign = existsSync(path) ? readdirSync(path).filter((name) => name !== lockFile) : [];
    if (foreign.length > 0) {
      throw new DatabaseError(
        dbErrorCodes.dataDirForeign,
        `Data directory ${path} is not empty and was not created by PMOS (found: ${foreign.slice(0, 5).join(', ')}). Point PMOS_DATA_DIR at an empty or PMOS folder.`,
      );
    }
    mkdirSync(path, { recursive: true, mode: 0o700 });
    marker = { format: 1, instanceId: randomUUID(), createdAt: new Date().toISOString() };
    created = true;
  }

  const lockPath = join(path, lockFile);
  acquireLock(lockPath, path);
  if (created) writeFileSync(markerPath, `${JSON.stringify(marker, null, 2)}\n`, { mode: 0o600 });

  let released = false;
  return {
    path,
    pgDataPath,
    marker,
    created,
    release() {
      if (released) return;
      released = true;
      rmSync(lockPath, { force: true });
    },
  };
}

function readMarker(markerPath: string): DataDirMarker {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(markerPath, 'utf8'));
  } catch (cause) {
    throw new DatabaseError(
      dbErrorCodes.dataDirDamaged,
      `Data directory marker ${markerPath} cannot be read as JSON. Restore it from a backup.`,
      cause,
    );
  }
  const parsed = markerSchema.safeParse(raw);
  if (!parsed.success) {
    throw new DatabaseError(
      dbErrorCodes.dataDirDamaged,
      `Data directory marker ${markerPath} is not a PMOS instance marker. Restore it from a backup.`,
    );
  }
  return parsed.data;
}

/** One process per data directory: PGlite is a single session and two would corrupt it. */
function acquireLock(lockPath: string, dir: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isProcessAlive(pid)) {
        throw new DatabaseError(
          dbErrorCodes.dataDirInUse,
          `Data directory ${dir} is in use by another PMOS process (pid ${pid}). Stop it first, or set PMOS_DATA_DIR to another folder.`,
        );
      }
      rmSync(lockPath, { force: true }); // stale lock from a process that died
    }
  }
}
