import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Risk } from '@pmos/sdk/server';
import { riskOfMcpTool, type ToolAnnotations } from './risk.js';

export interface McpToolSummary {
  name: string;
  title: string | null;
  description: string | null;
  risk: Risk;
  inputSchema: unknown;
}

/** Pages a server's tools may come in; past this, the list is cut rather than looping. */
const maxPages = 20;

/** Every tool of the server, following `nextCursor` pages. */
export async function listAllTools(client: Client, signal: AbortSignal): Promise<McpToolSummary[]> {
  const tools: McpToolSummary[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await client.listTools(cursor ? { cursor } : {}, { signal });
    for (const tool of result.tools) {
      tools.push({
        name: tool.name,
        title: tool.title ?? tool.annotations?.title ?? null,
        description: tool.description ?? null,
        risk: riskOfMcpTool({ annotations: tool.annotations as ToolAnnotations | undefined }),
        inputSchema: tool.inputSchema,
      });
    }
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return tools;
}
