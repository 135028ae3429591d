import type { Action, CodeAction, Flow, PluginAction } from '@pmos/flow';
import { describe, expect, it } from 'vitest';
import { PmosError } from '../errors.js';
import {
  executeFlow,
  RunAbort,
  type StepExecution,
  StepExecutionError,
  type StepExecutor,
} from './engine.js';
import { isTruncated, type StepRecord } from './records.js';

const plugin = (
  name: string,
  input: Record<string, unknown> = {},
  errorHandling?: PluginAction['settings']['errorHandlingOptions'],
): PluginAction => ({
  name,
  displayName: `Step ${name}`,
  valid: true,
  type: 'PLUGIN',
  settings: {
    pluginId: 'acme',
    connectorId: 'acme',
    actionId: 'echo',
    pluginVersion: '1.0.0',
    input: input as PluginAction['settings']['input'],
    ...(errorHandling ? { errorHandlingOptions: errorHandling } : {}),
  },
});

/** Links steps into a chain (each the next of the one before). */
function chain(...steps: Action[]): Action | undefined {
  for (let i = 0; i < steps.length - 1; i++) (steps[i] as Action).nextAction = steps[i + 1];
  return steps[0];
}

function flowOf(...steps: Action[]): Flow {
  const first = chain(...steps);
  return {
    displayName: 'Test',
    schemaVersion: 1,
    trigger: {
      name: 'trigger',
      displayName: 'Manual',
      valid: true,
      type: 'PLUGIN_TRIGGER',
      settings: {
        pluginId: 'core',
        connectorId: 'core',
        triggerId: 'manual',
        pluginVersion: '1.0.0',
        input: {},
      },
      ...(first ? { nextAction: first } : {}),
    },
  } as Flow;
}

const triggerRecord: StepRecord = {
  name: 'trigger',
  displayName: 'Manual',
  type: 'TRIGGER',
  status: 'SUCCEEDED',
  attempts: 1,
  startedAt: new Date().toISOString(),
};

/** Echoes its input; fails the step names listed, `times` times (Infinity: always). */
function echoExecutor(failing: Record<string, number> = {}): StepExecutor & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async run(step, input, signal): Promise<StepExecution> {
      calls.push(step.name);
      if (input.waitMs) {
        await new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, Number(input.waitMs));
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason);
          });
        });
      }
      const left = failing[step.name] ?? 0;
      if (left > 0) {
        failing[step.name] = left - 1;
        throw new StepExecutionError(new PmosError('acme_down', `Acme is down (${step.name})`), {
          ...input,
          masked: true,
        });
      }
      return { output: { echoed: input }, recordedInput: input };
    },
  };
}

const run = (
  flow: Flow,
  executor: StepExecutor,
  extra: Partial<Parameters<typeof executeFlow>[0]> = {},
) =>
  executeFlow({
    flow,
    triggerOutput: { body: { name: 'Ada', items: [1, 2, 3] } },
    triggerRecord,
    executor,
    signal: new AbortController().signal,
    limits: { retryDelaysMs: [1, 1] },
    ...extra,
  });

describe('executeFlow', () => {
  it('runs a chain, resolving templates against the trigger and earlier outputs', async () => {
    const executor = echoExecutor();
    const outcome = await run(
      flowOf(
        plugin('step_1', { greeting: 'Hello {{trigger.body.name}}' }),
        plugin('step_2', { previous: '{{step_1.echoed.greeting}}', missing: '{{step_1.nope}}' }),
      ),
      executor,
    );
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.records.map((r) => [r.name, r.status])).toEqual([
      ['trigger', 'SUCCEEDED'],
      ['step_1', 'SUCCEEDED'],
      ['step_2', 'SUCCEEDED'],
    ]);
    expect(outcome.records[2]?.output).toEqual({ echoed: { previous: 'Hello Ada' } });
    expect(outcome.records[1]).toMatchObject({ attempts: 1, durationMs: expect.any(Number) });
  });

  it('stops at a failing step, recording its masked input and the error', async () => {
    const executor = echoExecutor({ step_1: Number.POSITIVE_INFINITY });
    const outcome = await run(flowOf(plugin('step_1', { a: 1 }), plugin('step_2')), executor);
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toEqual({
      code: 'acme_down',
      message: 'Acme is down (step_1)',
      step: 'step_1',
    });
    expect(outcome.records.at(-1)).toMatchObject({
      name: 'step_1',
      status: 'FAILED',
      input: { a: 1, masked: true },
    });
    expect(executor.calls).toEqual(['step_1']);
  });

  it('retries a step with back-off when asked, and counts the attempts', async () => {
    const executor = echoExecutor({ step_1: 2 });
    const outcome = await run(
      flowOf(plugin('step_1', {}, { retryOnFailure: { value: true } })),
      executor,
    );
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.records[1]).toMatchObject({ status: 'SUCCEEDED', attempts: 3 });
  });

  it('continues after a failing step that continues on failure, exposing its error', async () => {
    const executor = echoExecutor({ step_1: Number.POSITIVE_INFINITY });
    const outcome = await run(
      flowOf(
        plugin('step_1', {}, { continueOnFailure: { value: true } }),
        plugin('step_2', { why: '{{step_1.error.code}}' }),
      ),
      executor,
    );
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.records[1]?.status).toBe('FAILED');
    expect(outcome.records[2]?.output).toEqual({ echoed: { why: 'acme_down' } });
  });

  it('runs a loop body once per item with item and index', async () => {
    const executor = echoExecutor();
    const loop: Action = {
      name: 'step_1',
      displayName: 'Each item',
      valid: true,
      type: 'LOOP_ON_ITEMS',
      settings: { items: '{{trigger.body.items}}' },
      firstLoopAction: plugin('step_2', { item: '{{step_1.item}}', index: '{{step_1.index}}' }),
    };
    const outcome = await run(
      flowOf(loop, plugin('step_3', { n: '{{step_1.iterations}}' })),
      executor,
    );
    expect(outcome.status).toBe('SUCCEEDED');
    const inner = outcome.records.filter((r) => r.name === 'step_2');
    expect(inner.map((r) => [r.iteration, r.output])).toEqual([
      [[0], { echoed: { item: 1, index: 0 } }],
      [[1], { echoed: { item: 2, index: 1 } }],
      [[2], { echoed: { item: 3, index: 2 } }],
    ]);
    expect(outcome.records.at(-1)?.output).toEqual({ echoed: { n: 3 } });
  });

  it('fails a loop whose items are not a list, saying what it found', async () => {
    const loop: Action = {
      name: 'step_1',
      displayName: 'Each item',
      valid: true,
      type: 'LOOP_ON_ITEMS',
      settings: { items: '{{trigger.body}}' },
    };
    const outcome = await run(flowOf(loop), echoExecutor());
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error?.code).toBe('invalid_loop_items');
    expect(outcome.error?.message).toMatch(/expected a list of items, got an object/);
  });

  it('takes the first matching router branch, or the fallback', async () => {
    const router = (name: string): Action => ({
      name: 'step_1',
      displayName: 'Route',
      valid: true,
      type: 'ROUTER',
      settings: {
        executionType: 'EXECUTE_FIRST_MATCH',
        branches: [
          {
            branchType: 'CONDITION',
            branchName: 'Is Ada',
            conditions: [
              [
                {
                  firstValue: '{{trigger.body.name}}',
                  operator: 'TEXT_EXACTLY_MATCHES',
                  secondValue: name,
                },
              ],
            ],
          },
          { branchType: 'FALLBACK', branchName: 'Otherwise' },
        ],
      },
      children: [plugin('step_2'), plugin('step_3')],
    });
    const matched = echoExecutor();
    expect((await run(flowOf(router('ada')), matched)).status).toBe('SUCCEEDED');
    expect(matched.calls).toEqual(['step_2']);
    const fallback = echoExecutor();
    const outcome = await run(flowOf(router('Grace')), fallback);
    expect(fallback.calls).toEqual(['step_3']);
    expect(outcome.records.find((r) => r.name === 'step_1')?.output).toEqual({
      branches: ['Otherwise'],
    });
  });

  it('skips steps marked skip', async () => {
    const skipped = { ...plugin('step_1'), skip: true };
    const executor = echoExecutor();
    const outcome = await run(flowOf(skipped, plugin('step_2')), executor);
    expect(outcome.records[1]?.status).toBe('SKIPPED');
    expect(executor.calls).toEqual(['step_2']);
  });

  it('ends CANCELLED or TIMED_OUT with the running step failed when the signal aborts', async () => {
    for (const kind of ['CANCELLED', 'TIMED_OUT'] as const) {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new RunAbort(kind)), 20);
      const outcome = await run(
        flowOf(plugin('step_1', { waitMs: 5000 }), plugin('step_2')),
        echoExecutor(),
        {
          signal: controller.signal,
        },
      );
      expect(outcome.status).toBe(kind);
      expect(outcome.records[1]).toMatchObject({ status: 'FAILED' });
      expect(outcome.records.some((r) => r.name === 'step_2')).toBe(false);
    }
  });

  it('truncates recorded values over the limit with a marker, keeping the real value for later steps', async () => {
    const big = 'x'.repeat(5000);
    const outcome = await run(
      flowOf(plugin('step_1', { big }), plugin('step_2', { length: '{{step_1.echoed.big}}' })),
      echoExecutor(),
      { limits: { maxRecordedBytes: 1000 } },
    );
    const first = outcome.records[1];
    expect(isTruncated(first?.output)).toBe(true);
    expect(first?.output).toMatchObject({
      bytes: expect.any(Number),
      preview: expect.stringContaining('xxx'),
    });
    expect(isTruncated(outcome.records[2]?.output)).toBe(true);
  });

  it('stops recording beyond the record limit and counts what it dropped', async () => {
    const loop: Action = {
      name: 'step_1',
      displayName: 'Each item',
      valid: true,
      type: 'LOOP_ON_ITEMS',
      settings: { items: '{{trigger.body.many}}' },
      firstLoopAction: plugin('step_2'),
    };
    const outcome = await run(flowOf(loop), echoExecutor(), {
      triggerOutput: { body: { many: Array.from({ length: 50 }, (_, i) => i) } },
      limits: { maxRecords: 10 },
    });
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.records).toHaveLength(10);
    expect(outcome.recordsDropped).toBe(42);
  });

  it('resumes from a failed top-level step with the earlier outputs, not running them again', async () => {
    const flow = flowOf(
      plugin('step_1', { a: 1 }),
      plugin('step_2', { from1: '{{step_1.echoed.a}}' }),
    );
    const first = await run(flow, echoExecutor({ step_2: 1 }));
    expect(first.status).toBe('FAILED');
    const executor = echoExecutor();
    const resumed = await run(flow, executor, {
      resume: { fromStep: 'step_2', previous: first.records },
    });
    expect(executor.calls).toEqual(['step_2']);
    expect(resumed.status).toBe('SUCCEEDED');
    expect(resumed.records.map((r) => [r.name, r.status])).toEqual([
      ['trigger', 'SUCCEEDED'],
      ['step_1', 'SUCCEEDED'],
      ['step_2', 'SUCCEEDED'],
    ]);
    expect(resumed.records[2]?.output).toEqual({ echoed: { from1: 1 } });
  });

  it('refuses to resume after a step whose output was truncated', async () => {
    const flow = flowOf(plugin('step_1', { big: 'y'.repeat(3000) }), plugin('step_2'));
    const first = await run(flow, echoExecutor({ step_2: 1 }), {
      limits: { maxRecordedBytes: 500 },
    });
    const resumed = await run(flow, echoExecutor(), {
      resume: { fromStep: 'step_2', previous: first.records },
    });
    expect(resumed.status).toBe('FAILED');
    expect(resumed.error?.code).toBe('run_data_truncated');
  });

  it('refuses to resume after a step whose output held masked secrets', async () => {
    const flow = flowOf(plugin('step_1'), plugin('step_2'));
    const previous: StepRecord[] = [
      triggerRecord,
      { ...triggerRecord, name: 'step_1', type: 'PLUGIN', output: { token: '[redacted]' } },
    ];
    const resumed = await run(flow, echoExecutor(), { resume: { fromStep: 'step_2', previous } });
    expect(resumed.status).toBe('FAILED');
    expect(resumed.error?.code).toBe('run_data_masked');
  });

  it("records a code step's console output", async () => {
    const code: CodeAction = {
      name: 'step_1',
      displayName: 'Code',
      valid: true,
      type: 'CODE',
      settings: { sourceCode: { code: 'return 1' }, input: {} },
    };
    const outcome = await run(flowOf(code), {
      run: async () => ({ output: 1, recordedInput: {}, logs: ['hello'] }),
    });
    expect(outcome.records[1]).toMatchObject({ output: 1, logs: ['hello'] });
  });
});
