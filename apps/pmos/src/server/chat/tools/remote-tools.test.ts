import type { ConnectionView, LoadedPlugin } from '@pmos/core';
import type { ActionDefinition, RemoteTool } from '@pmos/sdk/server';
import { describe, expect, it } from 'vitest';
import type { ToolMark } from '../../../api/tool-mark-schemas.js';
import type { ChatTool, ToolContext } from './chat-tool.js';
import { expandTools, type RemoteToolLists, remoteChatTools } from './remote-tools.js';

const connection = (id: string, displayName: string) =>
  ({ id, displayName, updatedAt: new Date(0) }) as ConnectionView;
const calls: Record<string, unknown>[] = [];
const generic: ChatTool = {
  name: 'mcp__call_tool',
  title: 'MCP server: Call tool',
  description: 'Calls a tool.',
  inputSchema: { type: 'object' },
  risk: 'destructive',
  permission: 'flows.run',
  group: 'mcp',
  pluginId: 'mcp',
  pluginVersion: '0.1.0',
  async execute(args) {
    calls.push(args);
    return { ok: true };
  },
};
const action = {
  remoteToolInput: (tool: string, args: Record<string, unknown>) => ({ tool, arguments: args }),
} as unknown as ActionDefinition;
const listsOf = (byConnection: Record<string, RemoteTool[] | null>) =>
  ({
    of: async (_ws: string, c: ConnectionView) => byConnection[c.id] ?? null,
  }) as unknown as RemoteToolLists;

const tools: RemoteTool[] = [
  {
    name: 'get_weather',
    description: 'Weather now',
    risk: 'read',
    inputSchema: { type: 'object' },
  },
  { name: 'add_note', risk: 'write' },
  { name: 'wipe', risk: 'destructive' },
];

function source(
  connections: ConnectionView[],
  lists: RemoteToolLists,
  marks: Map<string, Map<string, ToolMark>> = new Map(),
  marksNow: Map<string, Map<string, ToolMark>> = marks,
) {
  return {
    workspaceId: 'w',
    plugin: { id: 'mcp' } as LoadedPlugin,
    action,
    generic,
    connections,
    marks,
    markNow: async (connectionId: string, tool: string) =>
      marksNow.get(connectionId)?.get(tool) ?? null,
    lists,
  };
}

describe('remoteChatTools', () => {
  it('offers each tool the marks let run, named after its connection, with its risk', async () => {
    const weather = connection('c1', 'Weather server');
    const offered = await remoteChatTools(
      source(
        [weather],
        listsOf({ c1: tools }),
        new Map([['c1', new Map<string, ToolMark>([['add_note', 'gated']])]]),
      ),
    );
    expect(offered?.map((t) => [t.name, t.risk, t.title])).toEqual([
      ['mcp__weather_server__get_weather', 'read', 'Weather server: get_weather'],
      ['mcp__weather_server__add_note', 'write', 'Weather server: add_note'],
    ]);
    expect(offered?.[1]?.inputSchema).toEqual({ type: 'object', properties: {} });
    await offered?.[1]?.execute({ text: 'x' }, {} as ToolContext);
    expect(calls.at(-1)).toEqual({
      tool: 'add_note',
      arguments: { text: 'x' },
      connectionId: 'c1',
    });
  });

  it('asks first for a tool an admin marked gated since the turn began', async () => {
    const now = new Map<string, Map<string, ToolMark>>();
    const offered = await remoteChatTools(
      source(
        [connection('c1', 'Weather server')],
        listsOf({ c1: tools }),
        new Map([['c1', new Map<string, ToolMark>([['add_note', 'safe']])]]),
        now,
      ),
    );
    const addNote = offered?.find((t) => t.name === 'mcp__weather_server__add_note');
    now.set('c1', new Map([['add_note', 'safe']]));
    expect(await addNote?.riskOf?.({})).toBe('read');
    now.set('c1', new Map([['add_note', 'gated']]));
    expect(await addNote?.riskOf?.({})).toBe('write');
    const weather = offered?.find((t) => t.name === 'mcp__weather_server__get_weather');
    now.set('c1', new Map([['get_weather', 'gated']]));
    // A read-only tool an admin gated asks too (as a write: it may now be one).
    expect(await weather?.riskOf?.({})).toBe('write');
  });

  it('keeps names unique and valid across connections with the same name', async () => {
    const offered = await remoteChatTools(
      source(
        [connection('c1', 'Ops (EU)'), connection('c2', 'Ops (EU)')],
        listsOf({ c1: [tools[0] as RemoteTool], c2: [tools[0] as RemoteTool] }),
      ),
    );
    expect(offered?.map((t) => t.name)).toEqual([
      'mcp__ops_eu__get_weather',
      'mcp__ops_eu__get_weather_2',
    ]);
  });

  it('gives way to the generic action when a server could not be asked', async () => {
    const failing = source([connection('c1', 'A'), connection('c2', 'B')], listsOf({ c1: tools }));
    expect(await remoteChatTools(failing)).toBeNull();
    const expanded = await expandTools([
      { ...generic, expand: () => remoteChatTools(failing) },
      { ...generic, name: 'other' },
    ]);
    expect(expanded.map((t) => t.name)).toEqual(['mcp__call_tool', 'other']);
  });
});
