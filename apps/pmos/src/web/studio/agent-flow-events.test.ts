import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../api-types.js';
import { changesFlow } from './agent-flow-events.js';

const flowId = '11111111-1111-4111-8111-111111111111';
const other = '22222222-2222-4222-8222-222222222222';
let seq = 0;
const event = (type: string, data: Record<string, unknown>): ChatEvent => ({
  seq: ++seq,
  turnId: 't',
  type,
  data,
  at: '2026-01-01T00:00:00Z',
});

describe('changesFlow', () => {
  it('is true for a flow tool whose result is this flow', () => {
    for (const tool of ['edit_flow', 'publish_flow', 'set_flow_status']) {
      expect(changesFlow(event('tool.result', { tool, result: { id: flowId } }), flowId, [])).toBe(
        true,
      );
    }
    const deleted = event('tool.result', { tool: 'delete_flow', result: { deleted: flowId } });
    expect(changesFlow(deleted, flowId, [])).toBe(true);
  });

  it('is false for reads, other flows, calls and failures', () => {
    const read = event('tool.result', { tool: 'get_flow', result: { id: flowId } });
    const elsewhere = event('tool.result', { tool: 'edit_flow', result: { id: other } });
    const call = event('tool.call', { tool: 'edit_flow', arguments: { flowId } });
    const failed = event('tool.error', { tool: 'edit_flow', message: 'no' });
    for (const e of [read, elsewhere, call, failed]) expect(changesFlow(e, flowId, [])).toBe(false);
  });

  it('reads the flow id from the call when the result was cut short', () => {
    const call = event('tool.call', { toolCallId: 'c1', tool: 'edit_flow', arguments: { flowId } });
    const result = event('tool.result', {
      toolCallId: 'c1',
      tool: 'edit_flow',
      result: { $truncated: true, bytes: 40_000, preview: '{' },
    });
    expect(changesFlow(result, flowId, [call, result])).toBe(true);
    expect(changesFlow(result, other, [call, result])).toBe(false);
  });
});
