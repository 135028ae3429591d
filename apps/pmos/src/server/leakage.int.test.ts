import { randomUUID } from 'node:crypto';
import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../testing/http-client.js';
import { acmeKeys, fakeAcme, loadFixturePlugins } from '../testing/plugin-fixtures.js';
import { query, signUpAs, startTestApp, type TestApp } from '../testing/test-app.js';

// Cross-workspace leakage suite: two workspaces holding data of every kind. For every
// registered route with id parameters, Alice (admin of A) tries Bob's ids; every attempt
// must answer 404 and carry nothing of Bob's. New routes are covered automatically.
const database = withTestDatabase();
let pmos: TestApp;

interface Tenant {
  admin: TestClient;
  workspaceId: string;
  memberUserId: string;
  secretId: string;
  inviteId: string;
  tokenId: string;
  connectionId: string;
  flowId: string;
  versionId: string;
  runId: string;
  conversationId: string;
  approvalId: string;
  operationId: string;
  apiToken: string;
  /** Strings that must never reach the other tenant. */
  fingerprints: string[];
}
const tenants: Record<'a' | 'b', Tenant> = {} as Record<'a' | 'b', Tenant>;

async function makeTenant(label: string): Promise<Tenant> {
  const admin = pmos.client();
  const workspaceId =
    (await signUpAs(admin, `${label}-admin@example.com`, `${label}admin`)).workspaces[0]?.id ?? '';
  await admin.patch(`/api/workspaces/${workspaceId}`, { name: `${label} Secret Projects` });
  const member = pmos.client();
  const memberMe = await signUpAs(member, `${label}-member@example.com`);
  const invite = await admin.post(`/api/workspaces/${workspaceId}/invites`, {
    email: `${label}-member@example.com`,
    role: 'member',
  });
  await member.post(`/api/invites/${invite.body.url.split('/invite/')[1]}/accept`);
  const pending = await admin.post(`/api/workspaces/${workspaceId}/invites`, {
    email: `${label}-pending@example.com`,
    role: 'viewer',
  });
  const secret = await admin.post(`/api/workspaces/${workspaceId}/secrets`, {
    name: `${label}-stripe-key`,
    value: `${label}-value-0000`,
  });
  const token = await admin.post('/api/me/tokens', { name: `${label}-token`, expiresInDays: 30 });
  await admin.request('PUT', `/api/workspaces/${workspaceId}/plugins/acme-tasks`, {
    enabled: true,
  });
  const connection = await admin.post(`/api/workspaces/${workspaceId}/connections`, {
    pluginId: 'acme-tasks',
    connectorId: 'acme',
    displayName: `${label}-acme-connection`,
    value: acmeKeys.good,
  });
  const flow = await admin.post(`/api/workspaces/${workspaceId}/flows`, {
    displayName: `${label}-secret-flow`,
  });
  // A flow with one published version (an empty-trigger flow cannot be published, so the
  // version row is planted directly: the suite is about ids, not publishing).
  const versionId = randomUUID();
  await query(
    pmos.orm,
    `insert into flow_version (id, workspace_id, flow_id, number, document) values (?, ?, ?, 1, '{}'::jsonb)`,
    [versionId, workspaceId, flow.body.id],
  );
  // A failed run of it (failed, so cancel and retry get as far as their checks).
  const runId = randomUUID();
  await query(
    pmos.orm,
    `insert into flow_run (id, workspace_id, flow_id, flow_version_id, trigger_kind, status, error)
     values (?, ?, ?, ?, 'manual', 'FAILED', ?::jsonb)`,
    [
      runId,
      workspaceId,
      flow.body.id,
      versionId,
      JSON.stringify({ code: 'x', message: `${label}-run-error` }),
    ],
  );
  // A conversation with a turn waiting on an approval, and one operation in its history.
  const conversation = await admin.post(`/api/workspaces/${workspaceId}/chat/conversations`, {
    title: `${label}-secret-chat`,
  });
  const turnId = randomUUID();
  await query(
    pmos.orm,
    `insert into chat_turn (id, workspace_id, conversation_id, kind, status, user_text)
     values (?, ?, ?, 'agent', 'awaiting_approval', ?)`,
    [turnId, workspaceId, conversation.body.id, `${label}-secret-question`],
  );
  const approvalId = randomUUID();
  await query(
    pmos.orm,
    `insert into chat_approval (id, workspace_id, conversation_id, turn_id, approval_key, tool_call_id,
       tool, tool_title, arguments, risk, expires_at)
     values (?, ?, ?, ?, 'k', 'c', 'delete_flow', 'Delete a flow', ?::jsonb, 'destructive', now() + interval '1 hour')`,
    [
      approvalId,
      workspaceId,
      conversation.body.id,
      turnId,
      JSON.stringify({ flowId: flow.body.id }),
    ],
  );
  const operationId = randomUUID();
  await query(
    pmos.orm,
    `insert into chat_operation (id, workspace_id, conversation_id, tool, tool_title, arguments, risk, outcome)
     values (?, ?, ?, 'list_flows', 'List flows', ?::jsonb, 'read', 'succeeded')`,
    [
      operationId,
      workspaceId,
      conversation.body.id,
      JSON.stringify({ search: `${label}-secret-search` }),
    ],
  );
  return {
    admin,
    workspaceId,
    flowId: flow.body.id,
    conversationId: conversation.body.id,
    approvalId,
    operationId,
    versionId,
    runId,
    memberUserId: memberMe.user.id,
    secretId: secret.body.id,
    inviteId: pending.body.invite.id,
    tokenId: token.body.apiToken.id,
    connectionId: connection.body.id,
    apiToken: token.body.token,
    fingerprints: [
      `${label} Secret Projects`,
      `${label}-member@example.com`,
      `${label}-pending@example.com`,
      `${label}-stripe-key`,
      `${label}-token`,
      `${label}-acme-connection`,
      `${label}-secret-flow`,
      `${label}-admin@example.com`,
      `${label}-secret-chat`,
      `${label}-secret-search`,
    ],
  };
}

beforeAll(async () => {
  const plugins = await loadFixturePlugins(fakeAcme().fetch);
  pmos = await startTestApp(
    database.url,
    {},
    (app) => {
      // What a careless handler would see: a query with no workspace filter at all.
      app.get(
        '/api/workspaces/:workspaceId/test/unfiltered',
        { config: { access: { kind: 'workspace', permission: 'workspace.read' } } },
        async (request) => {
          const run = (text: string) =>
            request.em
              .getConnection()
              .execute<Record<string, string>[]>(
                text,
                [],
                'all',
                request.em.getTransactionContext(),
              );
          return {
            role: (await run('select current_user as r'))[0]?.r,
            secrets: (await run('select name from secret order by name')).map((r) => r.name),
          };
        },
      );
    },
    plugins,
  );
  const root = pmos.client();
  await signUpAs(root, 'root@example.com');
  await root.request('PUT', '/api/admin/plugins/acme-tasks', { available: true });
  tenants.a = await makeTenant('alpha');
  tenants.b = await makeTenant('bravo');
});
afterAll(() => pmos.close());

/** Which of Bob's ids goes in a parameter, by route and parameter name. */
function foreignId(url: string, param: string, b: Tenant): string | null {
  if (param === 'workspaceId') return b.workspaceId;
  if (param === 'userId') return b.memberUserId;
  if (param === 'id' && url.includes('/secrets/')) return b.secretId;
  if (param === 'id' && url.includes('/invites/')) return b.inviteId;
  if (param === 'id' && url.includes('/tokens/')) return b.tokenId;
  if (param === 'connectionId') return b.connectionId;
  if (param === 'flowId') return b.flowId;
  if (param === 'versionId') return b.versionId;
  if (param === 'runId') return b.runId;
  if (param === 'conversationId') return b.conversationId;
  if (param === 'approvalId') return b.approvalId;
  if (param === 'operationId') return b.operationId;
  return null; // not an id (e.g. an invite link's token: a bearer secret by design)
}

/** Parameters that are not ids of a workspace's data (the same in every workspace). */
const neutral: Record<string, string> = { stepName: 'step_1', pluginId: 'acme-tasks' };

// Valid bodies, so a refusal is about the ids and never a validation error.
const bodies: Record<string, unknown> = {
  'PATCH /api/workspaces/:workspaceId': { name: 'Renamed by A' },
  'PUT /api/workspaces/:workspaceId/chat/settings': { connectionId: null, modelId: null },
  'POST /api/workspaces/:workspaceId/chat/conversations/:conversationId/messages': { text: 'hi' },
  'POST /api/workspaces/:workspaceId/chat/approvals/:approvalId/decision': { decision: 'approve' },
  'POST /api/workspaces/:workspaceId/chat/operations/:operationId/replay': {},
  'PATCH /api/workspaces/:workspaceId/members/:userId': { role: 'viewer' },
  'POST /api/workspaces/:workspaceId/invites': { email: 'x@example.com', role: 'viewer' },
  'POST /api/workspaces/:workspaceId/secrets': { name: 'planted', value: 'planted-value' },
  'PATCH /api/workspaces/:workspaceId/secrets/:id': { value: 'overwritten-by-a' },
  'PATCH /api/workspaces/:workspaceId/connections/:connectionId': { displayName: 'taken by a' },
  'PATCH /api/workspaces/:workspaceId/connections/:connectionId/tools': {
    marks: [{ tool: 'get_weather', mark: 'safe' }],
  },
  'PATCH /api/workspaces/:workspaceId/flows/:flowId': { folder: 'moved by a' },
  'POST /api/workspaces/:workspaceId/flows/:flowId/operations': {
    revision: 1,
    operations: [{ type: 'CHANGE_NAME', request: { displayName: 'renamed by a' } }],
  },
  'PUT /api/workspaces/:workspaceId/flows/:flowId/link': {
    connectionId: '00000000-0000-4000-8000-000000000000',
  },
  'POST /api/workspaces/:workspaceId/flows/:flowId/link/resolve': { keep: 'pmos' },
};

describe('row-level security on workspace routes', () => {
  it('runs workspace requests as pmos_tenant, so even an unfiltered query sees one workspace', async () => {
    const response = await tenants.a.admin.get(
      `/api/workspaces/${tenants.a.workspaceId}/test/unfiltered`,
    );
    expect(response.body).toEqual({ role: 'pmos_tenant', secrets: ['alpha-stripe-key'] });
  });
});

describe('cross-workspace leakage', () => {
  it('answers 404 and leaks nothing for every id of the other workspace, on every route', async () => {
    const { a, b } = tenants;
    const routes = pmos.app.registeredRoutes.filter(
      (r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && /:\w+/.test(r.url),
    );
    const attempts: string[] = [];
    const leaks: string[] = [];
    for (const route of routes) {
      const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
      const foreign = params.filter((p) => foreignId(route.url, p, b));
      if (foreign.length === 0) continue;
      // Each foreign id alone (the others Alice's own or irrelevant), then all of them at once.
      const variants = [...foreign.map((p) => [p]), ...(foreign.length > 1 ? [foreign] : [])];
      for (const swapped of variants) {
        const path = route.url.replace(/:(\w+)/g, (_m, p: string) =>
          swapped.includes(p)
            ? (foreignId(route.url, p, b) ?? '')
            : p === 'workspaceId'
              ? a.workspaceId
              : (foreignId(route.url, p, a) ?? neutral[p] ?? ''),
        );
        const key = `${route.method} ${route.url}`;
        const body = bodies[key] ?? (route.method === 'POST' ? {} : undefined);
        const response = await a.admin.request(route.method, path, body);
        attempts.push(`${key} [${swapped.join('+')}]`);
        const leaked = b.fingerprints.filter((f) => response.text.includes(f));
        if (response.status !== 404 || leaked.length > 0) {
          leaks.push(
            `${key} with B's ${swapped.join('+')}: ${response.status} ${response.text.slice(0, 120)}`,
          );
        }
      }
    }
    console.info(
      `leakage suite: ${routes.length} routes with ids, ${attempts.length} attempts with the other workspace's ids, ${leaks.length} leaks`,
    );
    expect(leaks).toEqual([]);
    expect(attempts.length).toBeGreaterThanOrEqual(14);
  });

  it("left the other workspace's data untouched", async () => {
    const { b } = tenants;
    const me = (await b.admin.get('/api/me')).body;
    expect(me.workspaces[0].name).toBe('bravo Secret Projects');
    const members = (await b.admin.get(`/api/workspaces/${b.workspaceId}/members`)).body.data;
    expect(members.find((m: { userId: string }) => m.userId === b.memberUserId).role).toBe(
      'member',
    );
    const secrets = (await b.admin.get(`/api/workspaces/${b.workspaceId}/secrets`)).body.data;
    expect(secrets.map((s: { name: string; mask: string }) => [s.name, s.mask])).toEqual([
      ['bravo-stripe-key', '••••0000'],
    ]);
    const invites = (await b.admin.get(`/api/workspaces/${b.workspaceId}/invites`)).body.data;
    expect(invites.find((i: { id: string }) => i.id === b.inviteId).status).toBe('pending');
    expect((await pmos.client().withBearer(b.apiToken).get('/api/me')).status).toBe(200);
  });
});
