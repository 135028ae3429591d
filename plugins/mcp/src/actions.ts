import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { defineAction, prop } from '@pmos/sdk/server';
import { type McpConnection, mcpAuth } from './connection.js';
import { McpConnectorError } from './errors.js';
import { withMcpClient } from './session.js';
import { listAllTools } from './tools.js';

const tool = prop.dropdown<string>({
  displayName: 'Tool',
  description: 'A tool of the MCP server, with the risk PMOS gives it.',
  required: true,
  refreshers: [],
  async options(ctx) {
    const connection = ctx.auth as McpConnection | undefined;
    if (!connection?.url) {
      return { disabled: true, placeholder: 'Choose an MCP connection first', options: [] };
    }
    try {
      const tools = await withMcpClient(
        { auth: connection, http: ctx.http, signal: ctx.signal },
        (c) => listAllTools(c, ctx.signal),
      );
      return {
        options: tools.map((t) => ({ label: `${t.title ?? t.name} (${t.risk})`, value: t.name })),
        ...(tools.length === 0 ? { placeholder: 'This server offers no tool.' } : {}),
      };
    } catch (error) {
      if (error instanceof McpConnectorError) {
        return { disabled: true, placeholder: error.message, options: [] };
      }
      throw error;
    }
  },
});

export const listTools = defineAction({
  id: 'list_tools',
  displayName: 'List tools',
  description: 'Lists the tools of the MCP server, with their input schema and risk.',
  risk: 'read',
  auth: mcpAuth,
  props: {},
  sampleOutput: {
    tools: [
      {
        name: 'get_weather',
        title: 'Weather',
        description: 'Current weather for a city',
        risk: 'read',
        inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
      },
    ],
    count: 1,
  },
  async run(ctx) {
    const tools = await withMcpClient(ctx, (c) => listAllTools(c, ctx.signal));
    return { tools, count: tools.length };
  },
});

interface ContentPart {
  type: string;
  text?: string;
}

/**
 * Calls one tool. It names the tool it runs (`remoteTool`), so PMOS applies the workspace
 * admin's marks: a tool the server marks read-only runs; any other only once an admin has
 * marked it safe (runs) or gated (chat asks first); a blocked tool never runs.
 */
export const callTool = defineAction({
  id: 'call_tool',
  displayName: 'Call tool',
  description:
    'Calls a tool of the MCP server with JSON arguments. Tools the server marks read-only run; any other runs only once a workspace admin has marked it safe or gated on the connection (gated tools ask for approval in chat).',
  risk: 'destructive',
  remoteTool: (props) => String(props.tool ?? '').trim(),
  remoteToolInput: (tool, args) => ({ tool, arguments: args }),
  auth: mcpAuth,
  props: {
    tool,
    arguments: prop.json({
      displayName: 'Arguments',
      description: 'The tool\'s arguments as a JSON object, e.g. {"city": "Berlin"}.',
      required: false,
      defaultValue: {},
    }),
  },
  sampleOutput: {
    tool: 'get_weather',
    text: 'Sunny, 21 °C',
    structuredContent: { temperature: 21, conditions: 'sunny' },
    content: [{ type: 'text', text: 'Sunny, 21 °C' }],
  },
  async run(ctx) {
    const name = ctx.props.tool.trim();
    const args = ctx.props.arguments ?? {};
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      throw new McpConnectorError('invalid_connection', 'The arguments must be a JSON object.');
    }
    const result = await withMcpClient(ctx, async (client) => {
      try {
        return await client.callTool(
          { name, arguments: args as Record<string, unknown> },
          undefined,
          { signal: ctx.signal },
        );
      } catch (error) {
        if (error instanceof McpError && /not found|unknown tool/i.test(error.message)) {
          throw new McpConnectorError('tool_not_found', `The MCP server has no tool "${name}".`);
        }
        throw error;
      }
    });
    const content = (Array.isArray(result.content) ? result.content : []) as ContentPart[];
    const text = content
      .filter((part) => part.type === 'text' && typeof part.text === 'string')
      .map((part) => part.text)
      .join('\n');
    if (result.isError === true) {
      throw new McpConnectorError(
        /tool .* not found/i.test(text) ? 'tool_not_found' : 'tool_failed',
        `The MCP tool "${name}" failed: ${text.slice(0, 500) || 'no reason given'}`,
      );
    }
    return {
      tool: name,
      text,
      structuredContent: result.structuredContent ?? null,
      content,
    };
  },
});
