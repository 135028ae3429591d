import { z } from 'zod';

/** Flows: request and response bodies of /api/workspaces/:workspaceId/flows… */

export const flowParamsSchema = z.object({
  workspaceId: z.uuid({ error: 'Not a valid workspace id.' }),
  flowId: z.uuid({ error: 'Not a valid flow id.' }),
});

const flowName = z
  .string()
  .trim()
  .min(1, { error: 'Name the flow.' })
  .max(200, { error: 'Keep the name under 200 characters.' });
const folder = z.string().trim().min(1).max(100).nullable();
const tags = z.array(z.string().trim().min(1).max(40)).max(20, { error: 'At most 20 tags.' });
const status = z.enum(['ENABLED', 'DISABLED']);

/** The flow document (see @pmos/flow): the trigger and the steps below it. */
const documentSchema = z
  .record(z.string(), z.unknown())
  .meta({ description: 'A flow document in the Activepieces FlowVersion shape (@pmos/flow).' });

export const flowSummarySchema = z
  .object({
    id: z.uuid(),
    displayName: z.string(),
    folder: z.string().nullable(),
    tags: z.array(z.string()),
    status,
    revision: z.number().int(),
    publishedVersionId: z.uuid().nullable(),
    publishedVersionNumber: z.number().int().nullable(),
    createdBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    lastRun: z.object({ status: z.string(), at: z.iso.datetime() }).nullable(),
    triggerProblem: z
      .object({ code: z.string(), message: z.string(), at: z.iso.datetime() })
      .nullable()
      .meta({
        description:
          'Why the trigger could not be turned on (e.g. its service refused the webhook); null when it is on, or off.',
      }),
  })
  .meta({ id: 'FlowSummary' });

export const flowSchema = flowSummarySchema
  .extend({
    draft: documentSchema,
    valid: z.boolean(),
    /** Incomplete steps of the draft, in plain language. */
    problems: z.array(
      z.object({
        step: z.string(),
        code: z.string(),
        message: z.string(),
        prop: z.string().optional(),
        expression: z.string().optional(),
      }),
    ),
    webhookPath: z.string().meta({
      description: 'Where a webhook trigger listens; append /sync to wait for the flow’s answer.',
    }),
  })
  .meta({ id: 'Flow' });

export const flowListSchema = z
  .object({ data: z.array(flowSummarySchema), next: z.string().nullable() })
  .meta({ id: 'FlowList' });

export const flowListQuerySchema = z.object({
  search: z.string().trim().min(1).max(200).optional(),
  folder: z.string().trim().min(1).max(100).optional(),
  tag: z.string().trim().min(1).max(40).optional(),
  status: status.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const createFlowBodySchema = z
  .object({ displayName: flowName, folder: folder.optional(), tags: tags.optional() })
  .meta({ id: 'CreateFlowRequest' });

export const updateFlowBodySchema = z
  .object({ folder: folder.optional(), tags: tags.optional() })
  .meta({ id: 'UpdateFlowRequest' });

export const applyOperationsBodySchema = z
  .object({
    /** The revision the editor last saw; a stale one is refused with the current flow. */
    revision: z.number().int().min(1),
    operations: z
      .array(z.unknown())
      .min(1, { error: 'Send at least one operation.' })
      .max(100, { error: 'At most 100 operations at once.' }),
  })
  .meta({ id: 'ApplyFlowOperationsRequest' });

export const flowExportSchema = z
  .object({
    pmosFlowExport: z.literal(1),
    displayName: flowName,
    folder: folder,
    tags: tags,
    document: documentSchema,
  })
  .meta({ id: 'FlowExport' });

export const importFlowBodySchema = flowExportSchema
  .extend({ folder: folder.optional(), tags: tags.optional() })
  .meta({ id: 'ImportFlowRequest' });

export const flowVersionSchema = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    publishedBy: z.uuid().nullable(),
    publishedAt: z.iso.datetime(),
  })
  .meta({ id: 'FlowVersion' });

export const flowVersionListSchema = z
  .object({ data: z.array(flowVersionSchema), next: z.null() })
  .meta({ id: 'FlowVersionList' });

export const flowVersionDetailSchema = flowVersionSchema
  .extend({ document: documentSchema })
  .meta({ id: 'FlowVersionDetail' });

export const stepTestParamsSchema = flowParamsSchema.extend({
  stepName: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { error: 'Not a valid step name.' }),
});

export const stepTestBodySchema = z
  .object({
    /** Outputs to resolve `{{…}}` references with, by step name (`trigger`, `step_1`, …). */
    sampleData: z.record(z.string(), z.unknown()).default({}),
  })
  .meta({ id: 'StepTestRequest' });

export const stepTestResultSchema = z
  .object({
    status: z.enum(['SUCCEEDED', 'FAILED']),
    /** The inputs as resolved, secrets masked. */
    input: z.record(z.string(), z.unknown()),
    output: z.unknown().optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    /** What a code step wrote with console.log. */
    logs: z.array(z.string()).optional(),
    durationMs: z.number().int(),
  })
  .meta({ id: 'StepTestResult' });
