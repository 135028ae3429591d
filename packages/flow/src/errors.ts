import type { FlowProblem } from './structure/check.js';

const brand = Symbol.for('pmos.flow.operation-error');

/** Every reason `applyOperation` refuses an operation, in one place. */
export type FlowOperationErrorCode =
  | 'invalid_operation'
  | 'invalid_flow'
  | 'step_not_found'
  | 'not_an_action'
  | 'name_taken'
  | 'invalid_location'
  | 'cannot_move_into_itself'
  | 'not_a_router'
  | 'branch_index_out_of_range'
  | 'cannot_delete_fallback'
  | 'cannot_duplicate_fallback'
  | 'step_has_children'
  | 'too_many_steps'
  | 'too_deep'
  | 'too_many_branches';

/** An operation that cannot be applied; the message says why, for a person. */
export class FlowOperationError extends Error {
  readonly [brand] = true;
  readonly code: FlowOperationErrorCode;
  /** Every problem found, when there are several (an invalid imported flow, say). */
  readonly problems: FlowProblem[];

  constructor(code: FlowOperationErrorCode, message: string, problems: FlowProblem[] = []) {
    super(message);
    this.name = 'FlowOperationError';
    this.code = code;
    this.problems = problems;
  }
}

/** Brand check, true across duplicate copies of this package (unlike `instanceof`). */
export function isFlowOperationError(value: unknown): value is FlowOperationError {
  return typeof value === 'object' && value !== null && brand in value;
}
