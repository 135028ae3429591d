import {
  type EntityManager,
  enabledPlugins,
  Flows,
  getRun,
  listRuns,
  PmosError,
  type RateLimiter,
} from '@pmos/core';
import type { JSONSchema7 } from 'ai';
import { describeCatalog } from '../../plugins/describe.js';
import { flowCatalogFor } from '../../plugins/flow-catalog.js';
import type { PluginHost } from '../../plugins/plugin-host.js';
import type { RunsRuntime } from '../../runs/runtime.js';
import { startFlowRun } from '../../runs/start-flow-run.js';
import type { ChatTool, ToolContext } from './chat-tool.js';

export interface FlowToolDeps {
  host: PluginHost;
  limiter: RateLimiter;
  runtime: RunsRuntime | undefined;
  onFlowLifecycle?: (workspaceId: string, flowId: string) => Promise<void>;
  /** After a draft edit commits (flow sync pushes it to a linked flow). */
  onFlowEdited?: (workspaceId: string, flowId: string) => void;
}

const flowId: JSONSchema7 = { type: 'string', description: 'The flow’s id (from list_flows).' };
const object = (properties: Record<string, JSONSchema7>, required: string[] = []): JSONSchema7 => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

const operationsSchema: JSONSchema7 = {
  type: 'array',
  minItems: 1,
  maxItems: 100,
  description:
    'Edit operations, applied in order, all or nothing (Activepieces FlowOperation shapes): ' +
    '{type:"UPDATE_TRIGGER", request:{name:"trigger", displayName, type:"PLUGIN_TRIGGER", settings:{pluginId, pluginVersion, connectorId, triggerId, input:{…}}}}; ' +
    '{type:"ADD_ACTION", request:{parentStep:"trigger"|"step_N", stepLocationRelativeToParent:"AFTER", action:{name:"step_N", displayName, type:"PLUGIN", settings:{pluginId, pluginVersion, connectorId, actionId, input:{…}}}}}; ' +
    '{type:"UPDATE_ACTION", request:{name:"step_N", displayName, type, settings}}; ' +
    '{type:"DELETE_ACTION", request:{names:["step_N"]}}; {type:"CHANGE_NAME", request:{displayName}}. ' +
    'Inputs may reference earlier outputs as "{{trigger.field}}" or "{{step_1.field}}"; a connection as its id in input.auth.',
  items: { type: 'object' },
};

/** The built-in tools: flows and their runs, through the same services as the HTTP API. */
export function flowTools(deps: FlowToolDeps): ChatTool[] {
  const flows = new Flows();
  const catalog = (em: EntityManager, workspaceId: string) =>
    flowCatalogFor(em, deps.host.registry, workspaceId);
  const compact = (view: Awaited<ReturnType<Flows['get']>>) => ({
    id: view.id,
    displayName: view.displayName,
    status: view.status,
    revision: view.revision,
    published: view.publishedVersionId !== null,
    valid: view.valid,
    problems: view.problems,
    draft: view.draft,
    ...(view.status === 'ENABLED' && view.triggerProblem
      ? { triggerProblem: `The trigger could not be turned on: ${view.triggerProblem.message}` }
      : {}),
  });
  const lifecycle = (ctx: ToolContext, id: string, after: (job: () => Promise<void>) => void) => {
    const sync = deps.onFlowLifecycle;
    if (sync) after(() => sync(ctx.workspaceId, id));
  };
  /** The flow once its trigger was turned on or off (after the commit): did it come on? */
  const afterLifecycle = (ctx: ToolContext, id: string) =>
    ctx.inWorkspace(async (em) =>
      compact(await flows.get(em, ctx.workspaceId, id, await catalog(em, ctx.workspaceId))),
    );
  const base = { group: 'flows', pluginId: null, pluginVersion: null };
  /** Applies operations to the flow as it is now: the agent never holds a stale revision. */
  const applyToLatest = async (
    em: EntityManager,
    ctx: ToolContext,
    id: string,
    operations: unknown[],
  ) => {
    const known = await catalog(em, ctx.workspaceId);
    const current = await flows.get(em, ctx.workspaceId, id, known);
    return flows.apply(
      em,
      ctx.workspaceId,
      id,
      { revision: current.revision, operations },
      ctx.actor,
      known,
    );
  };

  return [
    {
      ...base,
      name: 'list_flows',
      title: 'List flows',
      description: 'List the workspace’s flows (automations), most recently changed first.',
      inputSchema: object({ search: { type: 'string', description: 'Part of the name.' } }),
      risk: 'read',
      permission: 'flows.read',
      execute: (args, ctx) =>
        ctx.inWorkspace(async (em) => {
          const page = await flows.list(em, ctx.workspaceId, {
            ...(typeof args.search === 'string' && args.search ? { search: args.search } : {}),
            limit: 50,
          });
          return page.data.map((f) => ({
            id: f.id,
            displayName: f.displayName,
            status: f.status,
            published: f.publishedVersionId !== null,
            lastRun: f.lastRun,
            ...(f.triggerProblem ? { triggerProblem: f.triggerProblem.message } : {}),
          }));
        }),
    },
    {
      ...base,
      name: 'get_flow',
      title: 'Read a flow',
      description:
        'Read one flow: its draft (trigger and steps), whether it is complete, and its problems.',
      inputSchema: object({ flowId }, ['flowId']),
      risk: 'read',
      permission: 'flows.read',
      execute: (args, ctx) =>
        ctx.inWorkspace(async (em) =>
          compact(
            await flows.get(
              em,
              ctx.workspaceId,
              idArg(args.flowId, 'flowId'),
              await catalog(em, ctx.workspaceId),
            ),
          ),
        ),
    },
    {
      ...base,
      name: 'list_step_types',
      title: 'List step types',
      description:
        'The triggers and actions the workspace’s enabled plugins offer, with their inputs (props), for building flows.',
      inputSchema: object({}),
      risk: 'read',
      permission: 'flows.read',
      execute: (_args, ctx) =>
        ctx.inWorkspace(async (em) => {
          const described = describeCatalog(
            await enabledPlugins(em, deps.host.registry, ctx.workspaceId),
          );
          return described.connectors.map((c) => ({
            pluginId: c.pluginId,
            pluginVersion: c.pluginVersion,
            connectorId: c.id,
            displayName: c.displayName,
            needsConnection: c.auth.kind !== 'none',
            triggers: c.triggers.map((t) => ({
              triggerId: t.id,
              displayName: t.displayName,
              strategy: t.strategy,
              props: t.props,
            })),
            actions: c.actions.map((a) => ({
              actionId: a.id,
              displayName: a.displayName,
              risk: a.risk,
              props: a.props,
            })),
          }));
        }),
    },
    {
      ...base,
      name: 'create_flow',
      title: 'Create a flow',
      description:
        'Create a new flow as a draft (nothing runs until it is published and enabled), optionally with edit operations to build it.',
      inputSchema: object(
        {
          displayName: { type: 'string', minLength: 1, maxLength: 200 },
          operations: operationsSchema,
        },
        ['displayName'],
      ),
      risk: 'write',
      permission: 'flows.write',
      execute: (args, ctx) =>
        ctx.inWorkspace(async (em) => {
          const known = await catalog(em, ctx.workspaceId);
          const created = await flows.create(
            em,
            ctx.workspaceId,
            { displayName: String(args.displayName) },
            ctx.actor,
            known,
          );
          const operations = Array.isArray(args.operations) ? args.operations : [];
          if (operations.length === 0) return compact(created);
          return compact(
            await flows.apply(
              em,
              ctx.workspaceId,
              created.id,
              { revision: created.revision, operations },
              ctx.actor,
              known,
            ),
          );
        }),
    },
    {
      ...base,
      name: 'edit_flow',
      title: 'Edit a flow',
      description: 'Apply edit operations to a flow’s draft (the published version is untouched).',
      inputSchema: object({ flowId, operations: operationsSchema }, ['flowId', 'operations']),
      risk: 'write',
      permission: 'flows.write',
      execute: (args, ctx) =>
        ctx.inWorkspace(async (em, afterCommit) => {
          const id = idArg(args.flowId, 'flowId');
          const edited = deps.onFlowEdited;
          if (edited) afterCommit(async () => edited(ctx.workspaceId, id));
          const operations = (Array.isArray(args.operations) ? args.operations : []).filter(
            (o) => !isLifecycle(o),
          );
          return compact(await applyToLatest(em, ctx, id, operations));
        }),
    },
    {
      ...base,
      name: 'publish_flow',
      title: 'Publish a flow',
      description:
        'Publish the flow’s draft as its new live version; with enable:true also switch it on so its trigger starts runs.',
      inputSchema: object({ flowId, enable: { type: 'boolean' } }, ['flowId']),
      risk: 'write',
      permission: 'flows.write',
      execute: async (args, ctx) => {
        const id = idArg(args.flowId, 'flowId');
        await ctx.inWorkspace(async (em, afterCommit) => {
          const request = args.enable === true ? { status: 'ENABLED' } : {};
          await applyToLatest(em, ctx, id, [{ type: 'LOCK_AND_PUBLISH', request }]);
          lifecycle(ctx, id, afterCommit);
        });
        return afterLifecycle(ctx, id);
      },
    },
    {
      ...base,
      name: 'set_flow_status',
      title: 'Enable or disable a flow',
      description:
        'Switch a published flow on (ENABLED: its trigger starts runs) or off (DISABLED).',
      inputSchema: object({ flowId, status: { type: 'string', enum: ['ENABLED', 'DISABLED'] } }, [
        'flowId',
        'status',
      ]),
      risk: 'write',
      permission: 'flows.write',
      execute: async (args, ctx) => {
        const id = idArg(args.flowId, 'flowId');
        await ctx.inWorkspace(async (em, afterCommit) => {
          await applyToLatest(em, ctx, id, [
            { type: 'CHANGE_STATUS', request: { status: args.status } },
          ]);
          lifecycle(ctx, id, afterCommit);
        });
        return afterLifecycle(ctx, id);
      },
    },
    {
      ...base,
      name: 'delete_flow',
      title: 'Delete a flow',
      description: 'Delete a flow with all its versions. This cannot be undone.',
      inputSchema: object({ flowId }, ['flowId']),
      risk: 'destructive',
      permission: 'flows.write',
      execute: (args, ctx) =>
        ctx.inWorkspace(async (em, afterCommit) => {
          const id = idArg(args.flowId, 'flowId');
          await flows.delete(em, ctx.workspaceId, id, ctx.actor);
          lifecycle(ctx, id, afterCommit);
          return { deleted: id };
        }),
    },
    {
      ...base,
      name: 'run_flow',
      title: 'Run a flow',
      description:
        'Start a run of a flow now: its published version, or its draft as a test. Its steps really run.',
      inputSchema: object(
        {
          flowId,
          version: { type: 'string', enum: ['published', 'draft'] },
          payload: { type: 'object', description: 'The trigger’s input, if it takes any.' },
        },
        ['flowId'],
      ),
      risk: 'write',
      permission: 'flows.run',
      execute: (args, ctx) =>
        ctx.inWorkspace(async (em, afterCommit) => {
          const { queued, enqueue } = await startFlowRun(em, {
            ...deps,
            workspaceId: ctx.workspaceId,
            flowId: idArg(args.flowId, 'flowId'),
            version: args.version === 'draft' ? 'draft' : 'published',
            payload: args.payload ?? undefined,
            actor: ctx.actor,
          });
          afterCommit(enqueue);
          return { runId: queued.runId, status: 'QUEUED' };
        }),
    },
    {
      ...base,
      name: 'list_runs',
      title: 'List runs',
      description: 'Recent runs, newest first; optionally of one flow or with one status.',
      inputSchema: object({
        flowId,
        status: {
          type: 'string',
          enum: ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'SKIPPED'],
        },
      }),
      risk: 'read',
      permission: 'runs.read',
      execute: (args, ctx) =>
        ctx.inWorkspace(async (em) => {
          const page = await listRuns(em, ctx.workspaceId, {
            ...(args.flowId !== undefined ? { flowId: idArg(args.flowId, 'flowId') } : {}),
            ...(typeof args.status === 'string' ? { status: args.status as never } : {}),
            limit: 20,
          });
          return page.data;
        }),
    },
    {
      ...base,
      name: 'get_run',
      title: 'Read a run',
      description: 'One run with its step timeline: each step’s input, output, error and duration.',
      inputSchema: object({ runId: { type: 'string' } }, ['runId']),
      risk: 'read',
      permission: 'runs.read',
      execute: (args, ctx) =>
        ctx.inWorkspace((em) => getRun(em, ctx.workspaceId, idArg(args.runId, 'runId'))),
    },
  ];
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id argument as the model gave it: a malformed one is the model's mistake to fix. */
function idArg(value: unknown, name: string): string {
  if (typeof value === 'string' && uuid.test(value)) return value;
  throw new PmosError(
    'invalid_tool_input',
    `${name} must be an id from a list tool, not ${JSON.stringify(value) ?? 'nothing'}.`,
    {
      status: 400,
    },
  );
}

/** Publishing and status changes have their own tools, which stop for an approval. */
function isLifecycle(operation: unknown): boolean {
  const type = (operation as { type?: unknown } | null)?.type;
  return type === 'LOCK_AND_PUBLISH' || type === 'CHANGE_STATUS' || type === 'USE_AS_DRAFT';
}

/**
 * Which built-in calls stop for an approval: publishing, deleting, enabling and running
 * (its steps really act). Drafts change nothing that runs; disabling only stops things.
 */
export function builtinNeedsApproval(tool: string, args: Record<string, unknown>): boolean {
  switch (tool) {
    case 'publish_flow':
    case 'delete_flow':
    case 'run_flow':
      return true;
    case 'set_flow_status':
      return args.status !== 'DISABLED';
    default:
      return false;
  }
}
