import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fakeTodoist } from '../testing/fake-todoist.js';
import { installPieceNetwork } from './intercept.js';
import { type PieceNetworkScope, withPieceScope } from './scope.js';

const require = createRequire(import.meta.url);

function scopeFor(fetchImpl: typeof fetch, hosts = ['api.todoist.com']): PieceNetworkScope {
  return {
    label: 'Todoist › Test',
    hosts,
    fetch: fetchImpl,
    signal: new AbortController().signal,
    refusals: [],
  };
}

describe('the piece network', () => {
  installPieceNetwork();

  it('routes a piece’s axios (node:http) requests through the scope', async () => {
    const todoist = fakeTodoist();
    const {
      todoistRestClient,
    } = require('@activepieces/piece-todoist/src/lib/common/client/rest-client');
    const projects: { name: string }[] = await withPieceScope(scopeFor(todoist.fetch), () =>
      todoistRestClient.projects.list({ token: todoist.oauth.token }),
    );
    expect(projects.map((p) => p.name)).toEqual(['Inbox', 'Launch']);
    const task = await withPieceScope(scopeFor(todoist.fetch), () =>
      todoistRestClient.tasks.create({
        token: todoist.oauth.token,
        content: 'Buy milk',
        labels: ['home'],
      }),
    );
    expect(task).toMatchObject({ content: 'Buy milk', labels: ['home'], project_id: '2203306141' });
    expect(todoist.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET https://api.todoist.com/rest/v2/projects',
      'POST https://api.todoist.com/rest/v2/tasks',
    ]);
  });

  it('refuses a host the piece does not need before a byte leaves, and keeps the reason', async () => {
    const todoist = fakeTodoist();
    const scope = scopeFor(todoist.fetch, ['example.org']);
    const {
      todoistRestClient,
    } = require('@activepieces/piece-todoist/src/lib/common/client/rest-client');
    await expect(
      withPieceScope(scope, () => todoistRestClient.projects.list({ token: 'x' })),
    ).rejects.toThrow();
    // pieces-common turns the socket error into its own HttpError (status 500, no message):
    // the scope keeps the reason, which the adapter reports instead.
    expect(scope.refusals.map((e) => e.message)).toEqual([
      'Todoist › Test tried to reach api.todoist.com, which is not a host PMOS lets this piece reach (example.org).',
    ]);
    expect(todoist.requests).toHaveLength(0);
  });

  it('routes global fetch inside a scope and leaves it alone outside', async () => {
    const todoist = fakeTodoist();
    const answer = await withPieceScope(scopeFor(todoist.fetch), () =>
      fetch('https://api.todoist.com/rest/v2/projects', {
        headers: { authorization: `Bearer ${todoist.oauth.token}` },
      }).then((r) => r.json()),
    );
    expect(answer).toHaveLength(2);
    await expect(fetch('http://127.0.0.1:1/')).rejects.toThrow();
    expect(todoist.requests).toHaveLength(1);
  });
});
