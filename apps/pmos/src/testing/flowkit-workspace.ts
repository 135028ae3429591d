import type { TestClient } from './http-client.js';
import { signUpAs, type TestApp } from './test-app.js';

/**
 * The cast of the flow engine's tests on a fresh instance: the super admin (who offers the
 * plugin), a workspace admin with the plugin enabled in their workspace, and a viewer invited
 * there.
 */
export async function workspaceWithPlugin(
  pmos: TestApp,
  pluginId = 'flowkit',
): Promise<{ root: TestClient; admin: TestClient; viewer: TestClient; ws: string }> {
  const root = pmos.client();
  await signUpAs(root, 'root@example.com');
  await root.put(`/api/admin/plugins/${pluginId}`, { available: true });
  const admin = pmos.client();
  const ws = (await signUpAs(admin, 'ada@example.com')).workspaces[0]?.id ?? '';
  await admin.put(`/api/workspaces/${ws}/plugins/${pluginId}`, { enabled: true });
  const viewer = pmos.client();
  await signUpAs(viewer, 'vic@example.com');
  const invite = await admin.post(`/api/workspaces/${ws}/invites`, {
    email: 'vic@example.com',
    role: 'viewer',
  });
  await viewer.post(`/api/invites/${invite.body.url.split('/invite/')[1]}/accept`);
  return { root, admin, viewer, ws };
}

/** A trigger step of the Flow Kit fixture, as a flow document holds it. */
export function flowkitTrigger(triggerId: string, input: Record<string, unknown> = {}) {
  return {
    name: 'trigger',
    displayName: triggerId,
    valid: true,
    type: 'PLUGIN_TRIGGER',
    settings: { pluginId: 'flowkit', connectorId: 'kit', triggerId, pluginVersion: '1.0.0', input },
  };
}

/** Imports a flow that starts with a Flow Kit trigger (and has no steps); answers its body. */
export async function importFlowkitFlow(
  admin: TestClient,
  ws: string,
  triggerId: string,
  input: Record<string, unknown> = {},
) {
  const displayName = `Flow ${triggerId}`;
  const created = await admin.post(`/api/workspaces/${ws}/flows/import`, {
    pmosFlowExport: 1,
    displayName,
    folder: null,
    tags: [],
    document: { displayName, schemaVersion: 1, trigger: flowkitTrigger(triggerId, input) },
  });
  if (created.status !== 201) throw new Error(`import failed: ${created.text}`);
  return created.body as {
    id: string;
    revision: number;
    webhookPath: string;
    status: string;
    triggerProblem: { code: string; message: string; at: string } | null;
  };
}
