import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../../testing/http-client.js';
import { query, signUpAs, startTestApp, type TestApp } from '../../testing/test-app.js';

const database = withTestDatabase({ auditTampered: true }); // its last test edits a row on purpose
let pmos: TestApp;
let root: TestClient;
let ada: TestClient;
let bob: TestClient;
let adaWorkspace: string;
let bobWorkspace: string;

beforeAll(async () => {
  pmos = await startTestApp(database.url);
  root = pmos.client();
  await signUpAs(root, 'root@example.com');
  ada = pmos.client();
  adaWorkspace = (await signUpAs(ada, 'ada@example.com')).workspaces[0]?.id ?? '';
  bob = pmos.client();
  bobWorkspace = (await signUpAs(bob, 'bob@example.com')).workspaces[0]?.id ?? '';
  for (let i = 0; i < 4; i++)
    await ada.post(`/api/workspaces/${adaWorkspace}/invites`, {
      email: `guest${i}@example.com`,
      role: 'viewer',
    });
  await ada.patch(`/api/workspaces/${adaWorkspace}`, { name: 'Ada & Co' });
});
afterAll(() => pmos.close());

describe('workspace audit log', () => {
  it("shows a workspace admin their workspace's events, newest first, with filters and pages", async () => {
    const all = await ada.get(`/api/workspaces/${adaWorkspace}/audit`);
    expect(all.status).toBe(200);
    expect(all.body.data.map((e: { action: string }) => e.action)).toEqual([
      'workspace.rename',
      'invite.create',
      'invite.create',
      'invite.create',
      'invite.create',
      'auth.sign_up',
    ]);
    expect(
      all.body.data.every((e: { workspaceId: string }) => e.workspaceId === adaWorkspace),
    ).toBe(true);
    expect(all.body.data[0]).toMatchObject({
      actorEmail: 'ada@example.com',
      actorKind: 'user',
      outcome: 'success',
      metadata: { from: "ada's workspace", to: 'Ada & Co' },
    });

    const invites = await ada.get(`/api/workspaces/${adaWorkspace}/audit?action=invite&limit=3`);
    expect(invites.body.data).toHaveLength(3);
    expect(invites.body.next).toEqual(expect.any(String));
    const rest = await ada.get(
      `/api/workspaces/${adaWorkspace}/audit?action=invite&limit=3&before=${invites.body.next}`,
    );
    expect(rest.body.data).toHaveLength(1);
    expect(rest.body.next).toBeNull();

    const bad = await ada.get(`/api/workspaces/${adaWorkspace}/audit?since=yesterday`);
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_request']);
  });

  it("does not show one workspace's events to another's admin", async () => {
    const response = await bob.get(`/api/workspaces/${adaWorkspace}/audit`);
    expect([response.status, response.body.error.code]).toEqual([404, 'workspace_not_found']);
    const own = await bob.get(`/api/workspaces/${bobWorkspace}/audit`);
    expect(own.body.data.map((e: { action: string }) => e.action)).toEqual(['auth.sign_up']);
  });

  it('exports NDJSON', async () => {
    const response = await ada.get(`/api/workspaces/${adaWorkspace}/audit/export`);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const events = response.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events).toHaveLength(6);
    expect(events.map((e) => e.chainSeq)).toEqual([6, 5, 4, 3, 2, 1]);
  });
});

describe('instance audit log (super_admin)', () => {
  it('lists every workspace and instance-level events, and verifies the chains', async () => {
    const all = await root.get('/api/admin/audit?limit=200');
    const workspaces = new Set(
      all.body.data.map((e: { workspaceId: string | null }) => e.workspaceId),
    );
    // root's own workspace, Ada's, Bob's, and instance-level events (the bootstrap).
    expect(workspaces.size).toBe(4);
    expect([...workspaces]).toEqual(expect.arrayContaining([null, adaWorkspace, bobWorkspace]));

    const instanceOnly = await root.get('/api/admin/audit?workspace=instance');
    expect(
      instanceOnly.body.data.every((e: { workspaceId: string | null }) => e.workspaceId === null),
    ).toBe(true);

    const verify = await root.get('/api/admin/audit/verify');
    expect(verify.body.intact).toBe(true);
    expect(verify.body.chains.length).toBeGreaterThanOrEqual(4);

    await pmos.orm.em.fork().transactional(async (em) => {
      await em
        .getConnection()
        .execute(
          'set local session_replication_role = replica',
          [],
          'all',
          em.getTransactionContext(),
        );
      await em
        .getConnection()
        .execute(
          `update audit_event set outcome = 'failure' where workspace_id = ? and chain_seq = 2`,
          [adaWorkspace],
          'all',
          em.getTransactionContext(),
        );
    });
    const broken = await root.get('/api/admin/audit/verify');
    expect(broken.body.intact).toBe(false);
    expect(
      broken.body.chains.find((c: { chain: string }) => c.chain === adaWorkspace).firstBroken,
    ).toMatchObject({
      seq: 2,
      reason: 'contents were changed after it was written',
    });
  });

  it('is refused to a workspace admin', async () => {
    expect((await ada.get('/api/admin/audit')).status).toBe(403);
  });

  it('never stores a secret in metadata', async () => {
    const rows = await query(pmos.orm, `select metadata::text as m from audit_event`);
    expect(rows.some((r) => /pmos_(s|pat|inv)_/.test(r.m))).toBe(false);
  });
});
