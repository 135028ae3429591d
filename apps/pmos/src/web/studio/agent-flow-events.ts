import type { ChatEvent } from '../api-types.js';

/** The built-in tools whose success changes a flow's draft, publication or status. */
const flowWriters = new Set([
  'edit_flow',
  'create_flow',
  'publish_flow',
  'set_flow_status',
  'delete_flow',
]);

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

/**
 * Whether a trace event says the agent changed this flow: a successful flow tool whose result
 * names it (`id`, or `deleted`). A result too large for the trace is cut short, so then the
 * call's own `flowId` argument (from its `tool.call`, by `toolCallId`) decides.
 */
export function changesFlow(event: ChatEvent, flowId: string, events: readonly ChatEvent[]) {
  if (event.type !== 'tool.result' || !flowWriters.has(String(event.data.tool))) return false;
  const result = record(event.data.result);
  if (result.id === flowId || result.deleted === flowId) return true;
  if (!result.$truncated) return false;
  const call = events.find(
    (e) => e.type === 'tool.call' && e.data.toolCallId === event.data.toolCallId,
  );
  return record(call?.data.arguments).flowId === flowId;
}
