import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { mount } from '../testing/mount.js';
import { RemoteRuns } from './remote-runs.js';

// The Runs page's list of a linked flow's runs in the other system, in jsdom; the API answers
// are stubbed at fetch with the shapes of GET …/flow-links and GET …/flows/:id/link/runs.

const flowId = '00000000-0000-4000-8000-000000000001';
const json = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });

function serve(links: unknown[], runs: unknown[]) {
  const fetch = vi.fn(async (url: string) =>
    url.endsWith('/flow-links')
      ? json({ data: links, next: null })
      : json({ data: runs, next: null }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

async function render() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const { host } = mount(
    <QueryClientProvider client={client}>
      <RemoteRuns workspaceId="ws" flowId={flowId} />
    </QueryClientProvider>,
  );
  // Let both queries answer.
  for (let i = 0; i < 5; i++) await act(async () => new Promise((r) => setTimeout(r, 0)));
  return host;
}

describe('RemoteRuns', () => {
  it('shows nothing for a flow that is not linked, and asks for no runs', async () => {
    const fetch = serve([], []);
    expect((await render()).textContent).toBe('');
    expect(fetch.mock.calls.map(([url]) => url)).toEqual(['/api/workspaces/ws/flow-links']);
  });

  it("lists a linked flow's Activepieces runs with their failures", async () => {
    serve(
      [{ flowId, pluginId: 'activepieces', state: 'in_sync' }],
      [
        {
          externalId: 'r1',
          status: 'FAILED',
          startedAt: '2026-11-26T01:00:00.000Z',
          finishedAt: '2026-11-26T01:00:02.000Z',
          failure: 'step_2: Todoist answered 401',
        },
        { externalId: 'r2', status: 'SUCCEEDED', startedAt: null, finishedAt: null, failure: null },
      ],
    );
    const shown = await render();
    expect(shown.querySelector('h3, [class*="title"]')?.textContent).toBe('Runs in Activepieces');
    const rows = [...shown.querySelectorAll('tbody tr')].map((tr) => tr.textContent);
    expect(rows[0]).toContain('failed');
    expect(rows[0]).toContain('step_2: Todoist answered 401');
    expect(rows[1]).toContain('succeeded');
  });
});
