import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, startTestApp, strongPassword, type TestApp } from '../../testing/test-app.js';

// A fresh, migrated, empty database: nobody has signed up yet.
const database = withTestDatabase();
let pmos: TestApp;
beforeAll(async () => {
  pmos = await startTestApp(database.url);
});
afterAll(() => pmos.close());

describe('first-account bootstrap', () => {
  it('makes exactly one super_admin out of 24 simultaneous first sign-ups', async () => {
    const responses = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        pmos.client().post('/api/auth/sign-up', {
          email: `racer${i}@example.com`,
          password: strongPassword,
          name: `Racer ${i}`,
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(24).fill(201));
    const superAdmins = responses.filter((r) => r.body.user.platformRole === 'super_admin');
    expect(superAdmins).toHaveLength(1);
    expect(superAdmins[0]?.body?.platformPermissions).toEqual(['platform.manage', 'shell.use']);

    // Every account is workspace_admin of a workspace of its own.
    const workspaceIds = new Set(responses.map((r) => r.body.workspaces[0].id));
    expect(workspaceIds.size).toBe(24);
    for (const r of responses) {
      expect(r.body.workspaces).toEqual([expect.objectContaining({ role: 'workspace_admin' })]);
    }

    const rows = await query(
      pmos.orm,
      `select count(*)::int as n from app_user where platform_role = 'super_admin'`,
    );
    expect(rows[0].n).toBe(1);
    const audit = await query(
      pmos.orm,
      `select count(*)::int as n from audit_event where action = 'platform.super_admin_bootstrap'`,
    );
    expect(audit[0].n).toBe(1);
  });

  it('never makes a later sign-up super_admin, and the database refuses a second one', async () => {
    const later = await pmos.client().post('/api/auth/sign-up', {
      email: 'later@example.com',
      password: strongPassword,
      name: 'Later',
    });
    expect(later.body.user.platformRole).toBeNull();
    await expect(
      pmos.orm.em
        .getConnection()
        .execute(
          `update app_user set platform_role = 'super_admin' where email = 'later@example.com'`,
        ),
    ).rejects.toThrow(/app_user_one_super_admin/);
  });
});
