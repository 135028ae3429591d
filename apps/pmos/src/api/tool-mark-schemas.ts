import { z } from 'zod';

/**
 * Tool marks: for a connection to a server of tools (an MCP server …), a workspace admin's
 * word on each tool. Bodies of …/connections/:connectionId/tools.
 */

export const toolMarks = ['safe', 'gated', 'blocked'] as const;
export type ToolMark = (typeof toolMarks)[number];

export const riskSchema = z.enum(['read', 'write', 'destructive']);
export type ToolRisk = z.infer<typeof riskSchema>;

/**
 * What PMOS does when a tool is called — `runs`: without asking; `asks`: chat stops for an
 * approval first (a published flow runs it); `refused`: never, with the reason.
 */
export type ToolPolicy = 'runs' | 'asks' | 'refused';

/**
 * The policy of a tool: the admin's mark, else the server's own word — read-only tools run,
 * any other is refused until an admin marks it safe or gated.
 */
export function toolPolicy(mark: ToolMark | null, serverRisk: ToolRisk | null): ToolPolicy {
  if (mark === 'safe') return 'runs';
  if (mark === 'gated') return 'asks';
  if (mark === 'blocked') return 'refused';
  return serverRisk === 'read' ? 'runs' : 'refused';
}

const markedSchema = {
  /** null: not marked, the server's word decides. */
  mark: z.enum(toolMarks).nullable(),
  markedAt: z.iso.datetime().nullable(),
  /** Who marked it last (email), null when not marked. */
  markedBy: z.string().nullable(),
};

export const remoteToolSchema = z
  .object({
    name: z.string(),
    title: z.string().nullable(),
    description: z.string().nullable(),
    /**
     * The risk the server gives the tool (MCP: its read-only / destructive hints); null when the
     * server no longer offers the tool but a mark for it remains.
     */
    serverRisk: riskSchema.nullable(),
    /** false: the server no longer lists this tool; only its mark is left. */
    listed: z.boolean(),
    ...markedSchema,
    policy: z.enum(['runs', 'asks', 'refused']),
  })
  .meta({ id: 'RemoteTool' });

export const remoteToolListSchema = z
  .object({
    connectionId: z.uuid(),
    /** The listed tools in the server's order, then the marks of tools it no longer lists. */
    data: z.array(remoteToolSchema),
  })
  .meta({ id: 'RemoteToolList' });

export const setToolMarksBodySchema = z
  .object({
    marks: z
      .array(
        z.object({
          tool: z
            .string()
            .trim()
            .min(1, { error: 'Name the tool.' })
            .max(200, { error: 'A tool name has at most 200 characters.' }),
          /** null removes the mark: the server's word decides again. */
          mark: z.enum(toolMarks, { error: 'A mark is safe, gated, blocked or null.' }).nullable(),
        }),
      )
      .min(1, { error: 'Give at least one mark.' })
      .max(500, { error: 'At most 500 marks at a time.' })
      .refine((marks) => new Set(marks.map((m) => m.tool)).size === marks.length, {
        error: 'Give each tool one mark at a time.',
      }),
  })
  .meta({ id: 'SetToolMarks' });

export const toolMarkListSchema = z
  .object({
    connectionId: z.uuid(),
    /** Every mark of the connection after the change. */
    data: z.array(
      z.object({
        tool: z.string(),
        mark: z.enum(toolMarks),
        markedAt: z.iso.datetime(),
        markedBy: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'ToolMarkList' });
