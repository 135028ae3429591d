import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrm } from '../db/orm.js';
import { sql } from '../db/sql.js';
import { inTenantScope } from '../tenancy/tenant-scope.js';
import { withTestDatabase } from '../testing/with-test-database.js';
import { consumeQuota, quotaUsed, releaseQuota } from './quota-counter.js';

const database = withTestDatabase();
let one: MikroORM;
let two: MikroORM; // a second "process"
const workspaceId = randomUUID();

beforeAll(async () => {
  one = await createOrm({ clientUrl: database.url, poolMax: 5 });
  two = await createOrm({ clientUrl: database.url, poolMax: 5 });
  await sql(one.em.fork(), `insert into workspace (id, name) values (?, 'Quota')`, [workspaceId]);
});
afterAll(async () => {
  await one.close();
  await two.close();
});

describe('exact daily quotas', () => {
  it('never overshoots, with 40 concurrent consumers in two processes', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        consumeQuota((i % 2 ? one : two).em.fork(), {
          workspaceId,
          quota: 'flow_runs_per_day',
          amount: 1,
          limit: 25,
        }),
      ),
    );
    const accepted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(accepted).toHaveLength(25);
    expect(refused).toHaveLength(15);
    expect(refused[0]?.reason).toMatchObject({
      code: 'quota_exceeded',
      status: 429,
      details: { quota: 'flow_runs_per_day', limit: 25, used: 25 },
    });
    expect(refused[0]?.reason.message).toMatch(
      /^This workspace has used its automation runs for today \(25 of 25\)\. It resets at midnight UTC, in \d+ (hours?|minutes?)\.$/,
    );
    expect(await quotaUsed(one.em.fork(), workspaceId, 'flow_runs_per_day')).toBe(25);
  });

  it('refuses an amount that does not fit whole, takes nothing, and gives back on release', async () => {
    await consumeQuota(one.em.fork(), {
      workspaceId,
      quota: 'ai_tokens_per_day',
      amount: 900,
      limit: 1000,
    });
    await expect(
      consumeQuota(one.em.fork(), {
        workspaceId,
        quota: 'ai_tokens_per_day',
        amount: 200,
        limit: 1000,
      }),
    ).rejects.toMatchObject({ code: 'quota_exceeded', details: { used: 900 } });
    await releaseQuota(one.em.fork(), { workspaceId, quota: 'ai_tokens_per_day', amount: 300 });
    const after = await consumeQuota(one.em.fork(), {
      workspaceId,
      quota: 'ai_tokens_per_day',
      amount: 200,
      limit: 1000,
    });
    expect(after.used).toBe(800);
    await expect(
      consumeQuota(one.em.fork(), {
        workspaceId: randomUUID(),
        quota: 'ai_tokens_per_day',
        amount: 5000,
        limit: 1000,
      }),
    ).rejects.toMatchObject({ code: 'quota_exceeded', details: { used: 0 } });
  });

  it('works inside a workspace scope, and row-level security keeps other workspaces out', async () => {
    const used = await inTenantScope(one.em, workspaceId, async (tx) => {
      await consumeQuota(tx, { workspaceId, quota: 'ai_tokens_per_day', amount: 1, limit: 1000 });
      return sql<{ n: number }>(tx, 'select count(*)::int as n from quota_usage');
    });
    expect(used[0]?.n).toBe(2);
    const other = randomUUID();
    await sql(one.em.fork(), `insert into workspace (id, name) values (?, 'Other')`, [other]);
    const seen = await inTenantScope(one.em, other, (tx) =>
      sql<{ n: number }>(tx, 'select count(*)::int as n from quota_usage'),
    );
    expect(seen[0]?.n).toBe(0);
  });
});
