import {
  type ActorContext,
  type CallOptions,
  type EntityManager,
  inTenantScope,
  type LoadedPlugin,
  listRemoteTools,
  PluginError,
  recordAudit,
  sql,
} from '@pmos/core';
import type { ActionDefinition, ConnectorDefinition, RemoteTool } from '@pmos/sdk/server';
import { type ToolMark, toolPolicy } from '../../api/tool-mark-schemas.js';

export interface ToolMarkView {
  tool: string;
  mark: ToolMark;
  markedAt: Date;
  /** The email of who marked it; null once that account is gone. */
  markedBy: string | null;
}

interface ToolMarkRow {
  connection_id: string;
  tool: string;
  mark: ToolMark;
  marked_at: Date | string;
  marked_by: string | null;
}

const view = (row: ToolMarkRow): ToolMarkView => ({
  tool: row.tool,
  mark: row.mark,
  // Raw queries give timestamps as text.
  markedAt: new Date(row.marked_at),
  markedBy: row.marked_by,
});

/** connection_tool_mark rows: every query scoped by workspace (and row-level security under it). */
export const toolMarks = {
  async list(em: EntityManager, workspaceId: string, connectionId: string) {
    const rows = await sql<ToolMarkRow>(
      em,
      `select m.connection_id, m.tool, m.mark, m.marked_at, u.email as marked_by
         from connection_tool_mark m left join app_user u on u.id = m.marked_by
        where m.workspace_id = ? and m.connection_id = ?
        order by m.tool`,
      [workspaceId, connectionId],
    );
    return rows.map(view);
  },

  async markOf(
    em: EntityManager,
    workspaceId: string,
    connectionId: string,
    tool: string,
  ): Promise<ToolMark | null> {
    const [row] = await sql<{ mark: ToolMark }>(
      em,
      'select mark from connection_tool_mark where workspace_id = ? and connection_id = ? and tool = ?',
      [workspaceId, connectionId, tool],
    );
    return row?.mark ?? null;
  },

  /** Every mark of a workspace: connection id → tool → mark. */
  async byConnection(
    em: EntityManager,
    workspaceId: string,
  ): Promise<Map<string, Map<string, ToolMark>>> {
    const rows = await sql<{ connection_id: string; tool: string; mark: ToolMark }>(
      em,
      'select connection_id, tool, mark from connection_tool_mark where workspace_id = ?',
      [workspaceId],
    );
    const marks = new Map<string, Map<string, ToolMark>>();
    for (const row of rows) {
      const ofConnection = marks.get(row.connection_id) ?? new Map<string, ToolMark>();
      ofConnection.set(row.tool, row.mark);
      marks.set(row.connection_id, ofConnection);
    }
    return marks;
  },

  /** Sets or removes (null) marks; each change is audited with what it was before. */
  async set(
    em: EntityManager,
    workspaceId: string,
    connectionId: string,
    changes: { tool: string; mark: ToolMark | null }[],
    actor: ActorContext,
  ): Promise<void> {
    for (const { tool, mark } of changes) {
      const before = await toolMarks.markOf(em, workspaceId, connectionId, tool);
      if (before === mark) continue;
      if (mark === null) {
        await sql(
          em,
          'delete from connection_tool_mark where workspace_id = ? and connection_id = ? and tool = ?',
          [workspaceId, connectionId, tool],
        );
      } else {
        await sql(
          em,
          `insert into connection_tool_mark (workspace_id, connection_id, tool, mark, marked_by)
           values (?, ?, ?, ?, ?)
           on conflict (connection_id, tool)
           do update set mark = excluded.mark, marked_by = excluded.marked_by, marked_at = now()`,
          [workspaceId, connectionId, tool, mark, actor.userId],
        );
      }
      await recordAudit(em, actor, {
        action: 'connection.tool_mark',
        outcome: 'success',
        workspaceId,
        targetType: 'connection',
        targetId: connectionId,
        metadata: { tool, mark, before },
      });
    }
  },
};

/** Where a remote tool call happens: which server, on whose connection. */
export interface RemoteToolCall {
  /** Not inside a transaction: the mark is read in a short one of its own. */
  em: EntityManager;
  workspaceId: string;
  connectionId: string;
  plugin: LoadedPlugin;
  connector: ConnectorDefinition;
  auth: unknown;
  callOptions: CallOptions;
}

/**
 * The host's check of a remote tool before it runs (`ActionRun.checkRemoteTool`): a tool an
 * admin marked safe or gated runs, a blocked one never; an unmarked one runs only when the
 * server lists it as read-only, asked now, so a changed server is never trusted on old news.
 */
export function remoteToolCheck(call: RemoteToolCall): (tool: string) => Promise<void> {
  return async (tool) => {
    const mark = await inTenantScope(call.em, call.workspaceId, (em) =>
      toolMarks.markOf(em, call.workspaceId, call.connectionId, tool),
    );
    if (mark === 'blocked') {
      throw refused(tool, 'blocked', `A workspace admin blocked the tool "${tool}" here.`);
    }
    if (mark !== null) return;
    const offered = await listRemoteTools(call.plugin, call.connector, call.auth, call.callOptions);
    const found = offered.find((t) => t.name === tool);
    if (!found) {
      throw refused(tool, 'not_offered', `The server does not offer a tool "${tool}".`);
    }
    if (toolPolicy(null, found.risk) === 'refused') {
      throw refused(
        tool,
        'not_read_only',
        `The tool "${tool}" may change data on the server (the server does not say it only reads), and no workspace admin has marked it safe or gated on this connection. An admin can mark it under Integrations › Tools.`,
      );
    }
  };
}

/**
 * `checkRemoteTool` for an action run, when the action runs remote tools and the call has a
 * connection to check them on; otherwise nothing, and an action that needs it is refused.
 */
export function remoteToolGuard(
  input: Omit<RemoteToolCall, 'connectionId'> & {
    connectionId: string | null;
    action: ActionDefinition;
  },
): { checkRemoteTool?: (tool: string) => Promise<void> } {
  const { action, connectionId, ...call } = input;
  if (!action.remoteTool || !connectionId) return {};
  return { checkRemoteTool: remoteToolCheck({ ...call, connectionId }) };
}

/** What each policy adds to a tool's name in a dropdown. */
const policyNotes = {
  runs: 'runs',
  asks: 'asks first in chat',
  refused: 'refused until an admin marks it',
  blocked: 'blocked by an admin',
} as const;

/**
 * A dropdown's options for the tool a remote-tool action runs, each told what PMOS will do
 * with that tool on this connection (`Add a note (write) · refused until an admin marks it`),
 * so a flow's author sees it while choosing, not when the step fails. Options that name no
 * tool (or a server that cannot be asked) are left as they are.
 */
export async function labelRemoteToolOptions<O extends { label: string; value: unknown }>(
  input: RemoteToolCall & {
    action: ActionDefinition;
    /** The step's inputs and the dropdown's prop: which option names which tool. */
    props: Record<string, unknown>;
    prop: string;
    options: O[];
  },
): Promise<O[]> {
  const { action, props, prop, options, ...call } = input;
  const remoteTool = action.remoteTool;
  if (!remoteTool || options.length === 0) return options;
  const toolOf = (option: O): string | null => {
    try {
      const named = remoteTool({ ...props, [prop]: option.value } as never);
      return typeof option.value === 'string' && named === option.value.trim() ? named : null;
    } catch {
      return null;
    }
  };
  if (!options.some((o) => toolOf(o) !== null)) return options;
  let offered: RemoteTool[];
  try {
    offered = await listRemoteTools(call.plugin, call.connector, call.auth, call.callOptions);
  } catch {
    return options;
  }
  const marks = await inTenantScope(call.em, call.workspaceId, (em) =>
    toolMarks.list(em, call.workspaceId, call.connectionId),
  );
  const policies = new Map(toolsWithMarks(offered, marks).map((t) => [t.name, t]));
  return options.map((option) => {
    const tool = policies.get(toolOf(option) ?? '');
    if (!tool) return option;
    const note = tool.mark === 'blocked' ? policyNotes.blocked : policyNotes[tool.policy];
    return { ...option, label: `${option.label} · ${note}` };
  });
}

function refused(tool: string, reason: string, message: string): PluginError {
  return new PluginError('tool_not_allowed', { message, details: { tool, reason } });
}

/** The connector a connection's tools are listed with, refusing one that has none. */
export function requireRemoteTools(connector: ConnectorDefinition): ConnectorDefinition {
  if (typeof connector.listRemoteTools !== 'function') {
    throw new PluginError('remote_tools_unsupported', {
      message: `${connector.displayName} has no tools to mark: its actions are all PMOS's own.`,
    });
  }
  return connector;
}

/** A server's tools beside the admin's marks: listed tools first, then marks left over. */
export function toolsWithMarks(offered: RemoteTool[], marks: ToolMarkView[]) {
  const byTool = new Map(marks.map((m) => [m.tool, m]));
  const listed = offered.map((tool) => {
    const marked = byTool.get(tool.name);
    byTool.delete(tool.name);
    return {
      name: tool.name,
      title: tool.title ?? null,
      description: tool.description ?? null,
      serverRisk: tool.risk,
      listed: true,
      mark: marked?.mark ?? null,
      markedAt: marked?.markedAt.toISOString() ?? null,
      markedBy: marked?.markedBy ?? null,
      policy: toolPolicy(marked?.mark ?? null, tool.risk),
    };
  });
  const leftOver = [...byTool.values()].map((marked) => ({
    name: marked.tool,
    title: null,
    description: null,
    serverRisk: null,
    listed: false,
    mark: marked.mark,
    markedAt: marked.markedAt.toISOString(),
    markedBy: marked.markedBy,
    policy: toolPolicy(marked.mark, null),
  }));
  return [...listed, ...leftOver];
}
