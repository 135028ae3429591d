import type { Risk } from '@pmos/sdk/server';

/** The MCP tool annotations PMOS reads (hints from the server, not guarantees). */
export interface ToolAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
}

/**
 * The risk PMOS gives an MCP tool before an admin says otherwise: `read` only when the
 * server marks it read-only, `write` when it says it is not destructive, else
 * `destructive`. Chat runs `read` tools freely and asks before the rest.
 */
export function riskOfMcpTool(tool: { annotations?: ToolAnnotations | null }): Risk {
  const hints = tool.annotations ?? {};
  if (hints.readOnlyHint === true) return 'read';
  if (hints.destructiveHint === false) return 'write';
  return 'destructive';
}
