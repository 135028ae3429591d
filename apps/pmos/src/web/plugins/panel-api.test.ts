import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkedPath, createPanelApi } from './panel-api.js';

const workspace = '0b9c6c1e-5d2f-4c1a-9e7b-3f2a1d4c5b6a';

describe('the API a plugin panel gets', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('accepts paths inside the workspace, with a query', () => {
    expect(checkedPath('connections')).toBe('connections');
    expect(checkedPath('connections?pluginId=github-issues')).toBe(
      'connections?pluginId=github-issues',
    );
    expect(checkedPath('connections/abc/test')).toBe('connections/abc/test');
    // Dots inside a query value are not path segments.
    expect(checkedPath('catalog?next=../x')).toBe('catalog?next=../x');
  });

  it.each([
    '',
    '/api/admin/plugins',
    '//evil.test/steal',
    'https://evil.test/steal',
    'javascript:alert(1)',
    '../members',
    'connections/../../../admin/plugins',
    './connections',
    '%2e%2e/members',
    'connections/%2E%2E/%2e%2e/admin',
    'connections%2f..%2fadmin',
    'connections\\..\\admin',
  ])('refuses %j', (path) => {
    expect(() => checkedPath(path)).toThrow(/relative path/);
  });

  it('calls the workspace API with the session and gives back the JSON', async () => {
    const fetch = vi.fn(
      async (_url: string, _init?: RequestInit) =>
        new Response(JSON.stringify({ data: [] }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    );
    vi.stubGlobal('fetch', fetch);
    const api = createPanelApi(workspace);
    await expect(api.get('connections?pluginId=github-issues')).resolves.toEqual({ data: [] });
    await api.post('connections/abc/test');
    expect(fetch.mock.calls.map(([url, init]) => [url, init?.method, init?.credentials])).toEqual([
      [`/api/workspaces/${workspace}/connections?pluginId=github-issues`, 'GET', 'same-origin'],
      [`/api/workspaces/${workspace}/connections/abc/test`, 'POST', 'same-origin'],
    ]);
  });

  it("throws an Error with the server's message", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({ error: { code: 'forbidden', message: 'You cannot do that here.' } }),
            { status: 403, headers: { 'content-type': 'application/json' } },
          ),
      ),
    );
    const api = createPanelApi(workspace);
    const error = await api.post('connections', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('You cannot do that here.');
  });

  it('turns a network failure into a sentence', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    await expect(createPanelApi(workspace).get('connections')).rejects.toThrow(
      'The PMOS server does not answer. Check your connection and try again.',
    );
  });
});
