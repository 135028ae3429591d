import { randomUUID } from 'node:crypto';
import { platformRoleGrants, type WorkspaceRole, workspaceRoleGrants } from '@pmos/core';
import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../testing/http-client.js';
import { signUpAs, startTestApp, strongPassword, type TestApp } from '../testing/test-app.js';

// Role enforcement on EVERY route: the test walks the server's own route table, so a route
// added without a declared access — or with the wrong one — fails here.
const database = withTestDatabase();
let pmos: TestApp;

interface Principal {
  name: string;
  email: string | null;
  via: 'session' | 'api_token' | 'none';
  superAdmin: boolean;
  roleInWorkspace: WorkspaceRole | null;
  client: () => Promise<TestClient>;
}
const principals: Principal[] = [];
let workspaceId: string;

beforeAll(async () => {
  pmos = await startTestApp(database.url, { enableShell: true });
  const founder = pmos.client();
  await signUpAs(founder, 'founder@example.com');
  const admin = pmos.client();
  workspaceId = (await signUpAs(admin, 'admin@example.com')).workspaces[0]?.id ?? '';
  for (const role of ['member', 'viewer'] as const) {
    const client = pmos.client();
    await signUpAs(client, `${role}@example.com`);
    const invite = await admin.post(`/api/workspaces/${workspaceId}/invites`, {
      email: `${role}@example.com`,
      role,
    });
    const token = new URL(invite.body.url).pathname.split('/').pop();
    expect((await client.post(`/api/invites/${token}/accept`)).status).toBe(200);
  }
  await signUpAs(pmos.client(), 'outsider@example.com');
  const tokenOf = async (client: TestClient) =>
    (await client.post('/api/me/tokens', { name: 'script', expiresInDays: 30 })).body
      .token as string;
  const memberToken = await tokenOf(await signIn('member@example.com'));
  const founderToken = await tokenOf(founder);

  const session = (email: string) => () => signIn(email);
  principals.push(
    {
      name: 'signed out',
      email: null,
      via: 'none',
      superAdmin: false,
      roleInWorkspace: null,
      client: async () => pmos.client(),
    },
    {
      name: 'outsider',
      email: 'outsider@example.com',
      via: 'session',
      superAdmin: false,
      roleInWorkspace: null,
      client: session('outsider@example.com'),
    },
    {
      name: 'viewer',
      email: 'viewer@example.com',
      via: 'session',
      superAdmin: false,
      roleInWorkspace: 'viewer',
      client: session('viewer@example.com'),
    },
    {
      name: 'member',
      email: 'member@example.com',
      via: 'session',
      superAdmin: false,
      roleInWorkspace: 'member',
      client: session('member@example.com'),
    },
    {
      name: 'member API token',
      email: 'member@example.com',
      via: 'api_token',
      superAdmin: false,
      roleInWorkspace: 'member',
      client: async () => pmos.client().withBearer(memberToken),
    },
    {
      name: 'workspace_admin',
      email: 'admin@example.com',
      via: 'session',
      superAdmin: false,
      roleInWorkspace: 'workspace_admin',
      client: session('admin@example.com'),
    },
    {
      name: 'super_admin API token',
      email: 'founder@example.com',
      via: 'api_token',
      superAdmin: true,
      roleInWorkspace: null,
      client: async () => pmos.client().withBearer(founderToken),
    },
    {
      name: 'super_admin',
      email: 'founder@example.com',
      via: 'session',
      superAdmin: true,
      roleInWorkspace: null,
      client: session('founder@example.com'),
    },
  );
});
afterAll(() => pmos.close());

async function signIn(email: string): Promise<TestClient> {
  const client = pmos.client();
  const response = await client.post('/api/auth/sign-in', { email, password: strongPassword });
  if (response.status !== 200) throw new Error(`sign-in ${email}: ${response.text}`);
  return client;
}

function fillPath(url: string): string {
  return url
    .replace(':workspaceId', workspaceId)
    .replace(':userId', randomUUID())
    .replace(':id', randomUUID())
    .replace(':token', 'pmos_inv_not-a-real-invite');
}

// The intended policy, written out by hand: a new route, or a changed access, must be
// reflected here — so the change is visible in review rather than silently accepted.
const expectedAccess: Record<string, string> = {
  'POST /api/auth/sign-up': 'public',
  'POST /api/auth/sign-in': 'public',
  'POST /api/auth/sign-out': 'public',
  'POST /api/auth/sign-out-everywhere': 'authenticated',
  'GET /api/me': 'authenticated',
  'GET /api/me/tokens': 'authenticated',
  'POST /api/me/tokens': 'authenticated',
  'DELETE /api/me/tokens/:id': 'authenticated',
  'POST /api/workspaces': 'authenticated',
  'PATCH /api/workspaces/:workspaceId': 'workspace settings.manage',
  'GET /api/workspaces/:workspaceId/members': 'workspace members.read',
  'PATCH /api/workspaces/:workspaceId/members/:userId': 'workspace members.manage',
  'DELETE /api/workspaces/:workspaceId/members/:userId': 'workspace members.manage',
  'GET /api/workspaces/:workspaceId/invites': 'workspace members.manage',
  'POST /api/workspaces/:workspaceId/invites': 'workspace members.manage',
  'DELETE /api/workspaces/:workspaceId/invites/:id': 'workspace members.manage',
  'GET /api/invites/:token': 'public',
  'POST /api/invites/:token/accept': 'authenticated',
  'GET /api/admin/instance': 'platform platform.manage',
  'POST /api/admin/shell': 'platform shell.use session-only',
  'GET /api/openapi.json': 'public',
  'GET /api/workspaces/:workspaceId/audit': 'workspace audit.read',
  'GET /api/workspaces/:workspaceId/audit/export': 'workspace audit.read',
  'GET /api/admin/audit': 'platform platform.manage',
  'GET /api/admin/audit/export': 'platform platform.manage',
  'GET /api/admin/audit/verify': 'platform platform.manage',
  'GET /api/workspaces/:workspaceId/secrets': 'workspace connections.read',
  'POST /api/workspaces/:workspaceId/secrets': 'workspace connections.manage',
  'PATCH /api/workspaces/:workspaceId/secrets/:id': 'workspace connections.manage',
  'DELETE /api/workspaces/:workspaceId/secrets/:id': 'workspace connections.manage',
  'GET /api/workspaces/:workspaceId/usage': 'workspace workspace.read',
  'GET /api/admin/limits': 'platform platform.manage',
  'PUT /api/admin/limits': 'platform platform.manage',
  'POST /api/admin/secrets/rotate-master': 'platform platform.manage session-only',
  'GET /api/admin/plugins': 'platform platform.manage',
  'PUT /api/admin/plugins/:pluginId': 'platform platform.manage',
  'GET /api/workspaces/:workspaceId/plugins': 'workspace plugins.read',
  'PUT /api/workspaces/:workspaceId/plugins/:pluginId': 'workspace plugins.manage',
  'GET /api/workspaces/:workspaceId/plugins/ui': 'workspace workspace.read',
  'GET /api/workspaces/:workspaceId/catalog': 'workspace workspace.read',
  'POST /api/workspaces/:workspaceId/plugins/:pluginId/options': 'workspace flows.read',
  'GET /api/workspaces/:workspaceId/connections': 'workspace connections.read',
  'POST /api/workspaces/:workspaceId/connections': 'workspace connections.manage',
  'PATCH /api/workspaces/:workspaceId/connections/:connectionId': 'workspace connections.manage',
  'DELETE /api/workspaces/:workspaceId/connections/:connectionId': 'workspace connections.manage',
  'POST /api/workspaces/:workspaceId/connections/:connectionId/test':
    'workspace connections.manage',
  'GET /api/workspaces/:workspaceId/connections/:connectionId/tools': 'workspace connections.read',
  'PATCH /api/workspaces/:workspaceId/connections/:connectionId/tools':
    'workspace connections.manage',
  'POST /api/workspaces/:workspaceId/connections/oauth2/start': 'workspace connections.manage',
  'GET /api/oauth2/callback': 'authenticated',
  'GET /api/workspaces/:workspaceId/flows': 'workspace flows.read',
  'POST /api/workspaces/:workspaceId/flows': 'workspace flows.write',
  'POST /api/workspaces/:workspaceId/flows/import': 'workspace flows.write',
  'GET /api/workspaces/:workspaceId/flows/:flowId': 'workspace flows.read',
  'PATCH /api/workspaces/:workspaceId/flows/:flowId': 'workspace flows.write',
  'DELETE /api/workspaces/:workspaceId/flows/:flowId': 'workspace flows.write',
  'POST /api/workspaces/:workspaceId/flows/:flowId/operations': 'workspace flows.write',
  'POST /api/workspaces/:workspaceId/flows/:flowId/duplicate': 'workspace flows.write',
  'GET /api/workspaces/:workspaceId/flow-links': 'workspace flows.read',
  'GET /api/workspaces/:workspaceId/flow-sync/remote-flows': 'workspace flows.read',
  'POST /api/workspaces/:workspaceId/flow-sync/import': 'workspace flows.write',
  'GET /api/workspaces/:workspaceId/flows/:flowId/link': 'workspace flows.read',
  'PUT /api/workspaces/:workspaceId/flows/:flowId/link': 'workspace flows.write',
  'DELETE /api/workspaces/:workspaceId/flows/:flowId/link': 'workspace flows.write',
  'POST /api/workspaces/:workspaceId/flows/:flowId/link/sync': 'workspace flows.write',
  'POST /api/workspaces/:workspaceId/flows/:flowId/link/push': 'workspace flows.write',
  'POST /api/workspaces/:workspaceId/flows/:flowId/link/pull': 'workspace flows.write',
  'POST /api/workspaces/:workspaceId/flows/:flowId/link/resolve': 'workspace flows.write',
  'GET /api/workspaces/:workspaceId/flows/:flowId/link/runs': 'workspace flows.read',
  'GET /api/workspaces/:workspaceId/flows/:flowId/export': 'workspace flows.read',
  'GET /api/workspaces/:workspaceId/flows/:flowId/versions': 'workspace flows.read',
  'GET /api/workspaces/:workspaceId/flows/:flowId/versions/:versionId': 'workspace flows.read',
  'POST /api/workspaces/:workspaceId/flows/:flowId/steps/:stepName/test': 'workspace flows.run',
  'POST /api/workspaces/:workspaceId/flows/:flowId/runs': 'workspace flows.run',
  'GET /api/workspaces/:workspaceId/runs': 'workspace runs.read',
  'GET /api/workspaces/:workspaceId/runs/:runId': 'workspace runs.read',
  'GET /api/workspaces/:workspaceId/runs/:runId/events': 'workspace runs.read',
  'POST /api/workspaces/:workspaceId/runs/:runId/cancel': 'workspace flows.run',
  'POST /api/workspaces/:workspaceId/runs/:runId/retry': 'workspace flows.run',
  'GET /api/workspaces/:workspaceId/chat/settings': 'workspace workspace.read',
  'PUT /api/workspaces/:workspaceId/chat/settings': 'workspace settings.manage',
  'GET /api/workspaces/:workspaceId/chat/conversations': 'workspace chat.use',
  'POST /api/workspaces/:workspaceId/chat/conversations': 'workspace chat.use',
  'GET /api/workspaces/:workspaceId/chat/conversations/:conversationId': 'workspace chat.use',
  'DELETE /api/workspaces/:workspaceId/chat/conversations/:conversationId': 'workspace chat.use',
  'POST /api/workspaces/:workspaceId/chat/conversations/:conversationId/messages':
    'workspace chat.use',
  'GET /api/workspaces/:workspaceId/chat/conversations/:conversationId/events':
    'workspace chat.use',
  'GET /api/workspaces/:workspaceId/chat/approvals': 'workspace approvals.decide',
  'POST /api/workspaces/:workspaceId/chat/approvals/:approvalId/decision':
    'workspace approvals.decide',
  'GET /api/workspaces/:workspaceId/chat/operations': 'workspace chat.use',
  'POST /api/workspaces/:workspaceId/chat/operations/:operationId/replay': 'workspace chat.use',
  'POST /api/workspaces/:workspaceId/plugins/:pluginId/ai-providers/:providerId/models':
    'workspace workspace.read',
};

const denialCodes = ['unauthenticated', 'forbidden', 'workspace_not_found', 'csrf_rejected'];

describe('route access', () => {
  it('every /api route declares who may call it', () => {
    const undeclared = pmos.app.registeredRoutes
      .filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && !r.access)
      .map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('declares exactly the intended access on every route', () => {
    const declared = Object.fromEntries(
      pmos.app.registeredRoutes
        .filter(
          (r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD',
        )
        .map((r) => {
          const a = r.access;
          const text = !a
            ? 'none'
            : a.kind === 'workspace'
              ? `workspace ${a.permission}`
              : a.kind === 'platform'
                ? `platform ${a.permission}${a.sessionOnly ? ' session-only' : ''}`
                : a.kind;
          return [`${r.method} ${r.url}`, text];
        }),
    );
    expect(declared).toEqual(expectedAccess);
  });

  it('enforces each route’s access for every kind of caller', async () => {
    const routes = pmos.app.registeredRoutes.filter(
      (r) =>
        r.url.startsWith('/api/') &&
        !r.url.startsWith('/api/docs') &&
        r.method !== 'HEAD' &&
        r.access,
    );
    expect(routes.length).toBeGreaterThanOrEqual(18);
    const outcomes: string[] = [];
    for (const route of routes) {
      const access = route.access;
      if (!access) continue;
      for (const principal of principals) {
        const allowed =
          access.kind === 'public' ||
          (access.kind === 'authenticated' && principal.via !== 'none') ||
          (access.kind === 'workspace' &&
            principal.roleInWorkspace !== null &&
            workspaceRoleGrants(principal.roleInWorkspace, access.permission)) ||
          (access.kind === 'platform' &&
            principal.superAdmin &&
            platformRoleGrants('super_admin', access.permission) &&
            !(access.sessionOnly && principal.via !== 'session'));
        const expectedDenial =
          access.kind === 'platform'
            ? 'forbidden'
            : principal.via === 'none'
              ? 'unauthenticated'
              : access.kind === 'workspace' && principal.roleInWorkspace === null
                ? 'workspace_not_found'
                : 'forbidden';
        const client = await principal.client(); // fresh session: sign-out routes end it
        const body =
          route.url === '/api/admin/shell'
            ? { command: 'true' }
            : route.method === 'GET' || route.method === 'DELETE'
              ? undefined
              : {};
        const response = await client.request(route.method, fillPath(route.url), body);
        const code: string | undefined = response.body?.error?.code;
        const verdict = allowed
          ? !denialCodes.includes(code ?? '') && response.status < 500
          : code === expectedDenial && [401, 403, 404].includes(response.status);
        outcomes.push(
          `${verdict ? 'ok ' : 'BAD'} ${route.method} ${route.url} as ${principal.name}: ${response.status} ${code ?? ''}`,
        );
      }
    }
    expect(outcomes.filter((line) => line.startsWith('BAD'))).toEqual([]);
    expect(outcomes.length).toBe(routes.length * principals.length);
  });
});
