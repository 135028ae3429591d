import { z } from 'zod';
import { flowFormatVersion } from '../version.js';
import { triggerSchema } from './steps.js';

export const flowNoteSchema = z.object({
  id: z.string().min(1),
  content: z.string(),
  color: z.string().optional(),
  position: z.object({ x: z.number(), y: z.number() }).optional(),
  size: z.object({ width: z.number(), height: z.number() }).optional(),
});

/**
 * A flow document (the Activepieces FlowVersion shape): the trigger and the chain of actions
 * hanging below it. Only documents of the current format parse; older ones are migrated first.
 */
export const flowSchema = z.object({
  displayName: z.string().min(1, 'A flow needs a name').max(200),
  schemaVersion: z.literal(flowFormatVersion),
  trigger: triggerSchema,
  notes: z.array(flowNoteSchema).optional(),
});

export type Flow = z.infer<typeof flowSchema>;
export type FlowNote = z.infer<typeof flowNoteSchema>;
