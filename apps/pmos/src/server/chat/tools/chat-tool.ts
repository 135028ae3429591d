import type { ActorContext, EntityManager, WorkspacePermission } from '@pmos/core';
import type { JSONSchema7 } from 'ai';
import type { Risk } from '../chat-store.js';

/** What a tool's execution gets: who asks, in which workspace, and how to reach the database. */
export interface ToolContext {
  workspaceId: string;
  actor: ActorContext;
  signal: AbortSignal;
  /** Runs `work` in a transaction scoped to the workspace; `afterCommit` runs once it commits. */
  inWorkspace<T>(
    work: (em: EntityManager, afterCommit: (job: () => Promise<void>) => void) => Promise<T>,
  ): Promise<T>;
}

/**
 * One tool the operator agent may call: a built-in flow or run tool, or an enabled plugin's
 * action. `risk` decides whether the turn stops for an approval; `permission` whether the
 * person chatting may use it at all (a tool they may not use is never offered).
 */
export interface ChatTool {
  /** The name the model calls: letters, digits, `_` and `-`, at most 64. */
  name: string;
  /** What people read in the trace and on approval cards. */
  title: string;
  description: string;
  inputSchema: JSONSchema7;
  risk: Risk;
  /**
   * A call's own risk when it depends on the arguments (the plugin action's `riskOf`) or on
   * what an admin says at call time (a remote tool's mark, read fresh).
   */
  riskOf?: (args: Record<string, unknown>) => Risk | Promise<Risk>;
  permission: WorkspacePermission;
  /** `flows` for the built-in tools, else the plugin's id. */
  group: string;
  pluginId: string | null;
  pluginVersion: string | null;
  execute(args: Record<string, unknown>, ctx: ToolContext): Promise<unknown>;
  /**
   * A generic "call a tool of the server" action can stand aside for one tool per tool its
   * connections' servers offer (`expandTools`); null when a server could not be asked.
   */
  expand?: () => Promise<ChatTool[] | null>;
}

/** A call's risk: the tool's own reading of the call, else its declared risk. */
export async function riskOfCall(tool: ChatTool, args: Record<string, unknown>): Promise<Risk> {
  if (!tool.riskOf) return tool.risk;
  try {
    return await tool.riskOf(args);
  } catch {
    // A plugin that cannot tell keeps its declared (higher) risk: the gate fails closed.
    return tool.risk;
  }
}
