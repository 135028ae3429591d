import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrm } from '../db/orm.js';
import { sql } from '../db/sql.js';
import { withTestDatabase } from '../testing/with-test-database.js';
import { recordAudit, systemActor } from './audit-log.js';
import { verifyAuditChains } from './audit-verify.js';

const database = withTestDatabase({ auditTampered: true }); // its last test edits a row on purpose
let orm: MikroORM;
const workspaces = [randomUUID(), randomUUID()];

beforeAll(async () => {
  orm = await createOrm({ clientUrl: database.url, poolMax: 6 });
});
afterAll(() => orm.close());

const run = (query: string, params: unknown[] = []) => sql(orm.em.fork(), query, params);

describe('tamper-evident audit log', () => {
  it('chains every event of a workspace, even when many are written at once', async () => {
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        recordAudit(orm.em.fork(), systemActor, {
          action: 'test.event',
          outcome: 'success',
          workspaceId: i % 3 === 2 ? null : workspaces[i % 3],
          metadata: { i },
        }),
      ),
    );
    const reports = await verifyAuditChains(orm.em.fork());
    expect(reports).toEqual(
      expect.arrayContaining([
        { chain: workspaces[0], events: 10, firstBroken: null },
        { chain: workspaces[1], events: 10, firstBroken: null },
        { chain: 'instance', events: 10, firstBroken: null },
      ]),
    );
    const links = await run(
      `select chain_seq, prev_hash, hash from audit_event where chain = ? order by chain_seq`,
      [workspaces[0]],
    );
    expect(links.map((l) => Number(l.chain_seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(links[0]?.prev_hash).toBeNull();
    for (let i = 1; i < links.length; i++) expect(links[i]?.prev_hash).toBe(links[i - 1]?.hash);
  });

  it('is refused UPDATE, DELETE and TRUNCATE by the database itself', async () => {
    await expect(run(`update audit_event set outcome = 'failure'`)).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(run('delete from audit_event')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(run('truncate audit_event')).rejects.toThrow(/append-only: TRUNCATE refused/);
  });

  it('names the first broken link after a superuser edits a row behind the triggers', async () => {
    await orm.em.fork().transactional(async (em) => {
      await sql(em, 'set local session_replication_role = replica'); // triggers off, as an attacker with superuser could
      await sql(
        em,
        `update audit_event set metadata = '{"i": 999}' where chain = ? and chain_seq = 4`,
        [workspaces[0]],
      );
      await sql(em, `delete from audit_event where chain = ? and chain_seq = 7`, [workspaces[1]]);
    });
    const reports = await verifyAuditChains(orm.em.fork());
    const byChain = Object.fromEntries(reports.map((r) => [r.chain, r.firstBroken]));
    expect(byChain[workspaces[0] as string]).toMatchObject({
      seq: 4,
      reason: 'contents were changed after it was written',
    });
    expect(byChain[workspaces[1] as string]).toMatchObject({
      seq: 8,
      reason: 'a row is missing before this one',
    });
    expect(byChain.instance).toBeNull();
  });
});
