import { auth, prop } from '@pmos/sdk/server';
import { McpConnectorError } from './errors.js';

/**
 * A connection to one MCP server over Streamable HTTP: its URL and the headers it wants
 * (a bearer token, an API key header …). The URL is the person's choice, so the manifest
 * declares `"*"`: `ctx.http` reaches public hosts only unless the operator allows a
 * private one in PMOS_HTTP_PRIVATE_HOSTS.
 */
export const mcpAuth = auth.custom({
  description:
    'The address of an MCP server that speaks Streamable HTTP, and how to sign in to it.',
  props: {
    url: prop.shortText({
      displayName: 'Server URL',
      description: 'The MCP endpoint, e.g. https://mcp.example.com/mcp.',
      required: true,
    }),
    bearerToken: prop.shortText({
      secret: true,
      displayName: 'Bearer token',
      description: 'Sent as "Authorization: Bearer <token>". Leave empty if the server needs none.',
      required: false,
    }),
    headers: prop.json({
      displayName: 'Other headers',
      description: 'More HTTP headers as a JSON object, e.g. {"x-api-key": "…"}.',
      required: false,
    }),
  },
});

export interface McpConnection {
  url: string;
  bearerToken?: string;
  headers?: unknown;
}

/** The server URL, checked: http(s) only. */
export function serverUrl(connection: McpConnection | undefined): URL {
  const raw = typeof connection?.url === 'string' ? connection.url.trim() : '';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new McpConnectorError(
      'invalid_connection',
      'Give the MCP server URL, like https://mcp.example.com/mcp.',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new McpConnectorError(
      'invalid_connection',
      `The MCP server URL must start with https:// (got ${url.protocol}).`,
    );
  }
  return url;
}

/** The headers of every request: the extra ones, then the bearer token. */
export function requestHeaders(connection: McpConnection | undefined): Record<string, string> {
  const extra = connection?.headers;
  const headers: Record<string, string> = {};
  if (extra !== undefined && extra !== null && extra !== '') {
    if (typeof extra !== 'object' || Array.isArray(extra)) {
      throw new McpConnectorError(
        'invalid_connection',
        'The other headers must be a JSON object of names and text values.',
      );
    }
    for (const [name, value] of Object.entries(extra as Record<string, unknown>)) {
      if (typeof value !== 'string' || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
        throw new McpConnectorError(
          'invalid_connection',
          `The header "${name}" needs a plain name and a text value.`,
        );
      }
      headers[name] = value;
    }
  }
  const token = connection?.bearerToken?.trim();
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}
