import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type McpConnection, requestHeaders, serverUrl } from './connection.js';
import { McpConnectorError } from './errors.js';

export const clientInfo = { name: 'pmos', version: '0.1.0' };

/**
 * Opens an MCP session with the connection's server through `ctx.http` (so PMOS's host
 * rule applies to every request), runs `work`, and closes the session again.
 */
export async function withMcpClient<T>(
  ctx: { auth: McpConnection | undefined; http: typeof fetch; signal: AbortSignal },
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const url = serverUrl(ctx.auth);
  const headers = requestHeaders(ctx.auth);
  const secrets = Object.values(headers);
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers },
    fetch: ctx.http,
  });
  const client = new Client(clientInfo);
  try {
    await client.connect(transport, { signal: ctx.signal });
    return await work(client);
  } catch (error) {
    throw toConnectorError(error, url, secrets);
  } finally {
    // Tell the server the session is over (spec: DELETE with the session id), then close.
    if (transport.sessionId) await transport.terminateSession().catch(() => {});
    await client.close().catch(() => {});
  }
}

function scrub(text: string, secrets: string[]): string {
  return secrets.reduce((out, s) => (s.length >= 4 ? out.split(s).join('***') : out), text);
}

/** Failures of the MCP SDK or the network, as connector errors without secrets. */
export function toConnectorError(error: unknown, url: URL, secrets: string[]): unknown {
  if (error instanceof McpConnectorError) return error;
  const code = (error as { code?: unknown })?.code;
  // PMOS's own refusals (host rules, cancellation) go up as they are.
  if (code === 'private_host' || code === 'host_not_allowed') return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  if (error instanceof StreamableHTTPError) {
    const status = error.code;
    if (status === 401 || status === 403) {
      return new McpConnectorError(
        'unauthorized',
        `The MCP server at ${url.host} refused the credentials (HTTP ${status}): check the token and headers.`,
        status,
      );
    }
    return new McpConnectorError(
      'protocol_error',
      scrub(
        `The MCP server at ${url.host} answered HTTP ${status ?? '?'}: ${error.message}`,
        secrets,
      ),
      status,
    );
  }
  if (error instanceof TypeError) {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    return new McpConnectorError(
      'unreachable',
      scrub(`The MCP server at ${url.host} could not be reached (${cause}).`, secrets),
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new McpConnectorError(
    'protocol_error',
    scrub(`The MCP server at ${url.host} did not answer as an MCP server: ${message}`, secrets),
  );
}
