import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../../testing/http-client.js';
import {
  type AcmeFake,
  acmeKeys,
  fakeAcme,
  loadFixturePlugins,
} from '../../testing/plugin-fixtures.js';
import { query, signUpAs, startTestApp, type TestApp } from '../../testing/test-app.js';

// The plugin host over HTTP: availability by the super admin, enablement per workspace, and
// enforcement of `plugin_disabled` on every kind of contribution (catalog, UI remotes,
// connections, dropdown options), with the fixture plugins under src/testing/fixture-plugins.
const database = withTestDatabase();
let pmos: TestApp;
let acme: AcmeFake;
let root: TestClient;
let admin: TestClient;
let viewer: TestClient;
let ws: string;

beforeAll(async () => {
  acme = fakeAcme();
  pmos = await startTestApp(database.url, {}, undefined, await loadFixturePlugins(acme.fetch));
  root = pmos.client();
  await signUpAs(root, 'root@example.com');
  admin = pmos.client();
  ws = (await signUpAs(admin, 'ada@example.com')).workspaces[0]?.id ?? '';
  viewer = pmos.client();
  await signUpAs(viewer, 'vic@example.com');
  const invite = await admin.post(`/api/workspaces/${ws}/invites`, {
    email: 'vic@example.com',
    role: 'viewer',
  });
  await viewer.post(`/api/invites/${invite.body.url.split('/invite/')[1]}/accept`);
});
afterAll(() => pmos.close());

const options = (body: Record<string, unknown>) =>
  admin.post(`/api/workspaces/${ws}/plugins/acme-tasks/options`, {
    connectorId: 'acme',
    stepId: 'create_task',
    ...body,
  });

describe('plugins over HTTP', () => {
  let connectionId: string;

  it('shows the super admin every plugin found, refused ones with their reason', async () => {
    const response = await root.get('/api/admin/plugins');
    expect(response.status).toBe(200);
    const byId = Object.fromEntries(response.body.data.map((p: { id: string }) => [p.id, p]));
    expect(byId['acme-tasks']).toMatchObject({
      status: 'loaded',
      source: 'installed',
      available: false,
      problem: null,
      permissions: { hosts: ['tasks.acme.test'] },
      contributes: {
        connectors: [
          { id: 'acme', displayName: 'Acme Tasks' },
          { id: 'acme-oauth', displayName: 'Acme Tasks (sign in)' },
        ],
        aiProviders: [{ id: 'acme-ai', displayName: 'Acme AI' }],
        panels: [
          { slot: 'integrations.connector.settings', expose: './Settings', connector: 'acme' },
        ],
      },
    });
    expect(byId['broken-import']).toMatchObject({
      status: 'refused',
      problem: 'cannot initialise: missing native module',
    });
    expect(byId['too-new'].problem).toMatch(
      /^It needs @pmos\/sdk \^9\.0\.0, but this PMOS provides/,
    );
    expect((await admin.get('/api/admin/plugins')).status).toBe(403);
  });

  it('offers nothing to workspaces until the super admin makes a plugin available', async () => {
    expect((await admin.get(`/api/workspaces/${ws}/plugins`)).body.data).toEqual([]);
    const refused = await admin.put(`/api/workspaces/${ws}/plugins/acme-tasks`, { enabled: true });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('plugin_unavailable');

    const broken = await root.put('/api/admin/plugins/broken-import', { available: true });
    expect(broken.status).toBe(409);
    expect(broken.body.error.code).toBe('plugin_refused');

    const offered = await root.put('/api/admin/plugins/acme-tasks', { available: true });
    expect(offered.status).toBe(200);
    expect(offered.body).toMatchObject({ id: 'acme-tasks', available: true, enabledWorkspaces: 0 });
    const listed = await admin.get(`/api/workspaces/${ws}/plugins`);
    expect(listed.body.data).toMatchObject([{ id: 'acme-tasks', enabled: false, enabledAt: null }]);
  });

  it('refuses every contribution of a plugin that is not enabled in the workspace', async () => {
    const catalog = await admin.get(`/api/workspaces/${ws}/catalog`);
    expect(catalog.body).toEqual({ connectors: [], aiProviders: [] });
    expect((await admin.get(`/api/workspaces/${ws}/plugins/ui`)).body).toEqual({ data: [] });
    const connect = await admin.post(`/api/workspaces/${ws}/connections`, {
      pluginId: 'acme-tasks',
      connectorId: 'acme',
      displayName: 'Acme',
      value: acmeKeys.good,
    });
    expect(connect.status).toBe(403);
    expect(connect.body.error.code).toBe('plugin_disabled');
    const dropdown = await options({ prop: 'project' });
    expect(dropdown.status).toBe(403);
    expect(dropdown.body.error).toMatchObject({
      code: 'plugin_disabled',
      message: expect.stringContaining('Settings › Plugins'),
    });
  });

  it('lets only a workspace admin enable it, and audits the change', async () => {
    expect(
      (await viewer.put(`/api/workspaces/${ws}/plugins/acme-tasks`, { enabled: true })).status,
    ).toBe(403);
    const enabled = await admin.put(`/api/workspaces/${ws}/plugins/acme-tasks`, { enabled: true });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ enabled: true, enabledAt: expect.any(String) });
    const audit = await admin.get(`/api/workspaces/${ws}/audit?action=plugin.enable`);
    expect(audit.body.data[0]).toMatchObject({ action: 'plugin.enable', targetId: 'acme-tasks' });
  });

  it('describes the enabled plugin’s connectors, steps and UI remote', async () => {
    const catalog = await viewer.get(`/api/workspaces/${ws}/catalog`);
    expect(catalog.status).toBe(200);
    const [connector, oauthConnector] = catalog.body.connectors;
    expect(oauthConnector.auth).toMatchObject({
      kind: 'oauth2',
      scopes: ['tasks:read', 'tasks:write'],
      props: { region: { kind: 'static_dropdown', required: true } },
    });
    expect(catalog.body.aiProviders).toEqual([
      {
        pluginId: 'acme-tasks',
        pluginDisplayName: 'Acme Tasks',
        id: 'acme-ai',
        displayName: 'Acme AI',
        description: null,
        auth: { kind: 'secret_text', displayName: 'API key' },
        hasHealthCheck: false,
      },
    ]);
    expect(connector).toMatchObject({
      pluginId: 'acme-tasks',
      pluginDisplayName: 'Acme Tasks',
      pluginVersion: expect.stringMatching(/^\d+\.\d+\.\d+/),
      id: 'acme',
      auth: { kind: 'secret_text', displayName: 'API key' },
      hasHealthCheck: true,
    });
    expect(connector.actions[0]).toMatchObject({
      id: 'create_task',
      risk: 'write',
      props: {
        project: { kind: 'dropdown', required: true, dynamic: true, refreshers: [] },
        list: { kind: 'dropdown', refreshers: ['project'] },
        title: { kind: 'short_text', required: true },
      },
    });
    const remotes = await viewer.get(`/api/workspaces/${ws}/plugins/ui`);
    expect(remotes.body.data).toEqual([
      {
        pluginId: 'acme-tasks',
        displayName: 'Acme Tasks',
        version: '1.0.0',
        mfName: 'pmos_acme_tasks',
        manifestUrl: '/plugins/acme-tasks/1.0.0/mf-manifest.json',
        panels: [
          { slot: 'integrations.connector.settings', expose: './Settings', connector: 'acme' },
        ],
      },
    ]);
    const file = await viewer.get('/plugins/acme-tasks/1.0.0/mf-manifest.json');
    expect(file.status).toBe(200);
    expect(file.body.name).toBe('pmos_acme_tasks');
    for (const path of [
      '/plugins/acme-tasks/1.0.0/..%2Fpackage.json',
      '/plugins/acme-tasks/1.0.0/../server.js',
      '/plugins/acme-tasks/2.0.0/mf-manifest.json',
      '/plugins/broken-import/1.0.0/server.js',
    ]) {
      expect((await viewer.get(path)).status, path).toBe(404);
    }
  });

  it('stores a connection sealed, tests it, and never shows the key', async () => {
    const empty = await admin.post(`/api/workspaces/${ws}/connections`, {
      pluginId: 'acme-tasks',
      connectorId: 'acme',
      displayName: 'Acme',
      value: '  ',
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toEqual({
      code: 'invalid_connection_value',
      message: 'Enter the API key.',
    });

    const created = await admin.post(`/api/workspaces/${ws}/connections`, {
      pluginId: 'acme-tasks',
      connectorId: 'acme',
      displayName: 'Acme main',
      value: acmeKeys.good,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      pluginId: 'acme-tasks',
      connectorId: 'acme',
      displayName: 'Acme main',
      authKind: 'secret_text',
      mask: `••••${acmeKeys.good.slice(-4)}`,
      status: 'healthy',
      lastCheck: { ok: true, message: 'Connected as Ada' },
    });
    connectionId = created.body.id;
    expect(acme.requests.at(-1)).toEqual({
      url: 'https://tasks.acme.test/v1/me',
      authorization: `Bearer ${acmeKeys.good}`,
    });
    const [row] = await query(pmos.orm, 'select ciphertext from connection where id = ?', [
      connectionId,
    ]);
    expect(Buffer.from(row.ciphertext).toString('utf8')).not.toContain(acmeKeys.good);

    const duplicate = await admin.post(`/api/workspaces/${ws}/connections`, {
      pluginId: 'acme-tasks',
      connectorId: 'acme',
      displayName: 'ACME MAIN',
      value: acmeKeys.good,
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('connection_name_taken');

    const list = await viewer.get(`/api/workspaces/${ws}/connections?pluginId=acme-tasks`);
    expect(list.body.data).toHaveLength(1);
    expect(list.text).not.toContain(acmeKeys.good);
    expect(pmos.logs.join('\n')).not.toContain(acmeKeys.good);
    expect(
      (
        await viewer.post(`/api/workspaces/${ws}/connections`, {
          pluginId: 'acme-tasks',
          connectorId: 'acme',
          displayName: 'Mine',
          value: acmeKeys.good,
        })
      ).status,
    ).toBe(403);
  });

  it('reports a refused key in plain language, and a fixed key after an update', async () => {
    const bad = await admin.patch(`/api/workspaces/${ws}/connections/${connectionId}`, {
      value: 'wrong-key-1234567890',
    });
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({
      status: 'failing',
      lastCheck: { ok: false, message: 'Acme refused this API key.' },
      mask: '••••7890',
    });
    const fixed = await admin.patch(`/api/workspaces/${ws}/connections/${connectionId}`, {
      value: acmeKeys.other,
      displayName: 'Acme (Bo)',
    });
    expect(fixed.body).toMatchObject({
      displayName: 'Acme (Bo)',
      status: 'healthy',
      lastCheck: { message: 'Connected as Bo' },
    });
    const retest = await admin.post(`/api/workspaces/${ws}/connections/${connectionId}/test`);
    expect(retest.body.lastCheck.message).toBe('Connected as Bo');
    const audit = await admin.get(`/api/workspaces/${ws}/audit?action=connection.test`);
    expect(audit.body.data.length).toBeGreaterThanOrEqual(3);
    expect(audit.text).not.toContain(acmeKeys.other);
  });

  it('loads dropdown options through the connection, with refreshers and search', async () => {
    const projects = await options({ prop: 'project', connectionId });
    expect(projects.status).toBe(200);
    expect(projects.body).toEqual({
      kind: 'options',
      options: [
        { label: 'Launch', value: 'p1' },
        { label: 'Hiring', value: 'p2' },
      ],
    });
    const searched = await options({ prop: 'project', connectionId, searchValue: 'hir' });
    expect(searched.body.options).toEqual([{ label: 'Hiring', value: 'p2' }]);
    const waiting = await options({ prop: 'list', connectionId });
    expect(waiting.body).toEqual({
      kind: 'options',
      options: [],
      disabled: true,
      placeholder: 'Choose a project first',
    });
    const lists = await options({ prop: 'list', connectionId, props: { project: 'p2' } });
    expect(lists.body.options).toEqual([{ label: 'Backlog of p2', value: 'p2-l1' }]);

    const noConnection = await options({ prop: 'project' });
    expect(noConnection.body.error.code).toBe('connection_required');
    const notADropdown = await options({ prop: 'title', connectionId });
    expect(notADropdown.status).toBe(400);
    expect(notADropdown.body.error).toEqual({
      code: 'no_options',
      message: 'Prop "title" is a short_text field, not a dropdown',
    });
    const undeclared = await options({ prop: 'elsewhere', connectionId });
    expect(undeclared.status).toBe(502);
    expect(undeclared.body.error.code).toBe('plugin_call_failed');
    expect(undeclared.body.error.message).toMatch(/may not reach evil\.test/);
    expect(acme.requests.some((r) => r.url.includes('evil.test'))).toBe(false);
    const garbled = await options({ prop: 'garbled', connectionId });
    expect(garbled.status).toBe(502);
    expect(garbled.body.error.message).toMatch(/answered the options of "garbled" in a shape/);
    const unknownStep = await options({ stepId: 'nope', prop: 'x', connectionId });
    expect(unknownStep.body.error.code).toBe('step_not_found');
  });

  it('lists an AI provider’s models with a connection of that provider', async () => {
    const created = await admin.post(`/api/workspaces/${ws}/connections`, {
      pluginId: 'acme-tasks',
      connectorId: 'acme-ai',
      displayName: 'Acme AI',
      value: acmeKeys.good,
    });
    expect(created.body).toMatchObject({ connectorId: 'acme-ai', status: 'healthy' });
    expect(created.body.lastCheck.message).toBe(
      'Saved. This connector has no way to test a connection.',
    );
    const models = await admin.post(
      `/api/workspaces/${ws}/plugins/acme-tasks/ai-providers/acme-ai/models`,
      { connectionId: created.body.id },
    );
    expect(models.status).toBe(200);
    expect(models.body.data).toEqual([
      { id: 'acme-small', displayName: 'acme-small' },
      { id: 'acme-large', displayName: 'acme-large' },
    ]);
    const mismatch = await admin.post(
      `/api/workspaces/${ws}/plugins/acme-tasks/ai-providers/acme-ai/models`,
      { connectionId },
    );
    expect(mismatch.body.error.code).toBe('connection_mismatch');
    const unknown = await admin.post(
      `/api/workspaces/${ws}/plugins/acme-tasks/ai-providers/nope/models`,
      { connectionId },
    );
    expect(unknown.status).toBe(404);
  });

  it('hides and refuses everything again once disabled, but a connection can still be deleted', async () => {
    const disabled = await admin.put(`/api/workspaces/${ws}/plugins/acme-tasks`, {
      enabled: false,
    });
    expect(disabled.body.enabled).toBe(false);
    expect((await admin.get(`/api/workspaces/${ws}/catalog`)).body.connectors).toEqual([]);
    expect((await admin.get(`/api/workspaces/${ws}/plugins/ui`)).body.data).toEqual([]);
    for (const response of [
      await options({ prop: 'project', connectionId }),
      await admin.post(`/api/workspaces/${ws}/plugins/acme-tasks/ai-providers/acme-ai/models`, {}),
      await admin.post(`/api/workspaces/${ws}/connections/${connectionId}/test`),
      await admin.patch(`/api/workspaces/${ws}/connections/${connectionId}`, {
        value: 'x'.repeat(20),
      }),
    ]) {
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('plugin_disabled');
    }
    const audit = await admin.get(`/api/workspaces/${ws}/audit?action=plugin.disable`);
    expect(audit.body.data).toHaveLength(1);
    expect((await admin.delete(`/api/workspaces/${ws}/connections/${connectionId}`)).status).toBe(
      204,
    );
    expect(
      (await admin.get(`/api/workspaces/${ws}/connections?connectorId=acme`)).body.data,
    ).toEqual([]);
  });

  it('withdrawing a plugin from the instance disables it everywhere', async () => {
    await admin.put(`/api/workspaces/${ws}/plugins/acme-tasks`, { enabled: true });
    const withdrawn = await root.put('/api/admin/plugins/acme-tasks', { available: false });
    expect(withdrawn.body).toMatchObject({ available: false, enabledWorkspaces: 1 });
    expect((await admin.get(`/api/workspaces/${ws}/plugins`)).body.data).toEqual([]);
    expect((await options({ prop: 'project' })).body.error.code).toBe('plugin_disabled');
    const audit = await root.get('/api/admin/audit?action=plugin.withdraw');
    expect(audit.body.data[0]).toMatchObject({ action: 'plugin.withdraw', targetId: 'acme-tasks' });
  });
});
