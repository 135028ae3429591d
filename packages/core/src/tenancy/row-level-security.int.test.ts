import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit, systemActor } from '../audit/audit-log.js';
import { createOrm } from '../db/orm.js';
import { sql } from '../db/sql.js';
import { generateMasterKey } from '../secrets/master-key.js';
import { SecretsVault } from '../secrets/vault.js';
import { withTestDatabase } from '../testing/with-test-database.js';
import { inTenantScope } from './tenant-scope.js';

// The RLS proof: inside a workspace's scope, queries WITHOUT any workspace filter see and
// change only that workspace's rows.
const database = withTestDatabase();
let orm: MikroORM;
const vault = new SecretsVault({ current: generateMasterKey(), previous: [] });
const [a, b] = [randomUUID(), randomUUID()];
const run = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  sql<T>(orm.em.fork(), query, params);

beforeAll(async () => {
  orm = await createOrm({ clientUrl: database.url, poolMax: 4 });
  const user = randomUUID();
  await run(
    `insert into app_user (id, email, name, password_hash) values (?, 'u@example.com', 'U', 'x')`,
    [user],
  );
  for (const [id, name] of [
    [a, 'Alpha'],
    [b, 'Bravo'],
  ] as const) {
    await run(`insert into workspace (id, name) values (?, ?)`, [id, name]);
    await run(
      `insert into workspace_membership (workspace_id, user_id, role) values (?, ?, 'workspace_admin')`,
      [id, user],
    );
    await run(
      `insert into invite (id, workspace_id, email, role, token_hash, expires_at)
      values (?, ?, 'x@example.com', 'viewer', ?, now() + interval '1 day')`,
      [randomUUID(), id, randomUUID()],
    );
    await vault.create(
      orm.em.fork(),
      id,
      { name: `${name}-key`, value: `${name}-secret-value` },
      systemActor,
    );
    await recordAudit(orm.em.fork(), systemActor, {
      action: 'test.seed',
      outcome: 'success',
      workspaceId: id,
    });
  }
});
afterAll(() => orm.close());

describe('row-level security', () => {
  it('shows only the scoped workspace’s rows to unfiltered queries, table by table', async () => {
    const seen = await inTenantScope(orm.em, a as string, async (tx) => ({
      role: (await sql<{ r: string }>(tx, 'select current_user as r'))[0]?.r,
      workspace: await sql<{ name: string }>(tx, 'select name from workspace'),
      memberships: await sql<{ workspace_id: string }>(
        tx,
        'select workspace_id from workspace_membership',
      ),
      invites: await sql<{ workspace_id: string }>(tx, 'select workspace_id from invite'),
      secrets: await sql<{ name: string }>(tx, 'select name from secret'),
      dataKeys: await sql<{ workspace_id: string }>(
        tx,
        'select workspace_id from workspace_data_key',
      ),
      audit: await sql<{ workspace_id: string }>(tx, 'select workspace_id from audit_event'),
    }));
    expect(seen.role).toBe('pmos_tenant');
    expect(seen.workspace).toEqual([{ name: 'Alpha' }]);
    expect(seen.secrets).toEqual([{ name: 'Alpha-key' }]);
    for (const rows of [seen.memberships, seen.invites, seen.dataKeys, seen.audit]) {
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.workspace_id))).toEqual(new Set([a]));
    }
    // Outside the scope (the kernel's own login role) both are there.
    expect((await run('select name from secret order by name')).length).toBe(2);
  });

  it('refuses writes into, and cannot change, another workspace', async () => {
    await expect(
      inTenantScope(orm.em, a as string, (tx) =>
        sql(
          tx,
          `insert into invite (id, workspace_id, email, role, token_hash, expires_at)
          values (?, ?, 'y@example.com', 'viewer', ?, now())`,
          [randomUUID(), b, randomUUID()],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    const changed = await inTenantScope(orm.em, a as string, async (tx) => {
      const updated = await sql<{ id: string }>(
        tx,
        `update secret set description = 'hacked' returning id`,
      );
      const deleted = await sql<{ id: string }>(
        tx,
        `delete from invite where workspace_id = ? returning id`,
        [b],
      );
      return { updated: updated.length, deleted: deleted.length };
    });
    expect(changed).toEqual({ updated: 1, deleted: 0 }); // only Alpha's own secret
    const bravo = await run<{ description: string | null }>(
      `select description from secret where workspace_id = ?`,
      [b],
    );
    expect(bravo).toEqual([{ description: null }]);
  });

  it('lets the vault and the audit log work inside a scope', async () => {
    const secrets = await inTenantScope(orm.em, a as string, async (tx) => {
      await vault.create(
        tx,
        a as string,
        { name: 'scoped', value: 'scoped-value-1234' },
        systemActor,
      );
      await recordAudit(tx, systemActor, {
        action: 'test.scoped',
        outcome: 'success',
        workspaceId: a,
      });
      return vault.list(tx, a as string);
    });
    expect(secrets.map((s) => s.name)).toEqual(['Alpha-key', 'scoped']);
    // An instance-level event (no workspace) cannot be written from a tenant scope.
    await expect(
      inTenantScope(orm.em, a as string, (tx) =>
        recordAudit(tx, systemActor, { action: 'test.instance', outcome: 'success' }),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('ends with the transaction: the connection is the login role again', async () => {
    await inTenantScope(orm.em, b as string, async () => {});
    const [row] = await run<{ r: string; w: string | null }>(
      `select current_user as r, current_setting('pmos.workspace_id', true) as w`,
    );
    expect(row?.r).not.toBe('pmos_tenant');
    expect(row?.w ?? '').toBe('');
  });
});

describe('row-level security coverage', () => {
  it('guards every table that holds a workspace_id with a policy', async () => {
    const unguarded = await run<{ table_name: string }>(
      `select c.table_name from information_schema.columns c
         join pg_class t on t.relname = c.table_name and t.relkind = 'r'
         join pg_namespace n on n.oid = t.relnamespace and n.nspname = 'public'
       where c.table_schema = 'public' and c.column_name = 'workspace_id'
         and (not t.relrowsecurity
              or not exists (select 1 from pg_policy p where p.polrelid = t.oid))
       order by 1`,
    );
    expect(unguarded).toEqual([]);
  });
});
