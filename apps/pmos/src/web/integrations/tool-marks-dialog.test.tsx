import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { Connection, RemoteTool } from '../api-types.js';
import { buttonIn, clickAndSettle, settle } from '../testing/dom.js';
import { mount } from '../testing/mount.js';
import { type Connectable, ConnectorCard } from './connector-card.js';
import { connectionId, fakeMarks, markedAt, tool, ws } from './tool-marks.fixtures.js';
import { ToolMarksDialog } from './tool-marks-dialog.js';

// The tools of a connection to an MCP server, in jsdom with React's act(); the API is stubbed
// at fetch with the shapes of …/connections/:connectionId/tools (GET and PATCH).

/** What the last render() put on the page, which the helpers and tests below read. */
let host: HTMLElement;

const toolsPath = `/api/workspaces/${ws}/connections/${connectionId}/tools`;

const sampleTools = (): RemoteTool[] => [
  tool('search_issues', 'read', {
    title: 'Search issues',
    description: 'Finds issues by text.',
  }),
  tool('create_issue', 'write', { description: 'Opens an issue.' }),
  tool('delete_repo', 'destructive', {
    title: 'Delete a repository',
    mark: 'blocked',
    markedAt,
    markedBy: 'ada@example.com',
  }),
  tool('old_tool', null, {
    listed: false,
    mark: 'gated',
    markedAt,
    markedBy: 'ada@example.com',
    policy: 'asks',
  }),
];

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

const apiError = (status: number, code: string, message: string) =>
  json({ error: { code, message } }, status);

type Call = { method: string; path: string; body: unknown };

/**
 * Answers like the API: GET lists `tools`, PATCH applies the marks and answers every mark.
 * `answers` holds one-off answers (or promises of them) to the next GET / PATCH.
 */
function serve(tools: RemoteTool[] = sampleTools()) {
  const calls: Call[] = [];
  const marks = fakeMarks(tools);
  const answers: { GET: Array<Promise<Response>>; PATCH: Array<Promise<Response>> } = {
    GET: [],
    PATCH: [],
  };
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    const method = init.method ?? 'GET';
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, path: url, body });
    if (url !== toolsPath || (method !== 'GET' && method !== 'PATCH')) {
      return apiError(404, 'not_found', `No stub for ${method} ${url}`);
    }
    const next = answers[method].shift();
    if (next) return next;
    if (method === 'GET') return json({ connectionId, data: tools });
    return json(marks.patch(body));
  });
  vi.stubGlobal('fetch', fetch);
  return { calls, answers };
}

/** A promise of a response that the test settles when it wants. */
function deferred() {
  let settle: (response: Response) => void = () => {};
  const promise = new Promise<Response>((resolve) => {
    settle = resolve;
  });
  return { promise, settle };
}

const flush = settle;

async function render(ui: React.ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  ({ host } = mount(<QueryClientProvider client={client}>{ui}</QueryClientProvider>));
  await flush();
  return host;
}

const onClose = vi.fn();
const renderDialog = (canManage: boolean) =>
  render(
    <ToolMarksDialog
      workspaceId={ws}
      connection={{ id: connectionId, displayName: 'Our MCP' }}
      canManage={canManage}
      onClose={onClose}
    />,
  );

const dialog = () => host.querySelector<HTMLElement>('[data-testid="tool-marks-dialog"]');
const rows = () => [...host.querySelectorAll<HTMLElement>('[data-testid="tool-row"]')];
const row = (name: string) => {
  const found = host.querySelector<HTMLElement>(`[data-testid="tool-row"][data-tool="${name}"]`);
  if (!found) throw new Error(`No row for ${name}`);
  return found;
};
const markSelect = (name: string) =>
  host.querySelector<HTMLSelectElement>(`select[aria-label="Mark for ${name}"]`);
const button = (name: string) => buttonIn(host, name);
const click = clickAndSettle;
const choose = async (select: HTMLSelectElement, value: string) => {
  await act(async () => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await flush();
};
const patches = (calls: Call[]) => calls.filter((c) => c.method === 'PATCH');
const gets = (calls: Call[]) => calls.filter((c) => c.method === 'GET');

describe('ToolMarksDialog', () => {
  it('asks the server for its tools, then lists each with what the server says and its policy', async () => {
    const { answers } = serve();
    const list = deferred();
    answers.GET.push(list.promise);
    await renderDialog(true);
    expect(dialog()?.textContent).toContain('Tools of Our MCP');
    expect(dialog()?.textContent).toContain(
      'Tools the server marks read-only run without asking. Any other tool is refused until an admin marks it safe or gated.',
    );
    expect(host.querySelector('[role="status"]')?.textContent).toContain(
      'Asking Our MCP for its tools…',
    );
    expect(rows()).toHaveLength(0);

    await act(async () => list.settle(json({ connectionId, data: sampleTools() })));
    await flush();
    expect(host.textContent).not.toContain('Asking Our MCP');
    expect(rows().map((r) => [r.dataset.tool, r.dataset.policy])).toEqual([
      ['search_issues', 'runs'],
      ['create_issue', 'refused'],
      ['delete_repo', 'refused'],
      ['old_tool', 'asks'],
    ]);
    const search = row('search_issues');
    expect(search.textContent).toContain('Search issues');
    // The name shows beside a title that differs from it.
    expect(search.querySelector('code')?.textContent).toBe('search_issues');
    expect(search.textContent).toContain('Finds issues by text.');
    expect(search.textContent).toContain('Reads only');
    expect(search.querySelector('.pmos-badge')?.textContent).toBe('Runs');
    expect(row('create_issue').querySelector('code')).toBeNull();
    expect(row('create_issue').textContent).toContain('Changes data');
    expect(row('delete_repo').textContent).toContain('May delete or overwrite');
    expect(row('delete_repo').textContent).toContain('Marked by ada@example.com');
    expect(row('delete_repo').querySelector('.pmos-badge')?.textContent).toBe('Refused');
    expect(row('old_tool').textContent).toContain('No longer offered');
    expect(row('old_tool').querySelector('.pmos-badge')?.textContent).toBe('Asks first');
    // Admins get a labelled select per listed tool, set to its mark.
    expect(markSelect('search_issues')?.value).toBe('');
    expect(markSelect('delete_repo')?.value).toBe('blocked');
    expect([...(markSelect('create_issue')?.options ?? [])].map((o) => o.textContent)).toEqual([
      'Default (server’s word)',
      'Safe — runs without asking',
      'Gated — asks first in chat',
      'Blocked — never runs',
    ]);
    expect(markSelect('old_tool')).toBeNull();
    expect(host.textContent).not.toContain('Only a workspace admin');
  });

  it('saves a changed mark at once and shows the new policy', async () => {
    const { calls, answers } = serve();
    await renderDialog(true);
    const saved = deferred();
    answers.PATCH.push(saved.promise);
    await choose(markSelect('create_issue') as HTMLSelectElement, 'gated');
    expect(patches(calls).map((c) => [c.path, c.body])).toEqual([
      [toolsPath, { marks: [{ tool: 'create_issue', mark: 'gated' }] }],
    ]);
    // On its way: the row says so and keeps the chosen mark.
    expect(row('create_issue').getAttribute('aria-busy')).toBe('true');
    expect(row('create_issue').textContent).toContain('Saving…');
    expect(markSelect('create_issue')?.value).toBe('gated');

    await act(async () =>
      saved.settle(
        json({
          connectionId,
          data: [
            { tool: 'create_issue', mark: 'gated', markedAt, markedBy: 'grace@example.com' },
            { tool: 'delete_repo', mark: 'blocked', markedAt, markedBy: 'ada@example.com' },
            { tool: 'old_tool', mark: 'gated', markedAt, markedBy: 'ada@example.com' },
          ],
        }),
      ),
    );
    await flush();
    expect(row('create_issue').dataset.policy).toBe('asks');
    expect(row('create_issue').querySelector('.pmos-badge')?.textContent).toBe('Asks first');
    expect(row('create_issue').textContent).toContain('Marked by grace@example.com');
    expect(row('create_issue').hasAttribute('aria-busy')).toBe(false);
    expect(markSelect('create_issue')?.value).toBe('gated');
    expect(host.querySelector('[aria-live="polite"]')?.textContent).toBe(
      'Saved. create_issue now asks first in chat.',
    );
    // The list is updated from the answer, not asked for again.
    expect(gets(calls)).toHaveLength(1);

    // Back to the server's word: a write tool is refused again.
    await choose(markSelect('create_issue') as HTMLSelectElement, '');
    expect(patches(calls).at(-1)?.body).toEqual({ marks: [{ tool: 'create_issue', mark: null }] });
    expect(row('create_issue').dataset.policy).toBe('refused');
    expect(host.querySelector('[aria-live="polite"]')?.textContent).toBe(
      'Saved. create_issue is now refused, as the server says.',
    );
  });

  it('puts the select back and says why when a save fails', async () => {
    const { answers } = serve();
    await renderDialog(true);
    answers.PATCH.push(
      Promise.resolve(
        apiError(403, 'forbidden', 'Only a workspace admin can change the marks of tools.'),
      ),
    );
    await choose(markSelect('delete_repo') as HTMLSelectElement, 'safe');
    expect(markSelect('delete_repo')?.value).toBe('blocked');
    expect(row('delete_repo').dataset.policy).toBe('refused');
    expect(row('delete_repo').querySelector('[role="alert"]')?.textContent).toBe(
      'Only a workspace admin can change the marks of tools.',
    );
    expect(host.querySelector('[aria-live="polite"]')?.textContent).toBe('');
  });

  it("shows the server's error with Try again, which asks again", async () => {
    const { calls, answers } = serve();
    answers.GET.push(
      Promise.resolve(
        apiError(
          502,
          'connection_failed',
          'The MCP server cannot be reached: connect ECONNREFUSED.',
        ),
      ),
    );
    await renderDialog(true);
    expect(host.querySelector('[role="alert"]')?.textContent).toBe(
      'The MCP server cannot be reached: connect ECONNREFUSED.',
    );
    expect(rows()).toHaveLength(0);
    await click(button('Try again'));
    expect(gets(calls)).toHaveLength(2);
    expect(host.querySelector('[role="alert"]')).toBeNull();
    expect(rows()).toHaveLength(4);
  });

  it('says so when the server offers no tools', async () => {
    serve([]);
    await renderDialog(true);
    expect(dialog()?.textContent).toContain('This server offers no tools.');
    expect(rows()).toHaveLength(0);
  });

  it('shows viewers and members the marks as text, with no controls', async () => {
    serve();
    await renderDialog(false);
    expect(rows()).toHaveLength(4);
    expect(host.querySelectorAll('select')).toHaveLength(0);
    expect(host.textContent).not.toContain('Remove mark');
    expect(row('delete_repo').textContent).toContain('Mark: Blocked — never runs');
    expect(row('search_issues').textContent).toContain('Mark: Default (server’s word)');
    expect(host.textContent).toContain('Only a workspace admin can change the marks.');
  });

  it('filters a long list by name, title or description', async () => {
    const many = Array.from({ length: 9 }, (_, i) =>
      tool(`tool_${i}`, 'read', { description: `Does thing ${i}.` }),
    );
    many.push(tool('send_mail', 'write', { title: 'Send an email' }));
    serve(many);
    await renderDialog(true);
    const search = host.querySelector<HTMLInputElement>('input[type="search"]');
    expect(search?.labels?.[0]?.textContent).toBe('Search tools');
    const type = async (text: string) => {
      await act(async () => {
        const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
        setValue?.call(search, text);
        search?.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await flush();
    };
    await type('EMAIL');
    expect(rows().map((r) => r.dataset.tool)).toEqual(['send_mail']);
    await type('thing 3');
    expect(rows().map((r) => r.dataset.tool)).toEqual(['tool_3']);
    await type('tool_1');
    expect(rows().map((r) => r.dataset.tool)).toEqual(['tool_1']);
    await type('nothing like it');
    expect(rows()).toHaveLength(0);
    expect(host.textContent).toContain('No tool matches “nothing like it”.');
  });

  it('has no search box for a short list', async () => {
    serve();
    await renderDialog(true);
    expect(host.querySelector('input[type="search"]')).toBeNull();
  });

  it('removes the mark of a tool the server no longer offers', async () => {
    const { calls } = serve();
    await renderDialog(true);
    await click(button('Remove mark of old_tool'));
    expect(patches(calls).map((c) => c.body)).toEqual([
      { marks: [{ tool: 'old_tool', mark: null }] },
    ]);
    // Unlisted and unmarked: nothing is left to show.
    expect(rows().map((r) => r.dataset.tool)).toEqual([
      'search_issues',
      'create_issue',
      'delete_repo',
    ]);
    expect(host.querySelector('[aria-live="polite"]')?.textContent).toBe(
      'Saved. Removed the mark of old_tool.',
    );
  });

  it('closes with Close', async () => {
    serve();
    onClose.mockClear();
    await renderDialog(false);
    await click(button('Close'));
    expect(onClose).toHaveBeenCalledOnce();
  });
});

describe('the Tools button of a connection', () => {
  const mcp: Connectable = {
    pluginId: 'mcp',
    pluginDisplayName: 'MCP',
    id: 'mcp-server',
    displayName: 'MCP server',
    description: null,
    auth: { kind: 'custom' },
    hasHealthCheck: true,
    hasRemoteTools: true,
  };
  const connection: Connection = {
    id: connectionId,
    pluginId: 'mcp',
    connectorId: 'mcp-server',
    displayName: 'Our MCP',
    authKind: 'custom',
    mask: 'https://mcp.example.com',
    status: 'healthy',
    lastCheck: null,
    createdAt: markedAt,
    updatedAt: markedAt,
  };
  const renderCard = (connector: Connectable, canManage: boolean) =>
    render(
      <ConnectorCard
        workspaceId={ws}
        connector={connector}
        connections={[connection]}
        canManage={canManage}
        now={Date.parse(markedAt)}
      />,
    );

  it('lets viewers open the tools, read-only, and nothing else', async () => {
    const { calls } = serve();
    await renderCard(mcp, false);
    expect(() => button('Rename Our MCP')).toThrow();
    expect(dialog()).toBeNull();
    await click(button('Tools of Our MCP'));
    expect(gets(calls).map((c) => c.path)).toEqual([toolsPath]);
    expect(dialog()?.hasAttribute('open')).toBe(true);
    expect(rows()).toHaveLength(4);
    expect(host.querySelectorAll('select')).toHaveLength(0);
    await click(button('Close'));
    expect(dialog()).toBeNull();
  });

  it('sits beside the admin actions', async () => {
    serve();
    await renderCard(mcp, true);
    expect(button('Tools of Our MCP')).toBeTruthy();
    expect(button('Rename Our MCP')).toBeTruthy();
  });

  it('is not there for connectors without tools', async () => {
    serve();
    await renderCard({ ...mcp, hasRemoteTools: false }, false);
    expect(() => button('Tools of Our MCP')).toThrow();
    expect(host.querySelector('th .visually-hidden')).toBeNull();
  });
});
