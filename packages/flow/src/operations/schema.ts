import { z } from 'zod';
import { conditionSchema } from '../schema/condition.js';
import { flowSchema } from '../schema/flow.js';
import { actionBodySchema, newActionSchema, triggerBodySchema } from '../schema/steps.js';
import { stepLocations } from '../structure/traverse.js';

// Steps are named by plain strings here: a name that matches no step is refused by the
// reducer with `step_not_found`, which says more than a pattern mismatch would.
const stepRef = z.string();

const location = {
  stepLocationRelativeToParent: z.enum(stepLocations),
  /** INSIDE_BRANCH only: which branch of the router. */
  branchIndex: z.number().int().optional(),
};

const op = <T extends string, R extends z.ZodType>(type: T, request: R) =>
  z.object({ type: z.literal(type), request });

/** Edits of the flow document, each applied by `applyOperation`. */
export const documentOperationSchemas = [
  /** Replaces the whole document. */
  op('IMPORT_FLOW', flowSchema),
  /** Replaces the trigger, keeping the steps below it. */
  op('UPDATE_TRIGGER', triggerBodySchema),
  op('ADD_ACTION', z.object({ parentStep: stepRef, ...location, action: newActionSchema })),
  /** Replaces a step's settings; the step is found by `name` and keeps its children. */
  op('UPDATE_ACTION', actionBodySchema),
  /** Deleting a loop or router deletes what is inside it. */
  op('DELETE_ACTION', z.object({ names: z.array(stepRef).min(1) })),
  /** Moves a step (with what is inside it) to a new place; the step after it stays. */
  op('MOVE_ACTION', z.object({ name: stepRef, newParentStep: stepRef, ...location })),
  /** Copies a step (with what is inside it) right after itself, under fresh names. */
  op('DUPLICATE_ACTION', z.object({ stepName: stepRef })),
  op('SET_SKIP_ACTION', z.object({ names: z.array(stepRef).min(1), skip: z.boolean() })),
  /** Adds a condition branch at `branchIndex` (at most the fallback's index). */
  op(
    'ADD_BRANCH',
    z.object({
      stepName: stepRef,
      branchIndex: z.number().int(),
      branchName: z.string().min(1).max(200),
      conditions: z.array(z.array(conditionSchema)).optional(),
    }),
  ),
  op('DELETE_BRANCH', z.object({ stepName: stepRef, branchIndex: z.number().int() })),
  /** Copies a condition branch (and its steps, under fresh names) right after itself. */
  op('DUPLICATE_BRANCH', z.object({ stepName: stepRef, branchIndex: z.number().int() })),
  /** Renames the flow. */
  op('CHANGE_NAME', z.object({ displayName: flowSchema.shape.displayName })),
] as const;

export const flowStatusSchema = z.enum(['ENABLED', 'DISABLED']);
export type FlowStatus = z.infer<typeof flowStatusSchema>;

/**
 * Operations on the flow record rather than its document (versions and status): the server
 * carries them out; `applyOperation` refuses them.
 */
export const lockAndPublishRequestSchema = z.object({ status: flowStatusSchema.optional() });
export const changeStatusRequestSchema = z.object({ status: flowStatusSchema });
export const useAsDraftRequestSchema = z.object({ versionId: z.string().min(1) });

export const lifecycleOperationSchemas = [
  op('LOCK_AND_PUBLISH', lockAndPublishRequestSchema),
  op('CHANGE_STATUS', changeStatusRequestSchema),
  op('USE_AS_DRAFT', useAsDraftRequestSchema),
] as const;

export const flowDocumentOperationSchema = z.discriminatedUnion('type', documentOperationSchemas);
export const flowLifecycleOperationSchema = z.discriminatedUnion('type', lifecycleOperationSchemas);

/** Every operation, as `POST …/flows/:flowId/operations` accepts it: `{ type, request }`. */
export const flowOperationSchema = z.discriminatedUnion('type', [
  ...documentOperationSchemas,
  ...lifecycleOperationSchemas,
]);

export type FlowDocumentOperation = z.infer<typeof flowDocumentOperationSchema>;
export type FlowLifecycleOperation = z.infer<typeof flowLifecycleOperationSchema>;
export type FlowOperation = z.infer<typeof flowOperationSchema>;
/** What callers write (defaults such as `valid: false` may be left out). */
export type FlowOperationInput = z.input<typeof flowOperationSchema>;
export type FlowOperationType = FlowOperation['type'];

const lifecycleTypes: ReadonlySet<string> = new Set(
  lifecycleOperationSchemas.map((s) => s.shape.type.value),
);

export function isLifecycleOperation(operation: {
  type: string;
}): operation is FlowLifecycleOperation {
  return lifecycleTypes.has(operation.type);
}
