import {
  type Connections,
  type EntityManager,
  Flows,
  inTenantScope,
  isPmosError,
  maskForRecord,
  PluginError,
  requireEnabledPlugin,
  runCode,
  runPluginAction,
  scrubText,
  testPluginTrigger,
  Workspace,
} from '@pmos/core';
import { getStep, resolveTemplate } from '@pmos/flow';
import type { ConnectorDefinition } from '@pmos/sdk/server';
import { createMemoryStore } from '@pmos/sdk/testing';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  stepTestBodySchema,
  stepTestParamsSchema,
  stepTestResultSchema,
} from '../../api/flow-schemas.js';
import { access } from '../auth/access.js';
import { authForCall } from '../plugins/connection-auth.js';
import { flowCatalogFor } from '../plugins/flow-catalog.js';
import { type PluginHost, pluginCallOptions, pluginLogger } from '../plugins/plugin-host.js';
import { remoteToolGuard } from '../plugins/tool-marks.js';
import { connectionIdOf } from '../runs/step-auth.js';
import { errorResponses } from './error-responses.js';

const errors = errorResponses(400, 401, 403, 404, 409, 502, 504);

/**
 * Tests one plugin or code step of a flow's draft with sample data, as the Flow Studio does before a
 * flow runs: the step's action really runs (with its connection), its output comes back. The
 * trigger (`trigger`) is tested too: its output is a few recent real events (at most five).
 * Test runs keep no `ctx.store` data.
 */
export function registerStepTestRoutes(
  app: FastifyInstance,
  host: PluginHost,
  connections: Connections,
): void {
  const flows = new Flows();
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/workspaces/:workspaceId/flows/:flowId/steps/:stepName/test',
    {
      config: { access: access.workspace('flows.run', { ownTransactions: true }) },
      schema: {
        tags: ['flows'],
        summary:
          'Run one step of the draft with sample data and see its output (the trigger: a few recent events)',
        params: stepTestParamsSchema,
        body: stepTestBodySchema,
        response: { 200: stepTestResultSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId, flowId, stepName } = request.params;
      const prepared = await inTenantScope(request.em, workspaceId, async (em: EntityManager) => {
        const flow = await flows.get(
          em,
          workspaceId,
          flowId,
          await flowCatalogFor(em, host.registry, workspaceId),
        );
        const step = getStep(flow.draft, stepName);
        if (!step) {
          throw new PluginError('step_not_found', {
            message: `This flow has no step "${stepName}".`,
          });
        }
        if (step.type === 'CODE') return { kind: 'code' as const, step };
        if (step.type !== 'PLUGIN' && step.type !== 'PLUGIN_TRIGGER') {
          throw new PluginError('invalid_step_input', {
            message:
              step.type === 'EMPTY'
                ? 'Choose a trigger first.'
                : 'Loops and routers are tested with the whole flow, not on their own.',
          });
        }
        const { pluginId, connectorId, input } = step.settings;
        const plugin = await requireEnabledPlugin(em, host.registry, workspaceId, pluginId);
        const connector = host.registry.connector(plugin, connectorId);
        const definition =
          step.type === 'PLUGIN'
            ? { kind: 'action' as const, ...findAction(connector, step.settings.actionId) }
            : { kind: 'trigger' as const, ...findTrigger(connector, step.settings.triggerId) };
        const workspace = await em.findOneOrFail(Workspace, { id: workspaceId });
        if (connector.auth.kind === 'none') {
          return {
            kind: 'plugin' as const,
            plugin,
            connector,
            definition,
            input,
            workspace,
            revealed: null,
          };
        }
        const connectionId = connectionIdOf(input.auth);
        if (!connectionId) throw new PluginError('connection_required');
        const revealed = await connections.revealForExecution(
          em,
          workspaceId,
          connectionId,
          connector.auth,
        );
        if (
          revealed.connection.pluginId !== pluginId ||
          revealed.connection.connectorId !== connectorId
        ) {
          throw new PluginError('connection_mismatch');
        }
        return {
          kind: 'plugin' as const,
          plugin,
          connector,
          definition,
          input,
          workspace,
          revealed: { ...revealed, connectionId },
        };
      });
      if (prepared.kind === 'code') return testCode(prepared.step, request.body.sampleData);
      const { plugin, connector, definition, workspace, revealed } = prepared;
      const auth = revealed
        ? await authForCall({
            em: request.em,
            connections,
            fetch: host.fetch,
            workspaceId,
            connectionId: revealed.connectionId,
            auth: connector.auth,
            revealed,
          })
        : undefined;
      const { auth: _reference, ...rest } = prepared.input;
      const input = resolveTemplate(rest, request.body.sampleData) as Record<string, unknown>;
      const recordedInput = maskForRecord(input, auth) as Record<string, unknown>;
      const started = performance.now();
      const durationMs = () => Math.round(performance.now() - started);
      const call = {
        plugin,
        auth,
        input,
        workspace: { id: workspace.id, name: workspace.name },
        // Tests keep nothing: a trigger's cursor or a step's data stay as the flow left them.
        store: createMemoryStore(),
        logger: pluginLogger(request.log.child({ plugin: plugin.id, step: stepName })),
      };
      try {
        const output =
          definition.kind === 'trigger'
            ? await testPluginTrigger(
                {
                  ...call,
                  trigger: definition.trigger,
                  run: { id: null, flowId, stepName, respond() {} },
                },
                pluginCallOptions(host),
              )
            : await runPluginAction(
                {
                  ...call,
                  action: definition.action,
                  ...remoteToolGuard({
                    em: request.em,
                    workspaceId,
                    connectionId: revealed?.connectionId ?? null,
                    plugin,
                    connector,
                    action: definition.action,
                    auth,
                    callOptions: pluginCallOptions(host),
                  }),
                },
                pluginCallOptions(host),
              );
        return {
          status: 'SUCCEEDED' as const,
          input: recordedInput,
          output: maskForRecord(output, auth),
          durationMs: durationMs(),
        };
      } catch (error) {
        // The step failing is a result to show, not a failed request.
        if (!isPmosError(error)) throw error;
        if (error.code === 'invalid_step_input' || error.code === 'trigger_test_unavailable') {
          throw error;
        }
        return {
          status: 'FAILED' as const,
          input: recordedInput,
          error: { code: error.code, message: scrubText(error.message) },
          durationMs: durationMs(),
        };
      }
    },
  );
}

function findAction(connector: ConnectorDefinition, actionId: string) {
  const action = connector.actions.find((a) => a.id === actionId);
  if (!action) throw new PluginError('step_not_found', { details: { actionId } });
  return { action };
}

function findTrigger(connector: ConnectorDefinition, triggerId: string) {
  const trigger = connector.triggers?.find((t) => t.id === triggerId);
  if (!trigger) throw new PluginError('step_not_found', { details: { triggerId } });
  return { trigger };
}

/** A code step runs in the sandbox with its resolved inputs; its failures are results too. */
async function testCode(
  step: { settings: { sourceCode: { code: string }; input: Record<string, unknown> } },
  sampleData: Record<string, unknown>,
) {
  const input = resolveTemplate(step.settings.input, sampleData) as Record<string, unknown>;
  const started = performance.now();
  const recordedInput = maskForRecord(input, undefined) as Record<string, unknown>;
  try {
    const { output, logs } = await runCode(step.settings.sourceCode.code, input);
    return {
      status: 'SUCCEEDED' as const,
      input: recordedInput,
      output,
      logs,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    if (!isPmosError(error)) throw error;
    return {
      status: 'FAILED' as const,
      input: recordedInput,
      error: { code: error.code, message: error.message },
      durationMs: Math.round(performance.now() - started),
    };
  }
}
