import { isSdkCompatible, parsePluginManifest } from '@pmos/sdk/manifest';
import { loadOptions, runAction, runHealthCheck } from '@pmos/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { callTool, listTools } from './actions.js';
import { requestHeaders } from './connection.js';
import { riskOfMcpTool } from './risk.js';
import plugin, { mcp } from './server.js';
import { createMcpTestServer, MCP_TOKEN, MCP_URL } from './testing/mcp-test-server.js';

const hosts = pkg.pmos.permissions.hosts;
const auth = { url: MCP_URL, bearerToken: MCP_TOKEN, headers: undefined };
const closers: (() => Promise<void>)[] = [];

async function server() {
  const s = await createMcpTestServer({ hosts });
  closers.push(s.close);
  return s;
}

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('the MCP plugin definition', () => {
  it('matches its manifest and declares its risks', () => {
    const manifest = parsePluginManifest(pkg);
    expect(manifest).toMatchObject({
      id: 'mcp',
      enabledByDefault: false,
      permissions: { hosts: ['*'] },
    });
    expect(plugin.id).toBe('mcp');
    expect(plugin.permissions).toEqual(manifest.permissions);
    expect(isSdkCompatible(manifest.sdk)).toBe(true);
    expect(mcp.actions.map((a) => [a.id, a.risk])).toEqual([
      ['list_tools', 'read'],
      ['call_tool', 'destructive'],
    ]);
  });

  it('names the tool each call runs, so PMOS applies the admin’s marks to it', () => {
    expect(callTool.remoteTool?.({ tool: ' add_note ', arguments: {} })).toBe('add_note');
    expect(callTool.remoteToolInput?.('add_note', { text: 'x' })).toEqual({
      tool: 'add_note',
      arguments: { text: 'x' },
    });
    expect(listTools.remoteTool).toBeUndefined();
    expect(typeof mcp.listRemoteTools).toBe('function');
  });
});

describe('against a real MCP server from @modelcontextprotocol/sdk', () => {
  it('checks health: server name, version and tools', async () => {
    const { http } = await server();
    const { report, calls } = await runHealthCheck(mcp, { auth, http, hosts });
    expect(report).toEqual({
      ok: true,
      message: 'Connected to weather-test 1.2.0: 3 tools, 1 marked read-only.',
    });
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: MCP_URL,
      headers: { authorization: `Bearer ${MCP_TOKEN}` },
      body: { method: 'initialize' },
    });
  });

  it('says plainly when the token is refused, without echoing it', async () => {
    const { http } = await server();
    const { report } = await runHealthCheck(mcp, {
      auth: { ...auth, bearerToken: 'wrong-token-123' },
      http,
      hosts,
    });
    expect(report).toEqual({
      ok: false,
      message:
        'The MCP server at mcp.example.com refused the credentials (HTTP 401): check the token and headers.',
    });
  });

  it('lists tools in the dropdown and as an action, with risks from annotations', async () => {
    const test = await server();
    const { http } = test;
    const options = await loadOptions(callTool, 'tool', { auth, http, hosts });
    expect(options).toMatchObject({
      kind: 'options',
      state: {
        options: [
          { label: 'Weather (read)', value: 'get_weather' },
          { label: 'add_note (write)', value: 'add_note' },
          { label: 'delete_everything (destructive)', value: 'delete_everything' },
        ],
      },
    });
    const { output } = await runAction(listTools, { auth, http, hosts });
    expect(output.count).toBe(3);
    expect(http.calls.filter((c) => c.method === 'DELETE')).toHaveLength(2);
    expect(test.openSessions()).toBe(0);
    expect(output.tools[0]).toMatchObject({
      name: 'get_weather',
      risk: 'read',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
    });
  });

  it('lists its tools for the marks, with the risk the server gives each', async () => {
    const test = await server();
    const tools = await mcp.listRemoteTools?.({
      auth,
      http: test.http.fetch,
      signal: new AbortController().signal,
    });
    expect(tools).toEqual([
      {
        name: 'get_weather',
        title: 'Weather',
        description: 'Current weather for a city',
        risk: 'read',
        inputSchema: expect.objectContaining({
          type: 'object',
          properties: { city: { type: 'string' } },
          required: ['city'],
        }),
      },
      {
        name: 'add_note',
        title: null,
        description: 'Stores a note',
        risk: 'write',
        inputSchema: expect.objectContaining({ properties: { text: { type: 'string' } } }),
      },
      {
        name: 'delete_everything',
        title: null,
        description: 'Deletes all notes',
        risk: 'destructive',
        inputSchema: expect.objectContaining({ type: 'object' }),
      },
    ]);
    expect(test.openSessions()).toBe(0);
    await expect(
      mcp.listRemoteTools?.({
        auth: { ...auth, bearerToken: 'wrong-token-123' },
        http: test.http.fetch,
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('calls a tool and returns its text and structured content', async () => {
    const { http } = await server();
    const { output } = await runAction(callTool, {
      auth,
      http,
      hosts,
      props: { tool: 'get_weather', arguments: { city: 'Berlin' } },
    });
    expect(output).toEqual({
      tool: 'get_weather',
      text: 'Sunny in Berlin',
      structuredContent: { city: 'Berlin', conditions: 'sunny' },
      content: [{ type: 'text', text: 'Sunny in Berlin' }],
    });
  });

  it('turns a tool failure, bad arguments and an unknown tool into typed errors', async () => {
    const { http } = await server();
    const run = (tool: string, args: unknown) =>
      runAction(callTool, { auth, http, hosts, props: { tool, arguments: args } });
    await expect(run('delete_everything', {})).rejects.toMatchObject({
      code: 'tool_failed',
      message: 'The MCP tool "delete_everything" failed: Not allowed today',
    });
    await expect(run('get_weather', { city: 42 })).rejects.toMatchObject({ code: 'tool_failed' });
    await expect(run('no_such_tool', {})).rejects.toMatchObject({ code: 'tool_not_found' });
    await expect(run('get_weather', [1])).rejects.toMatchObject({ code: 'invalid_connection' });
  });

  it('reports an unreachable server and a bad URL', async () => {
    const down = {
      fetch: (async () => {
        throw new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') });
      }) as typeof fetch,
      calls: [],
    };
    const { report } = await runHealthCheck(mcp, { auth, http: down, hosts });
    expect(report).toEqual({
      ok: false,
      message: 'The MCP server at mcp.example.com could not be reached (ECONNREFUSED).',
    });
    const bad = await runHealthCheck(mcp, {
      auth: { url: 'ftp://x', bearerToken: undefined, headers: undefined },
      http: down,
      hosts,
    });
    expect(bad.report.message).toMatch(/must start with https/);
    const local = await runHealthCheck(mcp, {
      auth: { url: 'http://127.0.0.1:3000/mcp', bearerToken: undefined, headers: undefined },
      http: down,
      hosts,
    });
    expect(local.report.message).toMatch(
      /^The MCP server cannot be reached: 127\.0\.0\.1:3000 is not a public address/,
    );
  });
});

describe('connection details', () => {
  it('builds headers from the token and the extra JSON, refusing odd ones', () => {
    expect(
      requestHeaders({ url: MCP_URL, bearerToken: ' t0k3n ', headers: { 'x-api-key': 'k' } }),
    ).toEqual({
      'x-api-key': 'k',
      Authorization: 'Bearer t0k3n',
    });
    expect(() => requestHeaders({ url: MCP_URL, headers: { 'bad name': 'x' } })).toThrow(
      /plain name/,
    );
    expect(() => requestHeaders({ url: MCP_URL, headers: 'x' })).toThrow(/JSON object/);
  });

  it('gives tools a risk from their annotations, destructive by default', () => {
    expect(riskOfMcpTool({ annotations: { readOnlyHint: true } })).toBe('read');
    expect(riskOfMcpTool({ annotations: { destructiveHint: false } })).toBe('write');
    expect(riskOfMcpTool({ annotations: { destructiveHint: true } })).toBe('destructive');
    expect(riskOfMcpTool({})).toBe('destructive');
  });
});
