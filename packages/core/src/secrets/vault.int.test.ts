import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../audit/audit-log.js';
import { createOrm } from '../db/orm.js';
import { sql } from '../db/sql.js';
import { withTestDatabase } from '../testing/with-test-database.js';
import { generateMasterKey } from './master-key.js';
import { SecretsVault } from './vault.js';

const database = withTestDatabase();
let orm: MikroORM;
const oldKey = generateMasterKey();
const vault = new SecretsVault({ current: oldKey, previous: [] });
const [w1, w2] = [randomUUID(), randomUUID()];
const run = <T = Record<string, string>>(query: string, params: unknown[] = []) =>
  sql<T>(orm.em.fork(), query, params);
const marker = `SECRET-MARKER-${randomUUID()}`;

beforeAll(async () => {
  orm = await createOrm({ clientUrl: database.url, poolMax: 4 });
  for (const id of [w1, w2]) await run(`insert into workspace (id, name) values (?, 'w')`, [id]);
});
afterAll(() => orm.close());

describe('secrets vault', () => {
  it('stores only ciphertext, shows only a mask, and opens for execution', async () => {
    const created = await vault.create(
      orm.em.fork(),
      w1 as string,
      { name: 'openai', value: `${marker}-tail`, description: 'prod key' },
      systemActor,
    );
    expect(created).toMatchObject({ name: 'openai', description: 'prod key', mask: '••••tail' });
    expect(JSON.stringify(created)).not.toContain(marker);
    const [row] = await run<{ ciphertext: Buffer }>(
      'select ciphertext, hint from secret where id = ?',
      [created.id],
    );
    expect(row?.ciphertext.includes(Buffer.from(marker))).toBe(false);
    const [dek] = await run(
      'select wrapped_key, master_key_id from workspace_data_key where workspace_id = ?',
      [w1],
    );
    expect(dek?.master_key_id).toBe(oldKey.id);
    expect(await vault.revealForExecution(orm.em.fork(), w1 as string, created.id)).toBe(
      `${marker}-tail`,
    );
    expect(JSON.stringify(await vault.list(orm.em.fork(), w1 as string))).not.toContain(marker);
    const audit = await run(
      `select metadata::text as m from audit_event where action like 'secret.%'`,
    );
    expect(audit.map((a) => a.m).join()).not.toContain(marker);
  });

  it('refuses a duplicate name, and short values get no hint', async () => {
    await expect(
      vault.create(orm.em.fork(), w1 as string, { name: 'openai', value: 'x' }, systemActor),
    ).rejects.toMatchObject({ code: 'secret_name_taken' });
    const short = await vault.create(
      orm.em.fork(),
      w1 as string,
      { name: 'pin', value: '1234' },
      systemActor,
    );
    expect(short.mask).toBe('••••');
  });

  it('detects a tampered row and a row copied into another workspace', async () => {
    const secret = await vault.create(
      orm.em.fork(),
      w1 as string,
      { name: 'tamper-me', value: 'value-to-protect-123' },
      systemActor,
    );
    await run(
      `insert into secret (id, workspace_id, name, data_key_version, ciphertext, hint)
      select ?, ?, name, data_key_version, ciphertext, hint from secret where id = ?`,
      [randomUUID(), w2, secret.id],
    );
    const [copy] = await run(
      `select id from secret where workspace_id = ? and name = 'tamper-me'`,
      [w2],
    );
    await vault.create(
      orm.em.fork(),
      w2 as string,
      { name: 'own', value: 'w2 has its own data key' },
      systemActor,
    );
    await expect(
      vault.revealForExecution(orm.em.fork(), w2 as string, String(copy?.id)),
    ).rejects.toMatchObject({ code: 'secret_tampered' });

    await run(
      `update secret set ciphertext = set_byte(ciphertext, 40, get_byte(ciphertext, 40) # 1) where id = ?`,
      [secret.id],
    );
    await expect(
      vault.revealForExecution(orm.em.fork(), w1 as string, secret.id),
    ).rejects.toMatchObject({ code: 'secret_tampered' });
  });

  it('refuses to run with the wrong master key', async () => {
    const wrong = new SecretsVault({ current: generateMasterKey(), previous: [] });
    await expect(wrong.assertKeyringMatches(orm.em.fork())).rejects.toMatchObject({
      code: 'master_key_mismatch',
    });
    const [any] = await run(`select id from secret where workspace_id = ? and name = 'openai'`, [
      w1,
    ]);
    await expect(
      wrong.revealForExecution(orm.em.fork(), w1 as string, String(any?.id)),
    ).rejects.toMatchObject({ code: 'master_key_mismatch' });
  });

  it('rotates the master key while secrets keep being read', async () => {
    const newKey = generateMasterKey();
    const during = new SecretsVault({ current: newKey, previous: [oldKey] });
    const [openai] = await run(`select id from secret where workspace_id = ? and name = 'openai'`, [
      w1,
    ]);
    const reads = Array.from({ length: 20 }, () =>
      during.revealForExecution(orm.em.fork(), w1 as string, String(openai?.id)),
    );
    const [rotation, ...values] = await Promise.all([
      during.rotateMasterKey(orm.em.fork(), systemActor),
      ...reads,
    ]);
    expect(rotation.rewrapped).toBe(2);
    expect(new Set(values)).toEqual(new Set([`${marker}-tail`]));

    const after = new SecretsVault({ current: newKey, previous: [] });
    await after.assertKeyringMatches(orm.em.fork());
    expect(await after.revealForExecution(orm.em.fork(), w1 as string, String(openai?.id))).toBe(
      `${marker}-tail`,
    );
    const stale = new SecretsVault({ current: oldKey, previous: [] });
    await expect(stale.assertKeyringMatches(orm.em.fork())).rejects.toMatchObject({
      code: 'master_key_mismatch',
    });
    expect((await during.rotateMasterKey(orm.em.fork(), systemActor)).rewrapped).toBe(0);
  });
});
