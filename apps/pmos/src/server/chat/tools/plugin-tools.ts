import {
  type Connections,
  type EntityManager,
  enabledPlugins,
  inTenantScope,
  type LoadedPlugin,
  PluginError,
  runPluginAction,
  Workspace,
} from '@pmos/core';
import type { ActionDefinition, AnyProp, Props, Risk } from '@pmos/sdk/server';
import { createMemoryStore } from '@pmos/sdk/testing';
import type { JSONSchema7 } from 'ai';
import type { FastifyBaseLogger } from 'fastify';
import type { ToolMark } from '../../../api/tool-mark-schemas.js';
import { type PluginHost, pluginCallOptions, pluginLogger } from '../../plugins/plugin-host.js';
import { remoteToolGuard, toolMarks } from '../../plugins/tool-marks.js';
import { connectionIdOf, stepAuth } from '../../runs/step-auth.js';
import type { ChatTool } from './chat-tool.js';
import { type RemoteToolLists, remoteChatTools } from './remote-tools.js';

/** The JSON Schema of one prop, as a model reads it. Dropdown values are described, not listed. */
export function propSchema(prop: AnyProp): JSONSchema7 | null {
  const described = (schema: JSONSchema7): JSONSchema7 => ({
    ...schema,
    description: [prop.displayName, prop.description].filter(Boolean).join(': '),
  });
  switch (prop.kind) {
    case 'markdown':
      return null;
    case 'short_text':
    case 'long_text':
    case 'color':
      return described({ type: 'string' });
    case 'date_time':
      return described({ type: 'string', format: 'date-time' });
    case 'number':
      return described({ type: 'number' });
    case 'checkbox':
      return described({ type: 'boolean' });
    case 'static_dropdown':
      return described({ enum: prop.options.options.map((o) => o.value) as never });
    case 'static_multi_select':
      return described({
        type: 'array',
        items: { enum: prop.options.options.map((o) => o.value) as never },
      });
    case 'multi_select':
      return described({ type: 'array' });
    case 'array':
      return described({
        type: 'array',
        items: prop.items ? propsSchema(prop.items) : { type: 'string' },
      });
    case 'object':
    case 'dynamic_properties':
      return described({ type: 'object' });
    case 'file':
      return described({
        type: 'object',
        properties: {
          filename: { type: 'string' },
          mimeType: { type: 'string' },
          base64: { type: 'string' },
        },
        required: ['filename', 'base64'],
      });
    default:
      // dropdown, json, custom: any JSON value the action accepts.
      return described({});
  }
}

export function propsSchema(props: Props): JSONSchema7 {
  const properties: Record<string, JSONSchema7> = {};
  const required: string[] = [];
  for (const [name, prop] of Object.entries(props)) {
    const schema = propSchema(prop);
    if (!schema) continue;
    properties[name] = schema;
    if (prop.required) required.push(name);
  }
  return { type: 'object', properties, required };
}

/** `bcgpt` + `create_todo` → `bcgpt__create_todo`, within the 64 characters models accept. */
export function pluginToolName(pluginId: string, actionId: string): string {
  return `${pluginId}__${actionId}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}

export interface PluginToolDeps {
  host: PluginHost;
  connections: Connections;
  logger: FastifyBaseLogger;
  /** With it, a server of tools' generic action can stand aside for each of its tools. */
  remoteLists?: RemoteToolLists;
}

/**
 * Every action of the workspace's enabled plugins as a tool: its props become the input
 * schema, plus `connectionId` when the connector needs a connection (chosen for the model
 * when the workspace has exactly one).
 */
export async function pluginTools(
  em: EntityManager,
  workspaceId: string,
  deps: PluginToolDeps,
): Promise<ChatTool[]> {
  const plugins = await enabledPlugins(em, deps.host.registry, workspaceId);
  const connections = await deps.connections.list(em, workspaceId);
  const hasRemoteTools = plugins.some((p) =>
    p.definition?.contributes.connectors?.some((c) => c.listRemoteTools),
  );
  const marks = hasRemoteTools ? await toolMarks.byConnection(em, workspaceId) : new Map();
  // The approval gate reads a tool's mark when it is called: an admin may change it mid-turn.
  const markNow = (connectionId: string | null, tool: string) =>
    connectionId
      ? inTenantScope(em.fork(), workspaceId, (tx) =>
          toolMarks.markOf(tx, workspaceId, connectionId, tool),
        )
      : Promise.resolve(null);
  const tools: ChatTool[] = [];
  for (const plugin of plugins) {
    for (const connector of plugin.definition?.contributes.connectors ?? []) {
      const usable = connections.filter(
        (c) => c.pluginId === plugin.id && c.connectorId === connector.id,
      );
      const needsConnection = connector.auth.kind !== 'none';
      if (needsConnection && usable.length === 0) continue;
      for (const action of connector.actions) {
        const schema = propsSchema(action.props);
        if (needsConnection && usable.length > 1) {
          schema.properties = {
            connectionId: {
              enum: usable.map((c) => c.id),
              description: `Which connection to use: ${usable.map((c) => `${c.id} = ${c.displayName}`).join('; ')}`,
            },
            ...schema.properties,
          };
          schema.required = ['connectionId', ...(schema.required ?? [])];
        }
        const tool: ChatTool = {
          name: pluginToolName(plugin.id, action.id),
          title: `${connector.displayName}: ${action.displayName}`,
          description: action.description,
          inputSchema: schema,
          risk: action.risk,
          ...riskReading(action, (args, tool) =>
            markNow(connectionIdOf(usable.length === 1 ? usable[0]?.id : args.connectionId), tool),
          ),
          permission: action.risk === 'read' ? 'flows.read' : 'flows.run',
          group: plugin.id,
          pluginId: plugin.id,
          pluginVersion: plugin.version,
          execute: async (args, ctx) => {
            const { connectionId, ...input } = args;
            const reference = usable.length === 1 ? usable[0]?.id : connectionId;
            const auth = needsConnection
              ? await stepAuth({
                  em: em.fork(),
                  connections: deps.connections,
                  fetch: deps.host.fetch,
                  workspaceId,
                  pluginId: plugin.id,
                  connector,
                  reference,
                })
              : undefined;
            const workspace = await ctx.inWorkspace((tx) =>
              tx.findOneOrFail(Workspace, { id: workspaceId }),
            );
            return runPluginAction(
              {
                plugin: requireLoaded(plugin),
                action,
                auth,
                input,
                workspace: { id: workspace.id, name: workspace.name },
                store: createMemoryStore(),
                logger: pluginLogger(deps.logger.child({ plugin: plugin.id, chatTool: action.id })),
                ...remoteToolGuard({
                  em: em.fork(),
                  workspaceId,
                  connectionId: connectionIdOf(reference),
                  plugin: requireLoaded(plugin),
                  connector,
                  action,
                  auth,
                  callOptions: pluginCallOptions(deps.host, { signal: ctx.signal }),
                }),
              },
              pluginCallOptions(deps.host, { signal: ctx.signal }),
            );
          },
        };
        const { remoteLists } = deps;
        if (remoteLists && needsConnection && action.remoteToolInput && connector.listRemoteTools) {
          tool.expand = () =>
            remoteChatTools({
              workspaceId,
              plugin: requireLoaded(plugin),
              action,
              generic: tool,
              connections: usable,
              marks,
              markNow,
              lists: remoteLists,
            });
        }
        tools.push(tool);
      }
    }
  }
  return tools;
}

/**
 * How the approval gate reads one call of an action. A remote tool gated by an admin (now,
 * not when the turn began) asks first; any other remote tool goes on, to be checked when it
 * runs (safe runs, blocked and unmarked non-read-only tools are refused — there is nothing to
 * approve). Otherwise the action's own `riskOf`, if any.
 */
function riskReading(
  action: ActionDefinition,
  markNow: (args: Record<string, unknown>, tool: string) => Promise<ToolMark | null>,
): Pick<ChatTool, 'riskOf'> {
  const { remoteTool, riskOf } = action;
  if (remoteTool) {
    const gatedRisk: Risk = action.risk === 'read' ? 'write' : action.risk;
    return {
      riskOf: async (args) => {
        const tool = String(remoteTool(args as never)).trim();
        return (await markNow(args, tool)) === 'gated' ? gatedRisk : 'read';
      },
    };
  }
  return riskOf ? { riskOf: (args) => riskOf(args as never) } : {};
}

function requireLoaded(plugin: LoadedPlugin): LoadedPlugin {
  if (!plugin.definition) throw new PluginError('plugin_disabled');
  return plugin;
}
