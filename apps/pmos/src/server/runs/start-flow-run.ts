import {
  type ActorContext,
  consumeQuota,
  type EntityManager,
  FlowError,
  Flows,
  insertRun,
  PmosError,
  type QueuedRun,
  type RateLimiter,
  RunError,
} from '@pmos/core';
import { flowCatalogFor } from '../plugins/flow-catalog.js';
import type { PluginHost } from '../plugins/plugin-host.js';
import { triggerOf } from './run-host.js';
import type { RunsRuntime } from './runtime.js';

export function requireRuntime(runtime: RunsRuntime | undefined): RunsRuntime {
  if (!runtime) {
    throw new PmosError('runs_unavailable', 'This server does not run flows.', { status: 503 });
  }
  return runtime;
}

/**
 * Queues one run of a flow started by a person (by hand, or through chat): its published
 * version, or its draft as a test. Takes from the daily run quota. The caller enqueues the
 * returned run after its transaction commits.
 */
export async function startFlowRun(
  em: EntityManager,
  input: {
    host: PluginHost;
    limiter: RateLimiter;
    runtime: RunsRuntime | undefined;
    workspaceId: string;
    flowId: string;
    version: 'published' | 'draft';
    payload: unknown;
    actor: ActorContext;
  },
): Promise<{ queued: QueuedRun; enqueue: () => Promise<void> }> {
  const { workspaceId, flowId, version, host } = input;
  const flow = await new Flows().get(
    em,
    workspaceId,
    flowId,
    await flowCatalogFor(em, host.registry, workspaceId),
  );
  const queue = requireRuntime(input.runtime).queue;
  let source: { versionId: string } | { draft: typeof flow.draft };
  if (version === 'draft') {
    if (flow.draft.trigger.type !== 'PLUGIN_TRIGGER') throw new RunError('flow_has_no_trigger');
    if (!flow.valid)
      throw new FlowError('flow_incomplete', { details: { problems: flow.problems } });
    source = { draft: flow.draft };
  } else {
    if (!flow.publishedVersionId) {
      throw new FlowError('flow_not_published', {
        message: 'Publish the flow before you run it, or run its draft as a test.',
      });
    }
    source = { versionId: flow.publishedVersionId };
  }
  await consumeQuota(em, {
    workspaceId,
    quota: 'flow_runs_per_day',
    amount: 1,
    limit: await input.limiter.limitFor('flow_runs_per_day', `workspace:${workspaceId}`, em),
  });
  // A manual trigger makes its event of the payload; any other is given the event itself.
  const trigger = flow.draft.trigger;
  const strategy = triggerOf(host, flow.draft)?.trigger.strategy;
  const payloadIsEvent = strategy !== 'manual';
  const queued = await insertRun(em, {
    workspaceId,
    flowId,
    source,
    triggerKind: version === 'draft' ? 'test' : 'manual',
    payload:
      input.payload ??
      (payloadIsEvent && trigger.type === 'PLUGIN_TRIGGER'
        ? (trigger.settings.sampleData ?? {})
        : null),
    payloadIsEvent,
    createdBy: input.actor.userId,
  });
  return { queued, enqueue: () => queue.enqueue([queued]) };
}
