import {
  type ClaimedRun,
  type Connections,
  enabledPlugins,
  type MikroORM,
  maskForRecord,
  PluginError,
  pluginStore,
  type RateLimiter,
  type RunHost,
  runCode,
  runPluginAction,
  runPluginTrigger,
  runTriggerHook,
  StepExecutionError,
  type StepExecutor,
  type WebhookReplyRecord,
  Workspace,
} from '@pmos/core';
import { type Flow, resolveTemplate } from '@pmos/flow';
import type { RunInfo } from '@pmos/sdk/server';
import type { FastifyBaseLogger } from 'fastify';
import { type PluginHost, pluginCallOptions, pluginLogger } from '../plugins/plugin-host.js';
import { remoteToolGuard } from '../plugins/tool-marks.js';
import { connectionIdOf, stepAuth } from './step-auth.js';

/** Workspace facts a run needs, kept briefly: a busy workspace runs many runs a second. */
interface WorkspaceFacts {
  name: string;
  enabled: Set<string>;
  loadedAt: number;
}

const factsTtlMs = 5000;

/**
 * What the worker needs from the app: for each run, an executor of its plugin and code steps
 * (enabled plugins only, connections decrypted per call, inputs and outputs masked for the
 * record) and its trigger's events; plus the limits in force.
 */
export function createRunHost(options: {
  orm: MikroORM;
  plugins: PluginHost;
  connections: Connections;
  rateLimiter: RateLimiter;
  logger: FastifyBaseLogger;
  retentionDays: number;
}): RunHost {
  const { orm, plugins, connections, logger } = options;
  const facts = new Map<string, WorkspaceFacts>();

  const workspaceFacts = async (workspaceId: string): Promise<WorkspaceFacts> => {
    const known = facts.get(workspaceId);
    if (known && Date.now() - known.loadedAt < factsTtlMs) return known;
    const fresh = { ...(await workspaceRunFacts(orm, plugins, workspaceId)), loadedAt: Date.now() };
    if (facts.size > 1000) facts.clear();
    facts.set(workspaceId, fresh);
    return fresh;
  };

  const requirePlugin = (known: WorkspaceFacts, pluginId: string) =>
    requireEnabled(plugins, known.enabled, pluginId);

  return {
    async prepare(run: ClaimedRun, flow: Flow, hooks) {
      const known = await workspaceFacts(run.workspace_id);
      const workspace = { id: run.workspace_id, name: known.name };
      const runInfo = (stepName: string | null): RunInfo => ({
        id: run.id,
        flowId: run.flow_id,
        stepName,
        respond: (reply) =>
          hooks.respond({
            status: reply.status ?? 200,
            headers: reply.headers ?? {},
            body: reply.body ?? null,
          } satisfies WebhookReplyRecord),
      });
      const log = logger.child({ runId: run.id, flowId: run.flow_id });

      const executor: StepExecutor = {
        async run(step, input, signal) {
          if (step.type === 'CODE') {
            try {
              const { output, logs } = await runCode(step.settings.sourceCode.code, input);
              return {
                output,
                recordedInput: maskForRecord(input, undefined),
                recordedOutput: maskForRecord(output, undefined),
                logs,
              };
            } catch (error) {
              throw new StepExecutionError(error, maskForRecord(input, undefined));
            }
          }
          const { pluginId, connectorId, actionId } = step.settings;
          const { auth: reference, ...rest } = input;
          let auth: unknown;
          try {
            const plugin = requirePlugin(known, pluginId);
            const connector = plugins.registry.connector(plugin, connectorId);
            const action = connector.actions.find((a) => a.id === actionId);
            if (!action) throw new PluginError('step_not_found', { details: { actionId } });
            auth = await stepAuth({
              em: orm.em.fork(),
              connections,
              fetch: plugins.fetch,
              workspaceId: run.workspace_id,
              pluginId,
              connector,
              reference,
            });
            const output = await runPluginAction(
              {
                plugin,
                action,
                auth,
                input: rest,
                workspace,
                store: pluginStore(orm.em.fork(), {
                  workspaceId: run.workspace_id,
                  pluginId,
                  flowId: run.flow_id,
                }),
                logger: pluginLogger(log.child({ plugin: pluginId, step: step.name })),
                run: runInfo(step.name),
                ...remoteToolGuard({
                  em: orm.em.fork(),
                  workspaceId: run.workspace_id,
                  connectionId: connectionIdOf(reference),
                  plugin,
                  connector,
                  action,
                  auth,
                  callOptions: pluginCallOptions(plugins, { signal }),
                }),
              },
              pluginCallOptions(plugins, { timeoutMs: 310_000, signal }),
            );
            return {
              output,
              recordedInput: maskForRecord(rest, auth),
              recordedOutput: maskForRecord(output, auth),
            };
          } catch (error) {
            throw new StepExecutionError(error, maskForRecord(rest, auth));
          }
        },
      };

      return {
        executor,
        triggerEvents: (signal) =>
          pluginTriggerEvents({
            signal,
            ...options,
            workspace,
            enabled: known.enabled,
            flowId: run.flow_id,
            flow,
            payload: run.trigger_payload,
            run: runInfo('trigger'),
          }),
      };
    },
    concurrency: () => options.rateLimiter.workspaceLimits('concurrent_flow_runs'),
    retentionDays: async () => options.retentionDays,
    runStorage: () => options.rateLimiter.workspaceLimits('run_data_megabytes'),
    runQuota: (workspaceId) =>
      options.rateLimiter.limitFor('flow_runs_per_day', `workspace:${workspaceId}`),
    logError(message, error, fields) {
      logger.error({ err: error, ...fields }, message);
    },
  };
}

function requireEnabled(plugins: PluginHost, enabled: ReadonlySet<string>, pluginId: string) {
  const plugin = plugins.registry.require(pluginId);
  if (!enabled.has(pluginId)) {
    throw new PluginError('plugin_disabled', {
      message: `The plugin "${plugin.manifest.displayName}" is not enabled in this workspace.`,
    });
  }
  return plugin;
}

/** The trigger step of a flow as the registry has it (with its plugin and connector). */
export function triggerOf(plugins: PluginHost, flow: Flow) {
  if (flow.trigger.type !== 'PLUGIN_TRIGGER') return null;
  const { pluginId, connectorId, triggerId } = flow.trigger.settings;
  const plugin = plugins.registry.get(pluginId);
  if (plugin?.status !== 'loaded') return null;
  const connector = plugin.definition?.contributes.connectors?.find((c) => c.id === connectorId);
  const trigger = connector?.triggers?.find((t) => t.id === triggerId);
  return connector && trigger ? { plugin, connector, trigger } : null;
}

/** A trigger as a flow's document sets it up. */
export interface TriggerSettings {
  pluginId: string;
  connectorId: string;
  triggerId: string;
  /** The trigger's inputs, `auth` (the connection reference) among them. */
  input: Record<string, unknown>;
}

interface TriggerCallInput {
  orm: MikroORM;
  plugins: PluginHost;
  connections: Connections;
  logger: FastifyBaseLogger;
  workspace: { id: string; name: string };
  enabled: ReadonlySet<string>;
  flowId: string;
  run: RunInfo;
}

/**
 * What any call of a flow's trigger needs: the plugin (enabled in the workspace), the trigger,
 * its connection decrypted for the call, its inputs, and the flow's store.
 */
async function triggerCall(input: TriggerCallInput, settings: TriggerSettings) {
  const { orm, plugins, workspace } = input;
  const { pluginId, connectorId, triggerId } = settings;
  const plugin = requireEnabled(plugins, input.enabled, pluginId);
  const connector = plugins.registry.connector(plugin, connectorId);
  const trigger = connector.triggers?.find((t) => t.id === triggerId);
  if (!trigger) throw new PluginError('step_not_found', { details: { triggerId } });
  const { auth: reference, ...rest } = settings.input;
  const auth = await stepAuth({
    em: orm.em.fork(),
    connections: input.connections,
    fetch: plugins.fetch,
    workspaceId: workspace.id,
    pluginId,
    connector,
    reference,
  });
  return {
    plugin,
    trigger,
    auth,
    input: resolveTemplate(rest, {}) as Record<string, unknown>,
    workspace,
    store: pluginStore(orm.em.fork(), {
      workspaceId: workspace.id,
      pluginId,
      flowId: input.flowId,
    }),
    logger: pluginLogger(
      input.logger.child({ flowId: input.flowId, plugin: pluginId, step: 'trigger' }),
    ),
    run: input.run,
  };
}

/**
 * Asks a flow's trigger for the events of one delivery, firing or poll: the plugin must be
 * enabled in the workspace; its connection is decrypted for the call.
 */
export async function pluginTriggerEvents(
  input: TriggerCallInput & { flow: Flow; payload: unknown; signal?: AbortSignal },
): Promise<unknown[]> {
  const { flow } = input;
  if (flow.trigger.type !== 'PLUGIN_TRIGGER') return [];
  return runPluginTrigger(
    { ...(await triggerCall(input, flow.trigger.settings)), payload: input.payload },
    pluginCallOptions(input.plugins, input.signal ? { signal: input.signal } : {}),
  );
}

/** Turns a flow's trigger on (`onEnable`; a webhook trigger is told its URL) or off (`onDisable`). */
export async function pluginTriggerHook(
  hook: 'onEnable' | 'onDisable',
  input: TriggerCallInput & { settings: TriggerSettings; webhookUrl?: string },
): Promise<void> {
  const call = await triggerCall(input, input.settings);
  const webhookUrl = call.trigger.strategy === 'webhook' ? input.webhookUrl : undefined;
  await runTriggerHook(
    hook,
    { ...call, ...(webhookUrl ? { webhookUrl } : {}) },
    pluginCallOptions(input.plugins),
  );
}

/** Which plugins a workspace has enabled, and its name. */
export async function workspaceRunFacts(
  orm: MikroORM,
  plugins: PluginHost,
  workspaceId: string,
): Promise<{ name: string; enabled: Set<string> }> {
  const em = orm.em.fork();
  const workspace = await em.findOneOrFail(Workspace, { id: workspaceId });
  const enabled = new Set(
    (await enabledPlugins(em, plugins.registry, workspaceId)).map((p) => p.id),
  );
  return { name: workspace.name, enabled };
}
