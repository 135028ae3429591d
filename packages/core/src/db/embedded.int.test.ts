import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Instance } from '../instance/instance.entity.js';
import { ensureInstance } from '../instance/instance-service.js';
import { openDatabase } from './database.js';
import { dbErrorCodes } from './errors.js';
import { migrateUp, pendingMigrationCount } from './migrator.js';

// Embedded mode smoke test: PGlite persisted on disk, served to the pg driver, survives a restart.
const root = mkdtempSync(join(tmpdir(), 'pmos-embedded-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('embedded database', () => {
  const dataDir = join(root, 'data');
  let instanceId: string;

  it('starts on an empty folder, migrates and writes', async () => {
    const db = await openDatabase({ dataDir });
    try {
      expect(db.mode).toBe('embedded');
      expect(await migrateUp(db.orm)).not.toHaveLength(0);
      expect(await pendingMigrationCount(db.orm)).toBe(0);
      const instance = await ensureInstance(db.orm.em.fork(), db.embeddedInstanceId);
      instanceId = instance.id;
      expect(instanceId).toBe(db.embeddedInstanceId);
      const em = db.orm.em.fork();
      const row = await em.findOneOrFail(Instance, { id: instanceId });
      row.name = 'Acme PMOS';
      await em.flush();
    } finally {
      await db.close();
    }
  });

  it('keeps the data across a restart and has nothing left to migrate', async () => {
    const db = await openDatabase({ dataDir });
    try {
      expect(await pendingMigrationCount(db.orm)).toBe(0);
      expect(await migrateUp(db.orm)).toEqual([]);
      const instance = await ensureInstance(db.orm.em.fork(), db.embeddedInstanceId);
      expect(instance).toMatchObject({ id: instanceId, name: 'Acme PMOS' });
    } finally {
      await db.close();
    }
  });

  it('serves queries with large parameters correctly over its single connection', async () => {
    const db = await openDatabase({ dataDir });
    try {
      const big = 'x'.repeat(200_000);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          db.orm.em
            .getConnection()
            .execute<{ n: number }[]>('select length(?::text) + ? as n', [big, i]),
        ),
      );
      expect(results.map((rows) => rows[0]?.n)).toEqual(
        Array.from({ length: 8 }, (_, i) => 200_000 + i),
      );
    } finally {
      await db.close();
    }
  });

  it('refuses a second process on the same folder while the first runs', async () => {
    const db = await openDatabase({ dataDir });
    try {
      writeFileSync(join(dataDir, 'pmos.lock'), '1\n');
      await expect(openDatabase({ dataDir })).rejects.toMatchObject({
        code: dbErrorCodes.dataDirInUse,
      });
    } finally {
      writeFileSync(join(dataDir, 'pmos.lock'), `${process.pid}\n`);
      await db.close();
    }
  });

  it('refuses damaged database files instead of re-initialising them', async () => {
    writeFileSync(join(dataDir, 'pgdata', 'global', 'pg_control'), 'garbage');
    await expect(openDatabase({ dataDir })).rejects.toMatchObject({
      code: dbErrorCodes.dataDirDamaged,
    });
  });
});
