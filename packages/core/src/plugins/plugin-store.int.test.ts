import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrm } from '../db/orm.js';
import { sql } from '../db/sql.js';
import { inTenantScope } from '../tenancy/tenant-scope.js';
import { withTestDatabase } from '../testing/with-test-database.js';
import { maxStoredValueBytes, pluginStore } from './plugin-store.js';

const database = withTestDatabase();
let orm: MikroORM;
const [a, b] = [randomUUID(), randomUUID()];

beforeAll(async () => {
  orm = await createOrm({ clientUrl: database.url, poolMax: 2 });
  for (const id of [a, b]) {
    await sql(orm.em.fork(), `insert into workspace (id, name) values (?, 'W')`, [id]);
  }
});
afterAll(() => orm.close());

const inScope = <T>(ws: string, work: Parameters<typeof inTenantScope<T>>[2]) =>
  inTenantScope(orm.em, ws, work);

describe('ctx.store', () => {
  it('keeps values per plugin, per flow and per workspace, as JSON copies', async () => {
    await inScope(a, async (em) => {
      const flow1 = pluginStore(em, { workspaceId: a, pluginId: 'p', flowId: 'f1' });
      const flow2 = pluginStore(em, { workspaceId: a, pluginId: 'p', flowId: 'f2' });
      const other = pluginStore(em, { workspaceId: a, pluginId: 'q', flowId: 'f1' });
      await flow1.put('cursor', { since: 41, at: new Date(0) });
      await flow1.put('cursor', { since: 42 });
      await flow1.put('shared', 'team', 'workspace');
      expect(await flow1.get('cursor')).toEqual({ since: 42 });
      expect(await flow2.get('cursor')).toBeUndefined();
      expect(await flow2.get('shared', 'workspace')).toBe('team');
      expect(await other.get('shared', 'workspace')).toBeUndefined();
      await flow1.delete('cursor');
      expect(await flow1.get('cursor')).toBeUndefined();
    });
    // Another workspace never sees them, whatever the ids.
    await inScope(b, async (em) => {
      const store = pluginStore(em, { workspaceId: a, pluginId: 'p', flowId: 'f1' });
      expect(await store.get('shared', 'workspace')).toBeUndefined();
    });
  });

  it('refuses oversized values, bad keys and flow scope outside a flow', async () => {
    await inScope(a, async (em) => {
      const store = pluginStore(em, { workspaceId: a, pluginId: 'p', flowId: 'f1' });
      await expect(store.put('big', 'x'.repeat(maxStoredValueBytes))).rejects.toThrow(
        /at most 256 KB/,
      );
      await expect(store.get('')).rejects.toThrow(/1 to 200 characters/);
      const noFlow = pluginStore(em, { workspaceId: a, pluginId: 'p' });
      await expect(noFlow.get('k')).rejects.toThrow(/only available while a flow runs/);
      await noFlow.put('k', 1, 'workspace');
      expect(await noFlow.get('k', 'workspace')).toBe(1);
    });
  });
});
