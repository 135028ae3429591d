import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../audit/audit-log.js';
import { createOrm } from '../db/orm.js';
import { sql } from '../db/sql.js';
import { withTestDatabase } from '../testing/with-test-database.js';
import { setLimitOverride } from './limits.js';
import { RateLimiter } from './rate-limiter.js';

const database = withTestDatabase();
let orm: MikroORM;
beforeAll(async () => {
  orm = await createOrm({ clientUrl: database.url, poolMax: 4 });
});
afterAll(() => orm.close());

describe('rate limiter', () => {
  it('holds one limit across two processes sharing the database', async () => {
    await setLimitOverride(
      orm.em.fork(),
      { limitName: 'api_requests_per_minute', subject: 'test:shared', value: 20 },
      systemActor,
    );
    const a = new RateLimiter(orm);
    const b = new RateLimiter(orm);
    for (let i = 0; i < 15; i++)
      expect((await a.hit('api_requests_per_minute', 'test:shared')).allowed).toBe(true);
    await a.flush();
    const fromB = [];
    for (let i = 0; i < 8; i++) fromB.push(await b.hit('api_requests_per_minute', 'test:shared'));
    expect(fromB.map((d) => d.allowed)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(fromB[5]).toMatchObject({ limit: 20, used: 20 });
    expect(fromB[5]?.resetsAt.getTime()).toBeGreaterThan(Date.now());
    await b.flush();
    await a.flush(); // a learns b's counts
    expect((await a.hit('api_requests_per_minute', 'test:shared')).allowed).toBe(false);
    expect(a.rejections.get('api_requests_per_minute')).toBe(1);
    expect((await a.usage('api_requests_per_minute', 'test:shared')).used).toBe(20);
  });

  it('does not write to the database per request', async () => {
    const limiter = new RateLimiter(orm);
    const before = await sql<{ n: number }>(
      orm.em.fork(),
      `select count(*)::int as n from rate_window where key like '%test:quiet'`,
    );
    for (let i = 0; i < 50; i++) await limiter.hit('api_requests_per_minute', 'test:quiet');
    const during = await sql<{ n: number }>(
      orm.em.fork(),
      `select coalesce(sum(count), 0)::int as n from rate_window where key like '%test:quiet'`,
    );
    expect(before[0]?.n).toBe(0);
    expect(during[0]?.n).toBe(0); // nothing written yet: counted in memory
    await limiter.stop();
    const after = await sql<{ n: number }>(
      orm.em.fork(),
      `select sum(count)::int as n from rate_window where key like '%test:quiet'`,
    );
    expect(after[0]?.n).toBe(50);
  });

  it('uses the default when nothing is overridden, and audits overrides', async () => {
    const limiter = new RateLimiter(orm);
    expect(await limiter.limitFor('api_requests_per_minute', 'someone')).toBe(1000);
    await setLimitOverride(
      orm.em.fork(),
      { limitName: 'api_requests_per_minute', subject: '*', value: 500 },
      systemActor,
    );
    await limiter.reloadOverrides();
    expect(await limiter.limitFor('api_requests_per_minute', 'someone')).toBe(500);
    await setLimitOverride(
      orm.em.fork(),
      { limitName: 'api_requests_per_minute', subject: '*', value: null },
      systemActor,
    );
    const audit = await sql<{ n: number }>(
      orm.em.fork(),
      `select count(*)::int as n from audit_event where action = 'quota.change'`,
    );
    expect(audit[0]?.n).toBe(3);
  });
});
