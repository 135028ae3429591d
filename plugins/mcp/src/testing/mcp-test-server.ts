/**
 * A real, spec-compliant MCP server from `@modelcontextprotocol/sdk` for the connector's
 * tests: `McpServer` behind the web-standard Streamable HTTP transport (sessions on), served
 * in-process through `fakeHttp`, so no socket is opened and PMOS's host rule still applies.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { type FakeHttp, type FakeRequest, fakeHttp } from '@pmos/sdk/testing';
import { z } from 'zod';

export const MCP_URL = 'https://mcp.example.com/mcp';
export const MCP_TOKEN = 'mcp_test_token_0123456789';

function buildServer(): McpServer {
  const server = new McpServer({ name: 'weather-test', version: '1.2.0' });
  server.registerTool(
    'get_weather',
    {
      title: 'Weather',
      description: 'Current weather for a city',
      inputSchema: { city: z.string() },
      annotations: { readOnlyHint: true },
    },
    async ({ city }) => ({
      content: [{ type: 'text', text: `Sunny in ${city}` }],
      structuredContent: { city, conditions: 'sunny' },
    }),
  );
  server.registerTool(
    'add_note',
    {
      description: 'Stores a note',
      inputSchema: { text: z.string() },
      annotations: { destructiveHint: false },
    },
    async ({ text }) => ({ content: [{ type: 'text', text: `Saved: ${text}` }] }),
  );
  server.registerTool(
    'delete_everything',
    { description: 'Deletes all notes', inputSchema: {} },
    async () => ({ isError: true, content: [{ type: 'text', text: 'Not allowed today' }] }),
  );
  return server;
}

/**
 * The server on `fakeHttp`, one session per client as the SDK's examples do it: a request
 * without `mcp-session-id` opens a new server + transport, later ones find theirs. It
 * refuses requests without the bearer token like a real server.
 */
export async function createMcpTestServer(options: { hosts?: readonly string[] } = {}) {
  const sessions = new Map<
    string,
    { server: McpServer; transport: WebStandardStreamableHTTPServerTransport }
  >();
  const handle = async ({ request, method, headers, body }: FakeRequest) => {
    if (headers.authorization !== `Bearer ${MCP_TOKEN}`) {
      return new Response(JSON.stringify({ error: 'unauthorized' }), { status: 401 });
    }
    const id = headers['mcp-session-id'];
    let session = id ? sessions.get(id) : undefined;
    if (!session) {
      if (id) return new Response('Session not found', { status: 404 });
      const server = buildServer();
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => crypto.randomUUID(),
        enableJsonResponse: true,
        onsessioninitialized: (sessionId) => {
          sessions.set(sessionId, { server, transport });
        },
        onsessionclosed: (sessionId) => {
          sessions.delete(sessionId);
        },
      });
      await server.connect(transport);
      session = { server, transport };
    }
    // fakeHttp has read the body already: hand the transport a fresh request.
    const fresh = new Request(request.url, {
      method,
      headers: request.headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return session.transport.handleRequest(fresh);
  };
  const http: FakeHttp = fakeHttp(handle, { hosts: options.hosts });
  return {
    http,
    /** Sessions still open: the connector closes each one it opens. */
    openSessions: () => sessions.size,
    close: async () => {
      await Promise.all([...sessions.values()].map((s) => s.server.close()));
      sessions.clear();
    },
  };
}
