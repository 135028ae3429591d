import { z } from 'zod';
import { flowParamsSchema } from './flow-schemas.js';

/** Runs: request and response bodies of /api/workspaces/:workspaceId/runs… and /hooks. */

export const runStatusSchema = z.enum([
  'QUEUED',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
  'SKIPPED',
]);

export const runParamsSchema = z.object({
  workspaceId: z.uuid({ error: 'Not a valid workspace id.' }),
  runId: z.uuid({ error: 'Not a valid run id.' }),
});

const failureSchema = z.object({
  code: z.string(),
  message: z.string(),
  step: z.string().optional(),
});

export const stepRecordSchema = z
  .object({
    name: z.string(),
    displayName: z.string(),
    type: z.enum(['TRIGGER', 'PLUGIN', 'CODE', 'LOOP_ON_ITEMS', 'ROUTER']),
    iteration: z.array(z.number().int()).optional(),
    status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED']),
    input: z.unknown().optional(),
    output: z.unknown().optional(),
    error: failureSchema.optional(),
    logs: z.array(z.string()).optional(),
    attempts: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    durationMs: z.number().optional(),
  })
  .meta({
    id: 'StepRecord',
    description:
      'One entry of a run timeline. A value too large to keep is replaced by {"$truncated": true, "bytes", "preview"}.',
  });

export const runSummarySchema = z
  .object({
    id: z.uuid(),
    flowId: z.uuid(),
    flowDisplayName: z.string().nullable(),
    flowVersionId: z.uuid().nullable(),
    /** A test run of the draft rather than of a published version. */
    draft: z.boolean(),
    triggerKind: z.enum(['manual', 'webhook', 'schedule', 'polling', 'test']),
    status: runStatusSchema,
    attempt: z.number().int(),
    error: failureSchema.nullable(),
    createdBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    durationMs: z.number().int().nullable(),
  })
  .meta({ id: 'RunSummary' });

export const runSchema = runSummarySchema
  .extend({
    steps: z.array(stepRecordSchema),
    /** Step records not kept (loops over many items): the timeline ends early. */
    recordsDropped: z.number().int(),
    cancelRequested: z.boolean(),
    response: z
      .object({
        status: z.number().int(),
        headers: z.record(z.string(), z.string()),
        body: z.unknown(),
      })
      .nullable(),
  })
  .meta({ id: 'Run' });

export const runListSchema = z
  .object({ data: z.array(runSummarySchema), next: z.string().nullable() })
  .meta({ id: 'RunList' });

export const runListQuerySchema = z.object({
  flowId: z.uuid({ error: 'Not a valid flow id.' }).optional(),
  status: runStatusSchema.optional(),
  from: z.iso
    .datetime({ error: 'Use an ISO 8601 date-time, e.g. 2026-11-26T00:00:00Z.' })
    .optional(),
  to: z.iso.datetime({ error: 'Use an ISO 8601 date-time, e.g. 2026-11-26T00:00:00Z.' }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const startRunParamsSchema = flowParamsSchema;

export const startRunBodySchema = z
  .object({
    /** What the trigger receives, e.g. the test payload of a manual trigger. */
    payload: z.unknown().optional(),
    /** `draft` runs the current draft (Flow Studio's "test flow"); default the published version. */
    version: z.enum(['published', 'draft']).default('published'),
  })
  .meta({ id: 'StartRun' });

export const retryRunBodySchema = z
  .object({ from: z.enum(['start', 'failed_step']).default('start') })
  .meta({ id: 'RetryRun' });

export const webhookParamsSchema = z.object({
  flowId: z.uuid({ error: 'Not a valid flow id.' }),
  secret: z.string().regex(/^[0-9a-f]{16,128}$/, { error: 'Not a valid webhook address.' }),
});

export const webhookAcceptedSchema = z
  .object({ runId: z.uuid(), status: z.literal('QUEUED') })
  .meta({ id: 'WebhookAccepted' });

/** A sync webhook whose flow ended without a webhook response step answering. */
export const webhookFinishedSchema = z
  .object({
    runId: z.uuid(),
    status: runStatusSchema,
    error: z
      .object({ code: z.string(), message: z.string(), step: z.string().optional() })
      .nullable(),
  })
  .meta({ id: 'WebhookRunFinished' });
