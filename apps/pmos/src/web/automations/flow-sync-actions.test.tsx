import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { buttonIn, clickAndSettle, settle } from '../testing/dom.js';
import { mount } from '../testing/mount.js';
import { AutomationsPage } from './automations-page.js';

// Flow sync from the Automations page, in jsdom with React's act(); the API is stubbed at
// fetch with the shapes of the flow-sync routes (…/flow-links, …/flow-sync/…, …/link/…).

/** What the last render() put on the page, which the helpers and tests below read. */
let host: HTMLElement;

const ws = '00000000-0000-4000-8000-00000000000a';
const connectionId = '00000000-0000-4000-8000-00000000000c';
const linkedId = '00000000-0000-4000-8000-000000000001';
const plainId = '00000000-0000-4000-8000-000000000002';
const now = '2026-11-26T10:00:00.000Z';

const owner = '00000000-0000-4000-8000-0000000000aa';
const flow = (id: string, displayName: string) => ({
  id,
  displayName,
  folder: null,
  tags: [],
  status: 'DISABLED',
  revision: 7,
  publishedVersionId: null,
  publishedVersionNumber: null,
  createdBy: id === linkedId ? owner : null,
  createdAt: now,
  updatedAt: now,
  lastRun: null,
  triggerProblem: null,
});

const flowDocument = (displayName: string, trigger: string) => ({
  displayName,
  schemaVersion: 1,
  trigger: { name: 'trigger', displayName: trigger, valid: true, type: 'EMPTY', settings: {} },
});

const link = (state: string, conflict: unknown = null) => ({
  flowId: linkedId,
  pluginId: 'activepieces',
  syncId: 'activepieces',
  connectionId,
  externalId: 'ap-1',
  state,
  error: null,
  lastPushedRevision: 5,
  lastRemoteVersion: 'v1',
  lastRemoteUpdatedAt: now,
  syncedAt: now,
  conflict,
});

const conflict = {
  detectedAt: now,
  remoteVersion: 'v2',
  remoteUpdatedAt: '2026-11-26T09:30:00.000Z',
  remoteDocument: flowDocument('Orders', 'Started by hand in Activepieces'),
  localRevision: 7,
};

const connection = {
  id: connectionId,
  pluginId: 'activepieces',
  connectorId: 'activepieces-instance',
  displayName: 'Our Activepieces',
  authKind: 'custom',
  mask: '••••3f9a',
  status: 'healthy',
  lastCheck: null,
  createdAt: now,
  updatedAt: now,
};

const remoteFlow = (
  externalId: string,
  displayName: string,
  linkedFlowId: string | null = null,
) => ({
  externalId,
  displayName,
  version: 'v1',
  updatedAt: now,
  status: 'ENABLED',
  linkedFlowId,
});

const json = (body: unknown, status = 200) =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

type Call = { method: string; path: string; body: unknown };

/** Answers like the PMOS API; `linkState` is the state of the linked flow's link. */
function serve(linkState: string, { remoteFlowsEmpty = false } = {}) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    const method = init.method ?? 'GET';
    const path = url.split('?')[0] ?? url;
    const query = new URLSearchParams(url.split('?')[1] ?? '');
    calls.push({ method, path: url, body: init.body ? JSON.parse(String(init.body)) : undefined });
    const base = `/api/workspaces/${ws}`;
    if (path === `${base}/flows`) {
      return json({ data: [flow(linkedId, 'Orders'), flow(plainId, 'Invoices')], next: null });
    }
    if (path === `${base}/flow-links`) {
      return json({
        data: [link(linkState, linkState === 'conflict' ? conflict : null)],
        next: null,
      });
    }
    if (path === `${base}/connections`) return json({ data: [connection], next: null });
    if (path === `${base}/members`) {
      return json({
        data: [
          {
            userId: owner,
            email: 'grace@example.com',
            name: 'Grace Hopper',
            role: 'member',
            joinedAt: now,
          },
        ],
        next: null,
      });
    }
    if (path === `${base}/flow-sync/remote-flows`) {
      if (remoteFlowsEmpty) return json({ data: [], next: null });
      return query.get('cursor')
        ? json({ data: [remoteFlow('ap-3', 'Leads to CRM')], next: null })
        : json({
            data: [remoteFlow('ap-1', 'Orders', linkedId), remoteFlow('ap-2', 'Weekly report')],
            next: 'page-2',
          });
    }
    if (path === `${base}/flow-sync/import` && method === 'POST') {
      return json(
        { flow: { ...flow(plainId, 'Weekly report'), draft: {} }, link: link('in_sync') },
        201,
      );
    }
    if (path === `${base}/flows/${linkedId}/link`) {
      if (method === 'DELETE') return json(null, 204);
      return json(link(linkState, linkState === 'conflict' ? conflict : null));
    }
    if (path === `${base}/flows/${linkedId}`) {
      return json({
        ...flow(linkedId, 'Orders'),
        draft: flowDocument('Orders', 'Started by hand'),
      });
    }
    if (path === `${base}/flows/${linkedId}/link/resolve`) {
      return json({ link: link('in_sync'), outcome: 'pushed' });
    }
    return json({ error: { code: 'not_found', message: `No stub for ${method} ${url}` } }, 404);
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}

const flush = settle;

async function render(permissions: string[]) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(['me'], {
    user: { id: 'u1', name: 'Ada', email: 'ada@example.com' },
    workspaces: [{ id: ws, name: 'Ops', role: 'admin' }],
    permissions: { [ws]: permissions },
    platformPermissions: [],
  });
  ({ host } = mount(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[`/w/${ws}/automations`]}>
        <Routes>
          <Route path="/w/:workspaceId/automations" element={<AutomationsPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  ));
  await flush();
  return host;
}

const button = (name: string) => buttonIn(host, name);
const click = clickAndSettle;
const openDialog = () => host.querySelector('dialog[open]');
const admin = ['flows.read', 'flows.write', 'flows.run'];

describe('the Automations list', () => {
  it("names each automation's owner", async () => {
    serve('in_sync');
    await render([...admin, 'members.read']);
    const rows = [...host.querySelectorAll('tr.flow-row')].map((tr) => tr.textContent ?? '');
    expect(rows.find((r) => r.includes('Orders'))).toContain('by Grace Hopper');
    // A flow whose creator is unknown (e.g. imported) names nobody.
    expect(rows.find((r) => r.includes('Invoices'))).not.toContain('by ');
  });
});

describe('Import from Activepieces', () => {
  it('lists the remote flows a page at a time and imports the chosen one', async () => {
    const calls = serve('in_sync');
    await render(admin);
    await click(button('Import from Activepieces'));
    const dialog = () => openDialog() as HTMLElement;
    expect(dialog().textContent).toContain('Through the connection Our Activepieces.');
    expect(dialog().textContent).toContain('Weekly report');
    const radios = () => [...dialog().querySelectorAll<HTMLInputElement>('input[type="radio"]')];
    // Orders is linked already: it cannot be imported again.
    expect(radios().find((r) => r.value === 'ap-1')?.disabled).toBe(true);
    expect(dialog().textContent).toContain('Already linked to a PMOS flow');

    await click(button('Load more'));
    expect(dialog().textContent).toContain('Leads to CRM');
    expect(calls.some((c) => c.path.includes('cursor=page-2'))).toBe(true);

    expect(button('Import flow').disabled).toBe(true);
    await click(radios().find((r) => r.value === 'ap-2') as HTMLElement);
    await click(button('Import flow'));
    const post = calls.find((c) => c.method === 'POST' && c.path.endsWith('/flow-sync/import'));
    expect(post?.body).toEqual({ connectionId, externalId: 'ap-2' });
    expect(openDialog()).toBeNull();
    expect(host.textContent).toContain('Imported Weekly report from Activepieces');
  });

  it('says so when the project has no flows', async () => {
    serve('in_sync', { remoteFlowsEmpty: true });
    await render(admin);
    await click(button('Import from Activepieces'));
    expect(openDialog()?.textContent).toContain('No flows in this project');
  });
});

describe('Resolve conflict', () => {
  it.each([
    ['Keep Activepieces version', 'remote'],
    ['Keep PMOS version', 'pmos'],
  ] as const)('says what changed and keeps the chosen side (%s)', async (label, keep) => {
    const calls = serve('conflict');
    await render(admin);
    await click(button('Resolve the conflict on Orders'));
    const dialog = openDialog() as HTMLElement;
    expect(dialog.textContent).toContain('In PMOS');
    expect(dialog.textContent).toContain('The draft was edited since the last sync');
    expect(dialog.textContent).toContain('In Activepieces');
    expect(dialog.textContent).toContain('Set up differently: Started by hand.');
    await click(button(label));
    const post = calls.find((c) => c.method === 'POST' && c.path.endsWith('/link/resolve'));
    expect(post?.body).toEqual({ keep });
    expect(openDialog()).toBeNull();
    // The badges are asked for again.
    expect(calls.filter((c) => c.path.endsWith('/flow-links')).length).toBeGreaterThan(1);
  });
});

describe('Unlink', () => {
  it('asks before unlinking, then unlinks', async () => {
    const calls = serve('in_sync');
    await render(admin);
    await click(button('Unlink Orders from Activepieces'));
    expect(openDialog()?.textContent).toContain('Unlink Orders from Activepieces?');
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    const confirm = [...(openDialog()?.querySelectorAll('button') ?? [])].find(
      (b) => b.textContent === 'Unlink',
    );
    await click(confirm as HTMLElement);
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
      `/api/workspaces/${ws}/flows/${linkedId}/link`,
    ]);
    expect(host.textContent).toContain('Unlinked Orders from Activepieces.');
  });
});

describe('Permissions', () => {
  it('shows viewers the sync state and no sync actions', async () => {
    const calls = serve('in_sync');
    const shown = await render(['flows.read']);
    expect(shown.textContent).toContain('Activepieces: In sync');
    for (const name of [
      'Import from Activepieces',
      'Sync now',
      'Unlink',
      'Link to Activepieces…',
    ]) {
      expect(shown.textContent).not.toContain(name);
    }
    expect(calls.some((c) => c.path.includes('/connections'))).toBe(false);
  });

  it('offers writers Sync now, Unlink and Link to Activepieces…', async () => {
    serve('in_sync');
    const shown = await render(admin);
    expect(button('Sync Orders now')).toBeTruthy();
    expect(button('Link Invoices to Activepieces')).toBeTruthy();
    expect(shown.textContent).toContain('Link to Activepieces…');
  });
});
