import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../../testing/http-client.js';
import { query, signUpAs, startTestApp, type TestApp } from '../../testing/test-app.js';

// Invites, members and roles over real HTTP on PostgreSQL.
const database = withTestDatabase();
let pmos: TestApp;
let admin: TestClient;
let workspaceId: string;
beforeAll(async () => {
  pmos = await startTestApp(database.url, { publicUrl: 'https://pmos.example.com' });
  admin = pmos.client();
  await signUpAs(admin, 'first@example.com', 'First'); // super_admin, out of the way
  admin = pmos.client();
  workspaceId = (await signUpAs(admin, 'ada@example.com', 'Ada')).workspaces[0]?.id ?? '';
});
afterAll(() => pmos.close());

const tokenOf = (url: string) => url.split('/invite/')[1] ?? '';

async function invite(email: string, role: string) {
  const response = await admin.post(`/api/workspaces/${workspaceId}/invites`, { email, role });
  expect(response.status).toBe(201);
  return response.body as { invite: { id: string; status: string }; url: string };
}

describe('invites', () => {
  it('invites by email with a single-use, expiring link the admin can copy', async () => {
    const created = await invite('  Bob@Example.com ', 'member');
    expect(created.url).toMatch(/^https:\/\/pmos\.example\.com\/invite\/pmos_inv_[\w-]{43}$/);
    expect(created.invite).toMatchObject({
      email: 'bob@example.com',
      role: 'member',
      status: 'pending',
      invitedBy: 'Ada',
    });
    const expires = new Date(
      (created.invite as unknown as { expiresAt: string }).expiresAt,
    ).getTime();
    expect(expires - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

    const preview = await pmos.client().get(`/api/invites/${tokenOf(created.url)}`);
    expect(preview.body).toMatchObject({
      workspaceName: "Ada's workspace",
      email: 'bob@example.com',
      role: 'member',
      status: 'pending',
    });

    const stored = await query(pmos.orm, 'select token_hash from invite where id = ?', [
      created.invite.id,
    ]);
    expect(stored[0].token_hash).not.toContain(tokenOf(created.url)); // only the hash is kept

    const mallory = pmos.client();
    await signUpAs(mallory, 'mallory@example.com');
    const stolen = await mallory.post(`/api/invites/${tokenOf(created.url)}/accept`);
    expect(stolen.status).toBe(403);
    expect(stolen.body.error.code).toBe('invite_email_mismatch');

    const bob = pmos.client();
    await signUpAs(bob, 'bob@example.com', 'Bob');
    const accepted = await bob.post(`/api/invites/${tokenOf(created.url)}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.joinedWorkspaceId).toBe(workspaceId);
    expect(
      accepted.body.workspaces.map((w: { name: string; role: string }) => [w.name, w.role]),
    ).toEqual([
      ["Bob's workspace", 'workspace_admin'],
      ["Ada's workspace", 'member'],
    ]);
    expect(accepted.body.permissions[workspaceId]).toContain('flows.write');
    expect(accepted.body.permissions[workspaceId]).not.toContain('members.manage');

    const again = await bob.post(`/api/invites/${tokenOf(created.url)}/accept`);
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('invite_used');

    const list = await admin.get(`/api/workspaces/${workspaceId}/invites`);
    expect(list.body.data.find((i: { id: string }) => i.id === created.invite.id).status).toBe(
      'accepted',
    );
  });

  it('refuses revoked and expired invites with a clear reason', async () => {
    const revoked = await invite('carol@example.com', 'viewer');
    expect(
      (await admin.delete(`/api/workspaces/${workspaceId}/invites/${revoked.invite.id}`)).status,
    ).toBe(204);
    const carol = pmos.client();
    await signUpAs(carol, 'carol@example.com');
    const r1 = await carol.post(`/api/invites/${tokenOf(revoked.url)}/accept`);
    expect([r1.status, r1.body.error.code]).toEqual([410, 'invite_revoked']);

    const expired = await invite('carol@example.com', 'viewer');
    await query(
      pmos.orm,
      `update invite set expires_at = now() - interval '1 minute' where id = ?`,
      [expired.invite.id],
    );
    const r2 = await carol.post(`/api/invites/${tokenOf(expired.url)}/accept`);
    expect([r2.status, r2.body.error.code]).toEqual([410, 'invite_expired']);
    expect(r2.body.error.message).toContain('expired');

    const unknown = await carol.post('/api/invites/pmos_inv_nothing/accept');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'invite_not_found']);
  });

  it('replaces a pending invite to the same address, and refuses inviting a member', async () => {
    const first = await invite('dave@example.com', 'viewer');
    const second = await invite('dave@example.com', 'member');
    const list = (await admin.get(`/api/workspaces/${workspaceId}/invites`)).body.data;
    expect(list.find((i: { id: string }) => i.id === first.invite.id).status).toBe('revoked');
    expect(list.find((i: { id: string }) => i.id === second.invite.id).status).toBe('pending');

    const already = await admin.post(`/api/workspaces/${workspaceId}/invites`, {
      email: 'bob@example.com',
      role: 'viewer',
    });
    expect([already.status, already.body.error.code]).toEqual([409, 'already_member']);
    const bad = await admin.post(`/api/workspaces/${workspaceId}/invites`, {
      email: 'nope',
      role: 'owner',
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details.fields).sort()).toEqual(['email', 'role']);
  });
});

describe('cookies behind https', () => {
  it('marks the session cookie Secure when PUBLIC_URL is https', async () => {
    const response = await pmos.client().post('/api/auth/sign-up', {
      email: 'secure@example.com',
      password: 'correct horse battery staple',
      name: 'Secure',
    });
    expect(response.headers.getSetCookie()[0]).toMatch(/; Secure/);
  });
});

describe('members and roles', () => {
  it('lets admins change roles and remove members, never the last admin', async () => {
    const members = (await admin.get(`/api/workspaces/${workspaceId}/members`)).body.data;
    const ada = members.find((m: { email: string }) => m.email === 'ada@example.com');
    const bob = members.find((m: { email: string }) => m.email === 'bob@example.com');
    expect(bob.role).toBe('member');

    const demoteSelf = await admin.patch(`/api/workspaces/${workspaceId}/members/${ada.userId}`, {
      role: 'member',
    });
    expect([demoteSelf.status, demoteSelf.body.error.code]).toEqual([409, 'last_admin']);
    const removeSelf = await admin.delete(`/api/workspaces/${workspaceId}/members/${ada.userId}`);
    expect([removeSelf.status, removeSelf.body.error.code]).toEqual([409, 'last_admin']);

    const promote = await admin.patch(`/api/workspaces/${workspaceId}/members/${bob.userId}`, {
      role: 'workspace_admin',
    });
    expect(promote.body).toMatchObject({ email: 'bob@example.com', role: 'workspace_admin' });
    // With a second admin, Ada may step down.
    const stepDown = await admin.patch(`/api/workspaces/${workspaceId}/members/${ada.userId}`, {
      role: 'viewer',
    });
    expect(stepDown.body.role).toBe('viewer');
    const nowViewer = await admin.patch(`/api/workspaces/${workspaceId}/members/${bob.userId}`, {
      role: 'member',
    });
    expect([nowViewer.status, nowViewer.body.error.code]).toEqual([403, 'forbidden']);

    const bobClient = pmos.client();
    await bobClient.post('/api/auth/sign-in', {
      email: 'bob@example.com',
      password: 'correct horse battery staple',
    });
    expect(
      (
        await bobClient.patch(`/api/workspaces/${workspaceId}/members/${ada.userId}`, {
          role: 'workspace_admin',
        })
      ).status,
    ).toBe(200);
    expect(
      (await bobClient.delete(`/api/workspaces/${workspaceId}/members/${bob.userId}`)).status,
    ).toBe(204);
    // Bob is gone: the workspace is no longer his to see.
    const gone = await bobClient.get(`/api/workspaces/${workspaceId}/members`);
    expect([gone.status, gone.body.error.code]).toEqual([404, 'workspace_not_found']);

    const audit = await query(
      pmos.orm,
      `select action, metadata from audit_event where workspace_id = ? and action like 'member.%' order by id`,
      [workspaceId],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'member.role_change',
      'member.role_change',
      'member.role_change',
      'member.remove',
    ]);
    expect(audit[0].metadata).toEqual({ from: 'member', to: 'workspace_admin' });
  });

  it('renames a workspace (settings.manage) and creates new ones', async () => {
    const renamed = await admin.patch(`/api/workspaces/${workspaceId}`, {
      name: 'Analytical Engines',
    });
    expect(renamed.body).toEqual({
      id: workspaceId,
      name: 'Analytical Engines',
      role: 'workspace_admin',
    });
    const created = await admin.post('/api/workspaces', { name: 'Side project' });
    expect(created.status).toBe(201);
    const me = (await admin.get('/api/me')).body;
    expect(me.workspaces.map((w: { name: string }) => w.name)).toEqual([
      'Analytical Engines',
      'Side project',
    ]);
  });
});
