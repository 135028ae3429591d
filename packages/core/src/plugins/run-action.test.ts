import { defineAction, prop } from '@pmos/sdk/server';
import { createMemoryStore } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import type { LoadedPlugin } from './loader.js';
import { type ActionRun, runPluginAction } from './run-action.js';

const plugin = {
  id: 'tools',
  status: 'loaded',
  manifest: { displayName: 'Tools', permissions: { hosts: [] } },
} as unknown as LoadedPlugin;

const ran: string[] = [];
const callTool = defineAction({
  id: 'call_tool',
  displayName: 'Call tool',
  description: 'Runs one tool of the server.',
  risk: 'destructive',
  props: { tool: prop.shortText({ displayName: 'Tool', required: false }) },
  remoteTool: (props) => props.tool ?? '',
  async run(ctx) {
    ran.push(ctx.props.tool ?? '');
    return { ran: ctx.props.tool };
  },
});

const call = (tool: string, extra: Partial<ActionRun> = {}) =>
  runPluginAction({
    plugin,
    action: callTool,
    auth: undefined,
    input: { tool },
    workspace: { id: 'w', name: 'W' },
    store: createMemoryStore(),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    ...extra,
  });

describe('runPluginAction with a remote tool', () => {
  it('asks the host about the tool before the plugin runs, and stops when it refuses', async () => {
    const asked: string[] = [];
    const allow = async (tool: string) => {
      asked.push(tool);
      if (tool === 'wipe') throw new Error('refused by the host');
    };
    await expect(call(' weather ', { checkRemoteTool: allow })).resolves.toEqual({
      ran: ' weather ',
    });
    await expect(call('wipe', { checkRemoteTool: allow })).rejects.toThrow('refused by the host');
    expect(asked).toEqual(['weather', 'wipe']);
    expect(ran).toEqual([' weather ']);
  });

  it('fails closed: without a check, or without a tool, nothing runs', async () => {
    ran.length = 0;
    await expect(call('weather')).rejects.toMatchObject({ code: 'tool_not_allowed' });
    await expect(call('  ', { checkRemoteTool: async () => {} })).rejects.toMatchObject({
      code: 'invalid_step_input',
    });
    expect(ran).toEqual([]);
  });
});
