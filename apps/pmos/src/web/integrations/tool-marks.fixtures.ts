import type { RemoteTool } from '../api-types.js';

/** Shared by the Tools dialog's component tests and stories: ids and a tool as the API lists it. */
export const ws = '00000000-0000-4000-8000-00000000000a';
export const connectionId = '00000000-0000-4000-8000-00000000000c';
export const markedAt = '2026-11-26T10:00:00.000Z';

/** A listed, unmarked tool whose policy follows the server's word, unless `more` says otherwise. */
export const tool = (
  name: string,
  serverRisk: RemoteTool['serverRisk'],
  more: Partial<RemoteTool> = {},
): RemoteTool => ({
  name,
  title: null,
  description: null,
  serverRisk,
  listed: true,
  mark: null,
  markedAt: null,
  markedBy: null,
  policy: serverRisk === 'read' ? 'runs' : 'refused',
  ...more,
});
