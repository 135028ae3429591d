import { z } from 'zod';
import { workspaceParamsSchema } from './schemas.js';

/** Chat: request and response bodies of /api/workspaces/:workspaceId/chat…. */

export const conversationParamsSchema = workspaceParamsSchema.extend({
  conversationId: z.uuid({ error: 'Not a valid conversation id.' }),
});
export const approvalParamsSchema = workspaceParamsSchema.extend({
  approvalId: z.uuid({ error: 'Not a valid approval id.' }),
});
export const operationParamsSchema = workspaceParamsSchema.extend({
  operationId: z.uuid({ error: 'Not a valid operation id.' }),
});

export const chatSettingsSchema = z.object({
  connectionId: z.string().nullable(),
  modelId: z.string().nullable(),
  updatedAt: z.string().nullable(),
  configured: z.boolean(),
});

export const chatSettingsBodySchema = z.object({
  connectionId: z.uuid({ error: 'Choose one of the workspace’s AI connections.' }).nullable(),
  modelId: z
    .string()
    .trim()
    .min(1, { error: 'Choose a model.' })
    .max(200, { error: 'A model id has at most 200 characters.' })
    .nullable(),
});

export const conversationSchema = z.object({
  id: z.string(),
  title: z.string(),
  flowId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const conversationListQuerySchema = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  flowId: z.uuid({ error: 'Not a valid flow id.' }).optional(),
});

export const conversationListSchema = z.object({
  data: z.array(conversationSchema),
  next: z.string().nullable(),
});

export const createConversationBodySchema = z.object({
  title: z.string().trim().max(200, { error: 'A title has at most 200 characters.' }).optional(),
  flowId: z.uuid({ error: 'Not a valid flow id.' }).optional(),
});

const failureSchema = z.object({ code: z.string(), message: z.string() });

export const turnSchema = z.object({
  id: z.string(),
  kind: z.enum(['agent', 'replay']),
  status: z.enum(['running', 'awaiting_approval', 'completed', 'failed']),
  userText: z.string(),
  assistantText: z.string(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  error: failureSchema.nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const chatEventSchema = z.object({
  seq: z.number().int(),
  turnId: z.string(),
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
  at: z.string(),
});

export const approvalSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  turnId: z.string(),
  tool: z.string(),
  title: z.string(),
  pluginId: z.string().nullable(),
  pluginVersion: z.string().nullable(),
  arguments: z.record(z.string(), z.unknown()),
  risk: z.enum(['write', 'destructive']),
  status: z.enum(['pending', 'approved', 'rejected', 'expired']),
  requestedBy: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  expiresAt: z.string(),
  createdAt: z.string(),
});

export const conversationDetailSchema = conversationSchema.extend({
  turns: z.array(turnSchema),
  events: z.array(chatEventSchema),
  approvals: z.array(approvalSchema),
});

export const sendMessageBodySchema = z.object({
  text: z
    .string()
    .trim()
    .min(1, { error: 'Write a message first.' })
    .max(8000, { error: 'A message has at most 8,000 characters.' }),
});

export const approvalListQuerySchema = z.object({
  status: z.enum(['pending', 'approved', 'rejected', 'expired']).optional(),
  conversationId: z.uuid({ error: 'Not a valid conversation id.' }).optional(),
});

export const approvalListSchema = z.object({ data: z.array(approvalSchema) });

export const decisionBodySchema = z.object({
  decision: z.enum(['approve', 'reject'], { error: 'Send "approve" or "reject".' }),
  reason: z
    .string()
    .trim()
    .max(1000, { error: 'A reason has at most 1,000 characters.' })
    .optional(),
});

export const operationSchema = z.object({
  id: z.string(),
  conversationId: z.string().nullable(),
  turnId: z.string().nullable(),
  userId: z.string().nullable(),
  tool: z.string(),
  title: z.string(),
  pluginId: z.string().nullable(),
  pluginVersion: z.string().nullable(),
  arguments: z.record(z.string(), z.unknown()),
  risk: z.enum(['read', 'write', 'destructive']),
  outcome: z.enum(['succeeded', 'failed']),
  resultDigest: z.string().nullable(),
  error: failureSchema.nullable(),
  model: z.string().nullable(),
  replayOf: z.string().nullable(),
  durationMs: z.number().int(),
  executedAt: z.string(),
});

export const operationListQuerySchema = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  conversationId: z.uuid({ error: 'Not a valid conversation id.' }).optional(),
});

export const operationListSchema = z.object({
  data: z.array(operationSchema),
  next: z.string().nullable(),
});

export const replayBodySchema = z.object({
  conversationId: z.uuid({ error: 'Not a valid conversation id.' }).optional(),
});

export const turnStartedSchema = z.object({ conversationId: z.string(), turn: turnSchema });
