import { createHmac } from 'node:crypto';
import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceWithPlugin } from '../../testing/flowkit-workspace.js';
import type { TestClient } from '../../testing/http-client.js';
import { loadRunFixturePlugins } from '../../testing/plugin-fixtures.js';
import { query, signUpAs, startTestApp, type TestApp } from '../../testing/test-app.js';

// The flow engine end to end on the real PostgreSQL: runs started by hand and by webhooks,
// queued in pg-boss, run by the worker with per-step records, failures, retries, loops and
// routers, cancellation, time limits, a dead worker's runs reaped, schedules and polls, quotas.
const database = withTestDatabase();
let pmos: TestApp;
let admin: TestClient;
let viewer: TestClient;
let ws: string;

beforeAll(async () => {
  const plugins = await loadRunFixturePlugins();
  pmos = await startTestApp(database.url, {}, undefined, plugins, {
    runs: { timeoutSeconds: 3, syncWebhookTimeoutSeconds: 2 },
  });
  ({ admin, viewer, ws } = await workspaceWithPlugin(pmos));
});
afterAll(() => pmos.close());

type Step = Record<string, unknown>;
const kit = (
  name: string,
  actionId: string,
  input: Record<string, unknown> = {},
  extra: Step = {},
): Step => ({
  name,
  displayName: `${actionId} ${name}`,
  valid: true,
  type: 'PLUGIN',
  settings: {
    pluginId: 'flowkit',
    connectorId: 'kit',
    actionId,
    pluginVersion: '1.0.0',
    input,
    ...extra,
  },
});
function chain(steps: Step[]): Step | undefined {
  for (let i = 0; i < steps.length - 1; i++) (steps[i] as Step).nextAction = steps[i + 1];
  return steps[0];
}

/** Imports a flow with the given trigger and steps, publishes it and (optionally) enables it. */
async function publishedFlow(
  triggerId: string,
  steps: Step[],
  enable = true,
  triggerInput: Record<string, unknown> = {},
) {
  const document = {
    displayName: `Flow ${triggerId}`,
    schemaVersion: 1,
    trigger: {
      name: 'trigger',
      displayName: triggerId,
      valid: true,
      type: 'PLUGIN_TRIGGER',
      settings: {
        pluginId: 'flowkit',
        connectorId: 'kit',
        triggerId,
        pluginVersion: '1.0.0',
        input: triggerInput,
      },
      ...(steps.length > 0 ? { nextAction: chain(steps) } : {}),
    },
  };
  const created = await admin.post(`/api/workspaces/${ws}/flows/import`, {
    pmosFlowExport: 1,
    displayName: document.displayName,
    folder: null,
    tags: [],
    document,
  });
  expect(created.status, created.text).toBe(201);
  const published = await admin.post(`/api/workspaces/${ws}/flows/${created.body.id}/operations`, {
    revision: created.body.revision,
    operations: [{ type: 'LOCK_AND_PUBLISH', request: enable ? { status: 'ENABLED' } : {} }],
  });
  expect(published.status, published.text).toBe(200);
  return published.body as { id: string; webhookPath: string; revision: number };
}

async function waitForRun(
  runId: string,
  done = (run: { status: string }) => !['QUEUED', 'RUNNING'].includes(run.status),
) {
  for (let i = 0; i < 200; i++) {
    const run = await admin.get(`/api/workspaces/${ws}/runs/${runId}`);
    if (done(run.body)) return run.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`run ${runId} did not finish`);
}

const startRun = (flowId: string, body: Record<string, unknown> = {}) =>
  admin.post(`/api/workspaces/${ws}/flows/${flowId}/runs`, body);

describe('runs', () => {
  it('runs a published flow by hand: trigger event, templates, per-step records', async () => {
    const flow = await publishedFlow('manual', [
      kit('step_1', 'echo', { value: { greeting: 'Hello {{trigger.name}}' } }),
      kit('step_2', 'echo', { value: '{{step_1.value.greeting}}!' }),
    ]);
    const started = await startRun(flow.id, { payload: { name: 'Ada' } });
    expect(started.status, started.text).toBe(202);
    expect(started.body).toMatchObject({
      status: 'QUEUED',
      triggerKind: 'manual',
      flowId: flow.id,
    });
    const run = await waitForRun(started.body.id);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.steps.map((s: Step) => [s.name, s.status])).toEqual([
      ['trigger', 'SUCCEEDED'],
      ['step_1', 'SUCCEEDED'],
      ['step_2', 'SUCCEEDED'],
    ]);
    expect(run.steps[0].output).toEqual({ name: 'Ada' });
    expect(run.steps[2]).toMatchObject({
      input: { value: 'Hello Ada!' },
      output: { value: 'Hello Ada!' },
      attempts: 1,
      durationMs: expect.any(Number),
    });
    expect(run.durationMs).toEqual(expect.any(Number));
    // The flow list tells each flow's last run.
    const listedFlow = (await admin.get(`/api/workspaces/${ws}/flows`)).body.data.find(
      (f: { id: string }) => f.id === flow.id,
    );
    expect(listedFlow.lastRun).toEqual({ status: 'SUCCEEDED', at: run.createdAt });

    const listed = await viewer.get(
      `/api/workspaces/${ws}/runs?flowId=${flow.id}&status=SUCCEEDED`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((r: { id: string }) => r.id)).toContain(run.id);
    const none = await admin.get(
      `/api/workspaces/${ws}/runs?status=SUCCEEDED&to=2000-01-01T00:00:00Z`,
    );
    expect(none.body.data).toEqual([]);
    // A viewer reads runs but starts none.
    expect((await viewer.post(`/api/workspaces/${ws}/flows/${flow.id}/runs`, {})).status).toBe(403);
  });

  it('retries a failing step with back-off, and fails the run with the step named when it keeps failing', async () => {
    const recovering = await publishedFlow('manual', [
      kit(
        'step_1',
        'fail',
        { key: 'recover-1', times: 2 },
        { errorHandlingOptions: { retryOnFailure: { value: true } } },
      ),
    ]);
    const ok = await waitForRun((await startRun(recovering.id)).body.id);
    expect(ok.status).toBe('SUCCEEDED');
    expect(ok.steps[1]).toMatchObject({ status: 'SUCCEEDED', attempts: 3 });

    const failing = await publishedFlow('manual', [
      kit('step_1', 'echo', { value: 1 }),
      kit('step_2', 'fail', { key: 'fail-always', times: 99 }),
      kit('step_3', 'echo'),
    ]);
    const failed = await waitForRun((await startRun(failing.id)).body.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatchObject({ code: 'plugin_call_failed', step: 'step_2' });
    expect(failed.error.message).toContain('Planned failure');
    expect(failed.steps.map((s: Step) => s.name)).toEqual(['trigger', 'step_1', 'step_2']);
  });

  it('continues after a step that continues on failure', async () => {
    const flow = await publishedFlow('manual', [
      kit(
        'step_1',
        'fail',
        { key: 'continue-1', times: 99 },
        { errorHandlingOptions: { continueOnFailure: { value: true } } },
      ),
      kit('step_2', 'echo', { value: '{{step_1.error.code}}' }),
    ]);
    const run = await waitForRun((await startRun(flow.id)).body.id);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.steps[1].status).toBe('FAILED');
    expect(run.steps[2].output).toEqual({ value: 'plugin_call_failed' });
  });

  it('walks loops and router branches', async () => {
    const loop = {
      name: 'step_1',
      displayName: 'Each',
      valid: true,
      type: 'LOOP_ON_ITEMS',
      settings: { items: '{{trigger.items}}' },
      firstLoopAction: kit('step_2', 'echo', { value: '{{step_1.item}}' }),
    };
    const router = {
      name: 'step_3',
      displayName: 'Route',
      valid: true,
      type: 'ROUTER',
      settings: {
        executionType: 'EXECUTE_FIRST_MATCH',
        branches: [
          {
            branchType: 'CONDITION',
            branchName: 'Big',
            conditions: [
              [
                {
                  firstValue: '{{trigger.size}}',
                  operator: 'NUMBER_IS_GREATER_THAN',
                  secondValue: '10',
                },
              ],
            ],
          },
          { branchType: 'FALLBACK', branchName: 'Small' },
        ],
      },
      children: [
        kit('step_4', 'echo', { value: 'big' }),
        kit('step_5', 'echo', { value: 'small' }),
      ],
    };
    const flow = await publishedFlow('manual', [loop, router]);
    const run = await waitForRun(
      (await startRun(flow.id, { payload: { items: ['a', 'b'], size: 3 } })).body.id,
    );
    expect(run.status).toBe('SUCCEEDED');
    expect(run.steps.filter((s: Step) => s.name === 'step_2').map((s: Step) => s.output)).toEqual([
      { value: 'a' },
      { value: 'b' },
    ]);
    expect(run.steps.map((s: Step) => s.name)).toContain('step_5');
    expect(run.steps.map((s: Step) => s.name)).not.toContain('step_4');
  });

  it('cancels a running run, and times out a run over its limit', async () => {
    const flow = await publishedFlow('manual', [
      kit('step_1', 'wait', { ms: 20_000 }),
      kit('step_2', 'echo'),
    ]);
    const started = await startRun(flow.id);
    await waitForRun(started.body.id, (run) => run.status === 'RUNNING');
    const cancel = await admin.post(`/api/workspaces/${ws}/runs/${started.body.id}/cancel`, {});
    expect(cancel.status, cancel.text).toBe(200);
    const cancelled = await waitForRun(started.body.id);
    expect(cancelled.status).toBe('CANCELLED');
    // The plugin's own ctx.signal fired too: it stopped waiting, long before its 20 s.
    let aborted: unknown[] = [];
    for (let i = 0; i < 40 && aborted.length === 0; i++) {
      aborted = await query(
        pmos.orm,
        `select value from plugin_store where plugin_id = 'flowkit' and key = 'lastAbort'`,
      );
      if (aborted.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(aborted).toEqual([{ value: { ms: 20_000 } }]);
    expect(cancelled.steps[1]).toMatchObject({ name: 'step_1', status: 'FAILED' });
    expect(
      (await admin.post(`/api/workspaces/${ws}/runs/${started.body.id}/cancel`, {})).body.error
        .code,
    ).toBe('run_not_cancellable');

    const slow = await publishedFlow('manual', [kit('step_1', 'wait', { ms: 20_000 })]);
    const timedOut = await waitForRun((await startRun(slow.id)).body.id);
    expect(timedOut.status).toBe('TIMED_OUT'); // the test server's limit is 3 s
    expect(timedOut.error.code).toBe('run_timed_out');
  });

  it('retries a failed run from its failed step, keeping what succeeded before it', async () => {
    const flow = await publishedFlow('manual', [
      kit('step_1', 'echo', { value: 'kept' }),
      kit('step_2', 'fail', { key: 'retry-from-step', times: 1 }),
      kit('step_3', 'echo', { value: '{{step_1.value}}' }),
    ]);
    const first = await waitForRun((await startRun(flow.id)).body.id);
    expect(first.status).toBe('FAILED');
    const step1StartedAt = first.steps[1].startedAt;
    const retry = await admin.post(`/api/workspaces/${ws}/runs/${first.id}/retry`, {
      from: 'failed_step',
    });
    expect(retry.status, retry.text).toBe(202);
    const second = await waitForRun(first.id);
    expect(second).toMatchObject({ status: 'SUCCEEDED', attempt: 2 });
    expect(second.steps[1].startedAt).toBe(step1StartedAt); // not run again
    expect(second.steps[3].output).toEqual({ value: 'kept' });

    const again = await admin.post(`/api/workspaces/${ws}/runs/${first.id}/retry`, {
      from: 'start',
    });
    expect(again.body.error.code).toBe('run_not_retryable'); // it succeeded
  });

  it('finishes the runs of a worker that died (no heartbeat) through the reaper', async () => {
    const flow = await publishedFlow('manual', [kit('step_1', 'echo')]);
    const [row] = await query(
      pmos.orm,
      `insert into flow_run (id, workspace_id, flow_id, flow_version_id, trigger_kind, status,
         worker_id, heartbeat_at, started_at)
       select gen_random_uuid(), workspace_id, id, published_version_id, 'manual', 'RUNNING',
         'dead-worker', now() - interval '10 minutes', now() - interval '10 minutes'
       from flow where id = ? returning id`,
      [flow.id],
    );
    const reaped = await pmos.runs?.runtime.worker?.reap();
    expect(reaped?.reaped).toContain(row.id);
    const run = await admin.get(`/api/workspaces/${ws}/runs/${row.id}`);
    expect(run.body).toMatchObject({ status: 'FAILED', error: { code: 'worker_lost' } });
    const stuck = await query(
      pmos.orm,
      `select count(*)::int as n from flow_run where status = 'RUNNING' and heartbeat_at < now() - interval '1 minute'`,
    );
    expect(stuck[0].n).toBe(0);
  });

  it('resends the job of a run accepted but never sent', async () => {
    const flow = await publishedFlow('manual', [kit('step_1', 'echo', { value: 'late' })]);
    const [row] = await query(
      pmos.orm,
      `insert into flow_run (id, workspace_id, flow_id, flow_version_id, trigger_kind, trigger_payload,
         payload_is_event, created_at)
       select gen_random_uuid(), workspace_id, id, published_version_id, 'manual', '{}', true,
         now() - interval '5 minutes'
       from flow where id = ? returning id`,
      [flow.id],
    );
    const reaped = await pmos.runs?.runtime.worker?.reap();
    expect(reaped?.resent).toBeGreaterThanOrEqual(1);
    expect((await waitForRun(row.id)).status).toBe('SUCCEEDED');
  });
});

describe('runs, more', () => {
  it('streams a run live (server-sent events) until it ends', async () => {
    const flow = await publishedFlow('manual', [
      kit('step_1', 'wait', { ms: 400 }),
      kit('step_2', 'echo', { value: 'done' }),
    ]);
    const started = await startRun(flow.id);
    const response = await fetch(
      `${pmos.url}/api/workspaces/${ws}/runs/${started.body.id}/events`,
      {
        headers: { cookie: `pmos_session=${admin.cookie}` },
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text(); // the server ends the stream when the run ends
    const runs = text
      .split('\n\n')
      .filter((chunk) => chunk.includes('event: run'))
      .map((chunk) => JSON.parse(chunk.split('data: ')[1] ?? '{}'));
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.some((r) => r.status === 'RUNNING')).toBe(true);
    expect(runs.at(-1)).toMatchObject({ status: 'SUCCEEDED' });
    expect(runs.at(-1).steps.map((s: Step) => s.name)).toEqual(['trigger', 'step_1', 'step_2']);
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual(ids.map((_, i) => i + 1));

    const gone = await admin.get(`/api/workspaces/${ws}/runs/${crypto.randomUUID()}/events`);
    expect(gone.status).toBe(404);
  });

  it('test-runs a draft with sample data, and refuses an incomplete one', async () => {
    const flow = await publishedFlow(
      'manual',
      [kit('step_1', 'echo', { value: '{{trigger.sample}}' })],
      false,
    );
    const run = await waitForRun(
      (await startRun(flow.id, { version: 'draft', payload: { sample: 'from the studio' } })).body
        .id,
    );
    expect(run).toMatchObject({ status: 'SUCCEEDED', draft: true, triggerKind: 'test' });
    expect(run.steps[1].output).toEqual({ value: 'from the studio' });

    const empty = await admin.post(`/api/workspaces/${ws}/flows`, { displayName: 'Empty' });
    const refused = await startRun(empty.body.id, { version: 'draft' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('flow_has_no_trigger');
    const unpublished = await startRun(empty.body.id);
    expect(unpublished.body.error.code).toBe('flow_not_published');
  });

  it('fails a code step that exceeds its limits cleanly, and the worker goes on', async () => {
    const code = (name: string, source: string): Step => ({
      name,
      displayName: 'Code',
      valid: true,
      type: 'CODE',
      settings: { sourceCode: { code: source }, input: { n: '{{trigger.n}}' } },
    });
    const flow = await publishedFlow('manual', [code('step_1', 'while (true) {}')]);
    const run = await waitForRun((await startRun(flow.id, { payload: { n: 2 } })).body.id);
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatchObject({ code: 'code_timeout', step: 'step_1' });
    const fine = await publishedFlow('manual', [
      code('step_1', 'console.log("n is", inputs.n); return inputs.n * 21;'),
    ]);
    const ok = await waitForRun((await startRun(fine.id, { payload: { n: 2 } })).body.id);
    expect(ok.steps[1]).toMatchObject({ status: 'SUCCEEDED', output: 42, logs: ['n is 2'] });
  });

  it("keeps a workspace's stored run data under its limit, deleting its oldest runs", async () => {
    const root = pmos.client();
    await root.post('/api/auth/sign-in', {
      email: 'root@example.com',
      password: 'correct horse battery staple',
    });
    const other = pmos.client();
    const otherWs = (await signUpAs(other, 'storage@example.com')).workspaces[0]?.id ?? '';
    const flow = await publishedFlow('manual', [
      kit('step_1', 'echo', { value: '{{trigger.big}}' }),
    ]);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      // About 750 KB each: the delivery, and the value as trigger and step input and output.
      const started = await startRun(flow.id, { payload: { big: `${i}`.repeat(150_000) } });
      ids.push((await waitForRun(started.body.id)).id);
    }
    // Another workspace's 5 MB run: under its own (default) limit, it must stay.
    const otherFlow = await other.post(`/api/workspaces/${otherWs}/flows`, {
      displayName: 'Theirs',
    });
    const [theirs] = await query(
      pmos.orm,
      `insert into flow_run (id, workspace_id, flow_id, draft_document, trigger_kind, status,
         finished_at, data_bytes)
       values (gen_random_uuid(), ?, ?, '{}', 'test', 'SUCCEEDED', now(), ?) returning id`,
      [otherWs, otherFlow.body.id, 5 * 1024 * 1024],
    );
    await root.put('/api/admin/limits', {
      limitName: 'run_data_megabytes',
      subject: `workspace:${ws}`,
      value: 1,
    });
    await pmos.rateLimiter.reloadOverrides();
    const reaped = await pmos.runs?.runtime.worker?.reap({ storage: true });
    expect(reaped?.pruned).toBeGreaterThanOrEqual(2);
    const left = await query(pmos.orm, `select id from flow_run where id = any(?::uuid[])`, [
      `{${ids.join(',')}}`,
    ]);
    expect(left.map((r) => r.id)).toEqual([ids[2]]); // the newest stays
    const [used] = await query(
      pmos.orm,
      'select coalesce(sum(data_bytes), 0)::int as bytes from flow_run where workspace_id = ? and finished_at is not null',
      [ws],
    );
    expect(used.bytes).toBeLessThanOrEqual(1024 * 1024);
    // Settings › Usage shows the stored data against the limit, in whole megabytes.
    const usage = await admin.get(`/api/workspaces/${ws}/usage`);
    expect(usage.body.limits).toContainEqual({
      name: 'run_data_megabytes',
      limit: 1,
      used: Math.ceil(used.bytes / 1_048_576),
      resetsAt: null,
    });
    expect(await query(pmos.orm, 'select id from flow_run where id = ?', [theirs.id])).toEqual([
      { id: theirs.id },
    ]);
    await root.put('/api/admin/limits', {
      limitName: 'run_data_megabytes',
      subject: `workspace:${ws}`,
      value: null,
    });
    await pmos.rateLimiter.reloadOverrides();
  });

  it('deletes finished runs past their retention', async () => {
    const flow = await publishedFlow('manual', [kit('step_1', 'echo')]);
    const [old] = await query(
      pmos.orm,
      `insert into flow_run (id, workspace_id, flow_id, flow_version_id, trigger_kind, status,
         created_at, finished_at)
       select gen_random_uuid(), workspace_id, id, published_version_id, 'manual', 'SUCCEEDED',
         now() - interval '40 days', now() - interval '40 days'
       from flow where id = ? returning id`,
      [flow.id],
    );
    const reaped = await pmos.runs?.runtime.worker?.reap();
    expect(reaped?.deleted).toBeGreaterThanOrEqual(1);
    expect((await admin.get(`/api/workspaces/${ws}/runs/${old.id}`)).status).toBe(404);
  });
});

describe('webhooks', () => {
  it("keeps the body's exact text for a trigger that checks a signature over it", async () => {
    const flow = await publishedFlow('signed', [kit('step_1', 'echo')], true, { secret: 'shh' });
    // Spacing and key order a JSON parser would not keep: the signature covers these bytes.
    const text = '{ "b": 2,\n  "a": [1, 2] }';
    const signature = `sha256=${createHmac('sha256', 'shh').update(text).digest('hex')}`;
    const deliver = (sig: string) =>
      fetch(`${pmos.url}${flow.webhookPath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig },
        body: text,
      }).then(async (r) => waitForRun(((await r.json()) as { runId: string }).runId));
    const signed = await deliver(signature);
    expect(signed.status).toBe('SUCCEEDED');
    expect(signed.steps[0].output).toEqual({ verified: true, body: { b: 2, a: [1, 2] } });
    const forged = await deliver(`sha256=${'0'.repeat(64)}`);
    expect(forged.status).toBe('SKIPPED');

    // A trigger that does not ask for it gets the parsed body only.
    const plain = await publishedFlow('hook', [kit('step_1', 'echo')]);
    const response = await fetch(`${pmos.url}${plain.webhookPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });
    const run = await waitForRun(((await response.json()) as { runId: string }).runId);
    expect(run.steps[0].output.body).toEqual({ b: 2, a: [1, 2] });
    expect(run.steps[0].output).not.toHaveProperty('rawBody');
  });

  it('answers 202 with the run id once the delivery is stored, and runs it', async () => {
    const flow = await publishedFlow('hook', [
      kit('step_1', 'echo', { value: '{{trigger.body.order}}' }),
    ]);
    const response = await fetch(`${pmos.url}${flow.webhookPath}?source=shop`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'pmos_session=nope' },
      body: JSON.stringify({ order: 42 }),
    });
    expect(response.status).toBe(202);
    const { runId } = (await response.json()) as { runId: string };
    const run = await waitForRun(runId);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.triggerKind).toBe('webhook');
    expect(run.steps[0].output).toMatchObject({
      method: 'POST',
      query: { source: 'shop' },
      body: { order: 42 },
    });
    expect(run.steps[0].output.headers.cookie).toBeUndefined();
    expect(run.steps[1].output).toEqual({ value: 42 });

    const form = await fetch(`${pmos.url}${flow.webhookPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'order=7&x=y',
    });
    const formRun = await waitForRun(((await form.json()) as { runId: string }).runId);
    expect(formRun.steps[1].output).toEqual({ value: '7' });
  });

  it("starts a sync webhook at once only while the workspace's runs on every worker leave room", async () => {
    const root = pmos.client();
    await root.post('/api/auth/sign-in', {
      email: 'root@example.com',
      password: 'correct horse battery staple',
    });
    const flow = await publishedFlow('hook', [kit('step_1', 'respond', { status: 200 })]);
    // Started on the spot: stored RUNNING in one statement. Queued: claimed later by a worker.
    const startedOnTheSpot = async (response: Response) => {
      expect(response.status).toBe(200);
      const [run] = (await admin.get(`/api/workspaces/${ws}/runs?flowId=${flow.id}&limit=1`)).body
        .data;
      const [row] = await query(
        pmos.orm,
        'select started_at = created_at as at_once from flow_run where id = ?',
        [run.id],
      );
      return row.at_once as boolean;
    };
    const subject = `workspace:${ws}`;
    const sync = () => fetch(`${pmos.url}${flow.webhookPath}/sync`, { method: 'POST' });
    await root.put('/api/admin/limits', { limitName: 'concurrent_flow_runs', subject, value: 1 });
    await pmos.rateLimiter.reloadOverrides();
    // Room: this worker starts it on the spot.
    expect(await startedOnTheSpot(await sync())).toBe(true);
    // Another worker runs one of the workspace's runs: the delivery waits its turn in the queue.
    const [other] = await query(
      pmos.orm,
      `insert into flow_run (id, workspace_id, flow_id, flow_version_id, trigger_kind, status,
         worker_id, started_at, heartbeat_at)
       select gen_random_uuid(), workspace_id, id, published_version_id, 'manual', 'RUNNING',
         'other-worker', now(), now()
         from flow where id = ? returning id`,
      [flow.id],
    );
    try {
      expect(await startedOnTheSpot(await sync())).toBe(false);
    } finally {
      await query(pmos.orm, 'delete from flow_run where id = ?', [other.id]);
      await root.put('/api/admin/limits', {
        limitName: 'concurrent_flow_runs',
        subject,
        value: null,
      });
      await pmos.rateLimiter.reloadOverrides();
    }
  });

  it('waits in sync mode for the webhook response step, and answers with it', async () => {
    const flow = await publishedFlow('hook', [
      kit('step_1', 'respond', { status: 201, body: { hello: '{{trigger.body.name}}' } }),
      kit('step_2', 'wait', { ms: 500 }),
    ]);
    const started = Date.now();
    const response = await fetch(`${pmos.url}${flow.webhookPath}/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada' }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ hello: 'Ada' });
    expect(Date.now() - started).toBeLessThan(500); // answered before the run's end
    const [answeredRun] = (await admin.get(`/api/workspaces/${ws}/runs?flowId=${flow.id}`)).body
      .data;
    const recorded = await waitForRun(answeredRun.id);
    expect(recorded.response).toEqual({ status: 201, headers: {}, body: { hello: 'Ada' } });

    // The flow sees the caller's credentials; the run's record never keeps them.
    const secretive = await publishedFlow('hook', [
      kit('step_1', 'respond', { status: 200, body: { got: '{{trigger.headers.authorization}}' } }),
    ]);
    const bearer = 'Bearer s3cr3t-token-0123456789';
    const echoed = await fetch(`${pmos.url}${secretive.webhookPath}/sync`, {
      method: 'POST',
      headers: { authorization: bearer },
    });
    expect(await echoed.json()).toEqual({ got: bearer });
    const [secretRun] = (await admin.get(`/api/workspaces/${ws}/runs?flowId=${secretive.id}`)).body
      .data;
    const secretRecord = await waitForRun(secretRun.id);
    expect(JSON.stringify(secretRecord)).not.toContain('s3cr3t-token-0123456789');
    expect(secretRecord.steps[0].input.headers.authorization).toBe('[redacted]');

    const silent = await publishedFlow('hook', [kit('step_1', 'echo')]);
    const finished = await fetch(`${pmos.url}${silent.webhookPath}/sync`, { method: 'POST' });
    expect(finished.status).toBe(200);
    expect(await finished.json()).toMatchObject({ status: 'SUCCEEDED', error: null });

    const slow = await publishedFlow('hook', [kit('step_1', 'wait', { ms: 2500 })]);
    const timeout = await fetch(`${pmos.url}${slow.webhookPath}/sync`, { method: 'POST' });
    expect(timeout.status).toBe(504);
    expect(((await timeout.json()) as { error: { code: string } }).error.code).toBe(
      'webhook_response_timeout',
    );
  });

  it('refuses wrong secrets, disabled flows, bad JSON and oversized bodies with clear codes', async () => {
    const flow = await publishedFlow('hook', [kit('step_1', 'echo')], false);
    const disabled = await fetch(`${pmos.url}${flow.webhookPath}`, { method: 'POST' });
    expect(disabled.status).toBe(404);
    const enabled = await publishedFlow('hook', [kit('step_1', 'echo')]);
    const wrong = await fetch(`${pmos.url}/hooks/${enabled.id}/${'0'.repeat(64)}`, {
      method: 'POST',
    });
    expect(wrong.status).toBe(404);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe(
      'webhook_not_found',
    );
    // A secret that differs in its last character only is refused as well, sync or not.
    const secret = enabled.webhookPath.split('/').at(-1) ?? '';
    const near = `${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
    for (const suffix of ['', '/sync']) {
      const almost = await fetch(`${pmos.url}/hooks/${enabled.id}/${near}${suffix}`, {
        method: 'POST',
      });
      expect(almost.status).toBe(404);
      await almost.arrayBuffer();
    }
    const badJson = await fetch(`${pmos.url}${enabled.webhookPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"nope',
    });
    expect(badJson.status).toBe(400);
    const huge = await fetch(`${pmos.url}${enabled.webhookPath}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(1024 * 1024 + 10),
    });
    expect(huge.status).toBe(413);
  });

  it('skips a delivery the trigger makes no event of, and splits one that makes several', async () => {
    const flow = await publishedFlow('hook', [kit('step_1', 'echo', { value: '{{trigger.n}}' })]);
    const skipped = await fetch(`${pmos.url}${flow.webhookPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ skip: true }),
    });
    expect((await waitForRun(((await skipped.json()) as { runId: string }).runId)).status).toBe(
      'SKIPPED',
    );
    const many = await fetch(`${pmos.url}${flow.webhookPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ many: [{ n: 1 }, { n: 2 }, { n: 3 }] }),
    });
    await waitForRun(((await many.json()) as { runId: string }).runId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const runs = await admin.get(`/api/workspaces/${ws}/runs?flowId=${flow.id}&status=SUCCEEDED`);
    const values = runs.body.data.map((r: { id: string }) => r.id);
    expect(values.length).toBe(3);
  });
});

describe('triggers and quotas', () => {
  it('registers a schedule for an enabled schedule flow, and a firing runs it', async () => {
    const flow = await publishedFlow('tick', [
      kit('step_1', 'echo', { value: '{{trigger.firedAt}}' }),
    ]);
    const schedules = await query(pmos.orm, `select key, cron from pgboss.schedule where key = ?`, [
      flow.id,
    ]);
    expect(schedules).toEqual([{ key: flow.id, cron: '* * * * *' }]);
    const [queued] = (await pmos.runs?.triggers.fire({ flowId: flow.id, workspaceId: ws })) ?? [];
    const run = await waitForRun(queued?.runId ?? '');
    expect(run).toMatchObject({ status: 'SUCCEEDED', triggerKind: 'schedule' });
    expect(run.steps[1].output.value).toMatch(/^\d{4}-\d\d-\d\dT/);

    await admin.post(`/api/workspaces/${ws}/flows/${flow.id}/operations`, {
      revision: flow.revision,
      operations: [{ type: 'CHANGE_STATUS', request: { status: 'DISABLED' } }],
    });
    expect(
      await query(pmos.orm, `select key from pgboss.schedule where key = ?`, [flow.id]),
    ).toEqual([]);
  });

  it('fires an enabled schedule by itself (pg-boss cron), runs it, and stops when disabled', async () => {
    const flow = await publishedFlow('tick', [kit('step_1', 'echo', { value: 'tick' })]);
    let runs: { id: string; triggerKind: string }[] = [];
    for (let i = 0; i < 150 && runs.length === 0; i++) {
      runs = (await admin.get(`/api/workspaces/${ws}/runs?flowId=${flow.id}`)).body.data;
      if (runs.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(runs[0]?.triggerKind).toBe('schedule');
    expect((await waitForRun(runs[0]?.id ?? '')).status).toBe('SUCCEEDED');
    await admin.post(`/api/workspaces/${ws}/flows/${flow.id}/operations`, {
      revision: flow.revision,
      operations: [{ type: 'CHANGE_STATUS', request: { status: 'DISABLED' } }],
    });
  });

  it('turns only new polled events into runs (dedupe by the trigger key)', async () => {
    const flow = await publishedFlow('poll', [kit('step_1', 'echo', { value: '{{trigger.id}}' })]);
    await query(
      pmos.orm,
      `insert into plugin_store (workspace_id, plugin_id, scope, scope_id, key, value)
       values (?, 'flowkit', 'workspace', '', 'items', '[{"id":"a"},{"id":"b"}]')`,
      [ws],
    );
    const first = (await pmos.runs?.triggers.fire({ flowId: flow.id, workspaceId: ws })) ?? [];
    expect(first).toHaveLength(2);
    await query(
      pmos.orm,
      `update plugin_store set value = '[{"id":"a"},{"id":"b"},{"id":"c"}]' where workspace_id = ? and key = 'items'`,
      [ws],
    );
    const second = (await pmos.runs?.triggers.fire({ flowId: flow.id, workspaceId: ws })) ?? [];
    expect(second).toHaveLength(1);
    const run = await waitForRun(second[0]?.runId ?? '');
    expect(run.steps[1].output).toEqual({ value: 'c' });
  });

  it('refuses runs over the daily quota, by hand and by webhook', async () => {
    const root = pmos.client();
    await root.post('/api/auth/sign-in', {
      email: 'root@example.com',
      password: 'correct horse battery staple',
    });
    const flow = await publishedFlow('hook', [kit('step_1', 'echo')]);
    const used = await query(
      pmos.orm,
      `select coalesce(sum(used), 0)::int as n from quota_usage where workspace_id = ?`,
      [ws],
    );
    const set = await root.put('/api/admin/limits', {
      limitName: 'flow_runs_per_day',
      subject: `workspace:${ws}`,
      value: used[0].n,
    });
    expect(set.status, set.text).toBe(200);
    await pmos.rateLimiter.reloadOverrides();
    const manual = await startRun(flow.id);
    expect(manual.status).toBe(429);
    expect(manual.body.error.code).toBe('quota_exceeded');
    const hook = await fetch(`${pmos.url}${flow.webhookPath}`, { method: 'POST' });
    expect(hook.status).toBe(429);
    const sync = await fetch(`${pmos.url}${flow.webhookPath}/sync`, { method: 'POST' });
    expect(sync.status).toBe(429);
    const stored = await query(
      pmos.orm,
      `select count(*)::int as n from flow_run where flow_id = ?`,
      [flow.id],
    );
    expect(stored[0].n).toBe(0);
  });

  it('refuses a webhook flood with 429 and Retry-After, starting no runs for it', async () => {
    const root = pmos.client();
    await root.post('/api/auth/sign-in', {
      email: 'root@example.com',
      password: 'correct horse battery staple',
    });
    const flow = await publishedFlow('hook', [kit('step_1', 'echo')]);
    const subject = `workspace:${ws}`;
    await root.put('/api/admin/limits', { limitName: 'flow_runs_per_day', subject, value: null });
    // Budgets are per clock minute: start with enough of it left that the counts below hold.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
    await root.put('/api/admin/limits', {
      limitName: 'webhook_requests_per_minute',
      subject,
      value: 3,
    });
    await pmos.rateLimiter.reloadOverrides();
    const statuses: number[] = [];
    let refusal: Response | undefined;
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${pmos.url}${flow.webhookPath}`, { method: 'POST' });
      statuses.push(response.status);
      if (response.status === 429) refusal ??= response;
      else await response.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(3);
    expect(statuses.slice(-3)).toEqual([429, 429, 429]);
    expect(Number(refusal?.headers.get('retry-after'))).toBeGreaterThan(0);
    const refused = (await refusal?.json()) as { error: { code: string } } | undefined;
    expect(refused?.error.code).toBe('rate_limited');
    const stored = await query(
      pmos.orm,
      'select count(*)::int as n from flow_run where flow_id = ?',
      [flow.id],
    );
    expect(stored[0].n).toBe(statuses.filter((s) => s === 202).length);
    await root.put('/api/admin/limits', {
      limitName: 'webhook_requests_per_minute',
      subject,
      value: null,
    });
  });

  it('leaves polled events over the quota for a later poll, instead of losing them', async () => {
    const root = pmos.client();
    await root.post('/api/auth/sign-in', {
      email: 'root@example.com',
      password: 'correct horse battery staple',
    });
    const flow = await publishedFlow('poll', [kit('step_1', 'echo', { value: '{{trigger.id}}' })]);
    await query(
      pmos.orm,
      `update plugin_store set value = '[{"id":"q1"},{"id":"q2"}]' where workspace_id = ? and key = 'items'`,
      [ws],
    );
    const subject = `workspace:${ws}`;
    const used = await query(
      pmos.orm,
      'select coalesce(sum(used), 0)::int as n from quota_usage where workspace_id = ?',
      [ws],
    );
    await root.put('/api/admin/limits', {
      limitName: 'flow_runs_per_day',
      subject,
      value: used[0].n + 1,
    });
    await pmos.rateLimiter.reloadOverrides();
    await expect(
      pmos.runs?.triggers.fire({ flowId: flow.id, workspaceId: ws }),
    ).rejects.toMatchObject({
      code: 'quota_exceeded',
    });
    await root.put('/api/admin/limits', { limitName: 'flow_runs_per_day', subject, value: null });
    await pmos.rateLimiter.reloadOverrides();
    const later = (await pmos.runs?.triggers.fire({ flowId: flow.id, workspaceId: ws })) ?? [];
    expect(later).toHaveLength(1);
    const run = await waitForRun(later[0]?.runId ?? '');
    expect(run.steps[1].output).toEqual({ value: 'q2' });
    const all = await query(pmos.orm, 'select count(*)::int as n from flow_run where flow_id = ?', [
      flow.id,
    ]);
    expect(all[0].n).toBe(2);
  });
});
