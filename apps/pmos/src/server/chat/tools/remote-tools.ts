import {
  type Connections,
  type ConnectionView,
  type EntityManager,
  type LoadedPlugin,
  listRemoteTools,
} from '@pmos/core';
import type { ActionDefinition, ConnectorDefinition, RemoteTool, Risk } from '@pmos/sdk/server';
import type { JSONSchema7 } from 'ai';
import type { FastifyBaseLogger } from 'fastify';
import { type ToolMark, toolPolicy } from '../../../api/tool-mark-schemas.js';
import { openConnection } from '../../plugins/connection-auth.js';
import { type PluginHost, pluginCallOptions } from '../../plugins/plugin-host.js';
import type { ChatTool } from './chat-tool.js';

/**
 * The tool lists of the servers behind connections, kept briefly per process: a turn should
 * not wait on every server each time, nor fail because one is down (its generic action stays).
 */
export class RemoteToolLists {
  private readonly lists = new Map<
    string,
    { version: number; until: number; tools: Promise<RemoteTool[] | null> }
  >();

  constructor(
    private readonly deps: {
      orm: { em: EntityManager };
      host: PluginHost;
      connections: Connections;
      logger: FastifyBaseLogger;
      ttlMs?: number;
      failedTtlMs?: number;
      timeoutMs?: number;
    },
  ) {}

  /** The tools of a connection's server, or null when it could not be asked just now. */
  of(workspaceId: string, connection: ConnectionView): Promise<RemoteTool[] | null> {
    const version = connection.updatedAt.getTime();
    const known = this.lists.get(connection.id);
    if (known && known.version === version && known.until > Date.now()) return known.tools;
    const entry: { version: number; until: number; tools: Promise<RemoteTool[] | null> } = {
      version,
      until: Date.now() + (this.deps.ttlMs ?? 60_000),
      tools: Promise.resolve(null),
    };
    entry.tools = this.load(workspaceId, connection.id).catch((error: unknown) => {
      // A failed ask is tried again sooner than a good list is refreshed.
      entry.until = Date.now() + (this.deps.failedTtlMs ?? 15_000);
      this.deps.logger.warn(
        { connectionId: connection.id, reason: (error as Error)?.message },
        'chat could not list the tools of a connection; its generic action stays',
      );
      return null;
    });
    if (this.lists.size > 1000) this.lists.clear();
    this.lists.set(connection.id, entry);
    return entry.tools;
  }

  private async load(workspaceId: string, connectionId: string): Promise<RemoteTool[]> {
    const { plugin, owner, auth } = await openConnection({
      em: this.deps.orm.em.fork(),
      registry: this.deps.host.registry,
      connections: this.deps.connections,
      fetch: this.deps.host.fetch,
      workspaceId,
      connectionId,
    });
    return listRemoteTools(
      plugin,
      owner as ConnectorDefinition,
      auth,
      pluginCallOptions(this.deps.host, { timeoutMs: this.deps.timeoutMs ?? 5_000 }),
    );
  }
}

/** What a generic "call a tool" action needs to stand for each tool of its servers. */
export interface RemoteToolSource {
  workspaceId: string;
  plugin: LoadedPlugin;
  action: ActionDefinition;
  /** The chat tool of the generic action: each remote tool runs through it. */
  generic: ChatTool;
  connections: ConnectionView[];
  /** The marks when the turn began: which tools are offered at all. */
  marks: ReadonlyMap<string, ReadonlyMap<string, ToolMark>>;
  /** A tool's mark now: whether a call asks first is decided when it is made. */
  markNow: (connectionId: string, tool: string) => Promise<ToolMark | null>;
  lists: RemoteToolLists;
}

/**
 * One chat tool per tool the servers offer and the marks let run: its own name, description
 * and input schema, so the agent calls `weather_server__get_weather` directly. Tools refused
 * by the marks are not offered; gated ones ask for approval. Null if a server could not be
 * asked: then the generic action is offered instead.
 */
export async function remoteChatTools(source: RemoteToolSource): Promise<ChatTool[] | null> {
  const { action, generic, plugin } = source;
  const toInput = action.remoteToolInput;
  if (!toInput) return null;
  const lists = await Promise.all(
    source.connections.map((c) => source.lists.of(source.workspaceId, c)),
  );
  const names = new Set<string>();
  const tools: ChatTool[] = [];
  for (const [index, connection] of source.connections.entries()) {
    const offered = lists[index];
    if (!offered) return null;
    const marks = source.marks.get(connection.id);
    for (const remote of offered) {
      const policy = toolPolicy(marks?.get(remote.name) ?? null, remote.risk);
      if (policy === 'refused') continue;
      const gatedRisk: Risk = remote.risk === 'read' ? 'write' : remote.risk;
      tools.push({
        name: uniqueName(names, `${plugin.id}__${slug(connection.displayName)}__${remote.name}`),
        title: `${connection.displayName}: ${remote.title ?? remote.name}`,
        description:
          remote.description ?? `The tool "${remote.name}" of ${connection.displayName}.`,
        inputSchema: (remote.inputSchema as JSONSchema7 | undefined) ?? {
          type: 'object',
          properties: {},
        },
        risk: policy === 'asks' ? gatedRisk : 'read',
        // Marked gated since the turn began: it asks. Blocked since: the run refuses it.
        riskOf: async () =>
          toolPolicy(await source.markNow(connection.id, remote.name), remote.risk) === 'asks'
            ? gatedRisk
            : 'read',
        permission: generic.permission,
        group: generic.group,
        pluginId: generic.pluginId,
        pluginVersion: generic.pluginVersion,
        // Through the generic action: the same connection, the same check of the marks.
        execute: (args, ctx) =>
          generic.execute(
            { ...(toInput(remote.name, args) as object), connectionId: connection.id },
            ctx,
          ),
      });
    }
  }
  return tools;
}

/** Each tool that can stand aside for its servers' tools does; the others stay as they are. */
export async function expandTools(tools: ChatTool[]): Promise<ChatTool[]> {
  const expanded = await Promise.all(
    tools.map(async (tool) => (tool.expand ? ((await tool.expand()) ?? [tool]) : [tool])),
  );
  return expanded.flat();
}

/** "Weather server" → "weather_server": a connection's name as part of a tool name. */
function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 24) || 'server'
  );
}

/** Within the 64 characters of `[A-Za-z0-9_-]` models accept, and unique in the turn. */
function uniqueName(taken: Set<string>, wanted: string): string {
  const base = wanted.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base.slice(0, 64 - `_${n}`.length)}_${n}`;
  taken.add(name);
  return name;
}
