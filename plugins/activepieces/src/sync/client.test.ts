import { isFlowSyncError } from '@pmos/sdk/server';
import { describe, expect, it } from 'vitest';
import { fakeActivepieces } from '../testing/fake-activepieces.js';
import { ActivepiecesClient } from './client.js';
import { checkInstance } from './connection.js';
import { apTrigger } from './fixtures.js';

const community = () => {
  const ap = fakeActivepieces({ edition: 'ce' });
  const client = new ActivepiecesClient(
    { url: ap.url, email: ap.user.email, password: ap.user.password },
    ap.fetch,
    { retryDelaysMs: [1, 1] },
  );
  return { ap, client };
};

describe('the Activepieces client against the fake instance', () => {
  it('signs in (community edition), creates, lists with cursor pagination and reads flows', async () => {
    const { ap, client } = community();
    for (let i = 1; i <= 3; i++) ap.addFlow(`Flow ${i}`, apTrigger());
    const created = await client.createFlow('From PMOS');
    expect(created.version.trigger.type).toBe('EMPTY');
    const first = await client.listFlows({ cursor: null, limit: 3 });
    expect(first.data.map((f) => f.version.displayName)).toEqual(['From PMOS', 'Flow 3', 'Flow 2']);
    expect(first.next).not.toBeNull();
    const second = await client.listFlows({ cursor: first.next, limit: 3 });
    expect(second.data.map((f) => f.version.displayName)).toEqual(['Flow 1']);
    expect(second.next).toBeNull();
    expect((await client.getFlow(created.id)).id).toBe(created.id);
    // Signed in once; every call is the user's, on the sign-in's project.
    expect(ap.requests.filter((r) => r.path === '/v1/authentication/sign-in')).toHaveLength(1);
    expect(ap.requests.find((r) => r.path.startsWith('/v1/flows?'))?.path).toContain(
      `projectId=${ap.projectId}`,
    );
  });

  it('retries an operation refused as busy (FLOW_IN_USE, then the editor lock) and then says so', async () => {
    const { ap, client } = community();
    const flow = ap.addFlow('Busy', apTrigger());
    ap.markInUse(String(flow.id), 2);
    const renamed = await client.applyOperation(String(flow.id), {
      type: 'CHANGE_NAME',
      request: { displayName: 'Renamed' },
    });
    expect(renamed.version.displayName).toBe('Renamed');
    expect(
      ap.requests.filter((r) => r.method === 'POST' && r.path === `/v1/flows/${flow.id}`),
    ).toHaveLength(3);

    ap.lockEditor(String(flow.id));
    const error = await client
      .applyOperation(String(flow.id), { type: 'CHANGE_NAME', request: { displayName: 'Again' } })
      .catch((e: unknown) => e);
    expect(isFlowSyncError(error) && error.code).toBe('remote_busy');
    expect((error as Error).message).toMatch(
      /^Someone is editing this flow in Activepieces right now \(FLOW_OPERATION_IN_PROGRESS\); PMOS tried 3 times/,
    );
  });

  it('lists a flow’s runs, newest first, a page at a time', async () => {
    const { ap, client } = community();
    const flow = ap.addFlow('Runs', apTrigger());
    ap.addRun(String(flow.id), 'SUCCEEDED');
    ap.addRun(String(flow.id), 'FAILED', { name: 'step_1', displayName: 'Delay', message: 'boom' });
    const page = await client.listRuns({ flowId: String(flow.id), cursor: null, limit: 1 });
    expect(page.data.map((r) => r.status)).toEqual(['FAILED']);
    const next = await client.listRuns({ flowId: String(flow.id), cursor: page.next, limit: 1 });
    expect(next.data.map((r) => r.status)).toEqual(['SUCCEEDED']);
  });
});

describe('the health check, in plain language', () => {
  it('says who and which project when connected', async () => {
    const ap = fakeActivepieces({ edition: 'ce' });
    const report = await checkInstance(
      { url: ap.url, email: ap.user.email, password: ap.user.password },
      ap.fetch,
    );
    expect(report).toEqual({
      ok: true,
      message: `Connected to Activepieces 0.96.2 (Community edition) as ${ap.user.email}, project ${ap.projectId}.`,
    });
  });

  it('explains unreachable, bad credentials, wrong edition and a project to choose', async () => {
    const ce = fakeActivepieces({ edition: 'ce' });
    const ee = fakeActivepieces({ edition: 'ee' });
    expect(
      (
        await checkInstance(
          { url: 'https://elsewhere.example.com', email: 'a@b.co', password: 'x' },
          ce.fetch,
        )
      ).message,
    ).toMatch(/^Activepieces at https:\/\/elsewhere.example.com cannot be reached/);
    expect(
      (
        await checkInstance(
          { url: ce.url, email: ce.user.email, password: 'wrong-password' },
          ce.fetch,
        )
      ).message,
    ).toBe('Activepieces refused the email and password.');
    expect((await checkInstance({ url: ce.url, apiKey: ce.apiKey }, ce.fetch)).message).toBe(
      'Activepieces 0.96.2 (Community edition) has no API keys: they come with the Platform and Enterprise editions. Use the email and password of an Activepieces user instead.',
    );
    expect((await checkInstance({ url: ee.url, apiKey: 'sk-nope' }, ee.fetch)).message).toBe(
      'Activepieces refused the API key: it may have been deleted, or belong to another platform.',
    );
    const ok = await checkInstance({ url: ee.url, apiKey: ee.apiKey }, ee.fetch);
    expect(ok).toEqual({
      ok: true,
      message: `Connected to Activepieces 0.96.2 (Enterprise edition) as the API key, project ${ee.projectId}.`,
    });
    expect(
      (
        await checkInstance(
          { url: ee.url, apiKey: ee.apiKey, projectId: 'AAAAAAAAAAAAAAAAAAAAA' },
          ee.fetch,
        )
      ).message,
    ).toBe(
      'These credentials cannot reach the project AAAAAAAAAAAAAAAAAAAAA: check the project id.',
    );
  });
});
