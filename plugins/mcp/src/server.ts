/**
 * The generic MCP connector (`pmos.server.entry`): any MCP server that speaks Streamable
 * HTTP becomes a connection whose tools flows and chat can call. The official MCP client
 * does the protocol; every request goes through `ctx.http`, under PMOS's host rule.
 */
import { defineConnector, definePlugin } from '@pmos/sdk/server';
import pkg from '../package.json' with { type: 'json' };
import { callTool, listTools } from './actions.js';
import { mcpAuth } from './connection.js';
import { McpConnectorError } from './errors.js';
import { withMcpClient } from './session.js';
import { listAllTools } from './tools.js';

export { riskOfMcpTool } from './risk.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const mcp = defineConnector({
  id: 'mcp',
  displayName: 'MCP server',
  description: 'Any MCP server over Streamable HTTP.',
  auth: mcpAuth,
  async healthCheck(ctx) {
    try {
      return await withMcpClient(ctx, async (client) => {
        const info = client.getServerVersion();
        const tools = await listAllTools(client, ctx.signal);
        const reads = tools.filter((t) => t.risk === 'read').length;
        return {
          ok: true,
          message: `Connected to ${info?.name ?? 'the MCP server'}${info?.version ? ` ${info.version}` : ''}: ${tools.length} tool${tools.length === 1 ? '' : 's'}, ${reads} marked read-only.`,
        };
      });
    } catch (error) {
      if (error instanceof McpConnectorError) return { ok: false, message: error.message };
      const code = (error as { code?: unknown })?.code;
      if (code === 'private_host' || code === 'host_not_allowed') {
        return {
          ok: false,
          message: `The MCP server cannot be reached: ${(error as Error).message}`,
        };
      }
      throw error;
    }
  },
  async listRemoteTools(ctx) {
    const tools = await withMcpClient(ctx, (client) => listAllTools(client, ctx.signal));
    return tools.map(({ name, title, description, risk, inputSchema }) => ({
      name,
      title,
      description,
      risk,
      ...(isObject(inputSchema) ? { inputSchema } : {}),
    }));
  },
  actions: [listTools, callTool],
});

export default definePlugin({
  id: pkg.pmos.id,
  version: pkg.version,
  sdk: pkg.pmos.sdk,
  displayName: pkg.pmos.displayName,
  description: pkg.pmos.description,
  contributes: { connectors: [mcp] },
  permissions: { hosts: pkg.pmos.permissions.hosts },
});
