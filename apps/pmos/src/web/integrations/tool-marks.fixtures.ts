import type { RemoteTool, ToolMark } from '../api-types.js';

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

/**
 * The marks a fake of the API keeps, starting from the tools' own: `patch` applies a PATCH
 * body and answers what the API answers, every mark of the connection.
 */
export function fakeMarks(tools: RemoteTool[]) {
  const marks = new Map<string, ToolMark>(
    tools.flatMap((t) => (t.mark ? [[t.name, t.mark] as const] : [])),
  );
  return {
    patch(body: { marks: { tool: string; mark: ToolMark | null }[] }) {
      for (const { tool: name, mark } of body.marks) {
        if (mark) marks.set(name, mark);
        else marks.delete(name);
      }
      return {
        connectionId,
        data: [...marks].map(([name, mark]) => ({
          tool: name,
          mark,
          markedAt,
          markedBy: 'grace@example.com',
        })),
      };
    },
  };
}
