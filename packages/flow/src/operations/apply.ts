import { FlowOperationError, type FlowOperationErrorCode } from '../errors.js';
import type { Condition } from '../schema/condition.js';
import { type Flow, flowSchema } from '../schema/flow.js';
import type { Action, ActionBody, RouterAction } from '../schema/steps.js';
import {
  checkFlow,
  describeProblem,
  type FlowProblem,
  preflightFlow,
  zodProblems,
} from '../structure/check.js';
import {
  allSteps,
  chainSteps,
  findUnusedName,
  innerSteps,
  stepNames,
} from '../structure/traverse.js';
import {
  type FlowDocumentOperation,
  type FlowOperation,
  type FlowOperationInput,
  flowOperationSchema,
  isLifecycleOperation,
} from './schema.js';
import {
  alone,
  copyWithFreshNames,
  indexSteps,
  insertInto,
  requireAction,
  requireBranchIndex,
  requireRouter,
  requireStep,
  slotBelow,
  slotHolding,
  takeFrom,
} from './tree.js';

export interface OperationResult {
  flow: Flow;
  /** Steps added, changed or removed (for a canvas to highlight; ADD_ACTION's new name). */
  changedStepNames: string[];
}

type Request<T extends FlowDocumentOperation['type']> = Extract<
  FlowDocumentOperation,
  { type: T }
>['request'];

/**
 * The one reducer for every edit of a flow document. Returns a new document and never
 * mutates its input; the result always passes `flowSchema` and `checkFlow`. Refusals are
 * `FlowOperationError`s whose code and message say exactly why.
 */
export function applyOperation(flow: Flow, operation: FlowOperationInput): OperationResult {
  const op = parseFlowOperation(operation);
  if (isLifecycleOperation(op)) {
    throw new FlowOperationError(
      'invalid_operation',
      `${op.type} changes the flow record, not its document; the server carries it out.`,
    );
  }
  if (op.type === 'IMPORT_FLOW') {
    return { flow: sound(op.request), changedStepNames: namesOf(op.request) };
  }
  const draft = structuredClone(flow);
  const changedStepNames = edit(draft, op);
  return { flow: sound(draft), changedStepNames };
}

/**
 * Reads an untrusted operation (a request body, a chat tool call). The result owns all its
 * values: nothing in it is shared with the input.
 */
export function parseFlowOperation(value: unknown): FlowOperation {
  const importing = isRecord(value) && value.type === 'IMPORT_FLOW';
  if (importing) {
    const [early] = preflightFlow(value.request);
    if (early) {
      throw new FlowOperationError(limitCode(early.code) ?? 'invalid_flow', early.message, [early]);
    }
  }
  const parsed = flowOperationSchema.safeParse(value);
  if (!parsed.success) {
    const problems = zodProblems(parsed.error);
    const code = importing ? 'invalid_flow' : 'invalid_operation';
    throw new FlowOperationError(code, refusal(problems), problems);
  }
  return structuredClone(parsed.data);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function edit(draft: Flow, op: Exclude<FlowDocumentOperation, { type: 'IMPORT_FLOW' }>): string[] {
  switch (op.type) {
    case 'UPDATE_TRIGGER':
      return updateTrigger(draft, op.request);
    case 'ADD_ACTION':
      return addAction(draft, op.request);
    case 'UPDATE_ACTION':
      return updateAction(draft, op.request);
    case 'DELETE_ACTION':
      return deleteActions(draft, op.request);
    case 'MOVE_ACTION':
      return moveAction(draft, op.request);
    case 'DUPLICATE_ACTION':
      return duplicateAction(draft, op.request);
    case 'SET_SKIP_ACTION':
      return setSkip(draft, op.request);
    case 'ADD_BRANCH':
      return addBranch(draft, op.request);
    case 'DELETE_BRANCH':
      return deleteBranch(draft, op.request);
    case 'DUPLICATE_BRANCH':
      return duplicateBranch(draft, op.request);
    case 'CHANGE_NAME':
      draft.displayName = op.request.displayName;
      return [];
  }
}

function updateTrigger(draft: Flow, request: Request<'UPDATE_TRIGGER'>): string[] {
  const next = draft.trigger.nextAction;
  draft.trigger = next ? { ...request, nextAction: next } : request;
  return [draft.trigger.name];
}

function addAction(draft: Flow, request: Request<'ADD_ACTION'>): string[] {
  const used = stepNames(draft);
  const name = request.action.name ?? findUnusedName(used);
  if (used.has(name)) {
    throw new FlowOperationError('name_taken', `A step is already named "${name}".`);
  }
  const parent = requireStep(indexSteps(draft), request.parentStep).step;
  const slot = slotBelow(parent, request.stepLocationRelativeToParent, request.branchIndex);
  insertInto(slot, withChildren({ ...request.action, name }, undefined));
  return [name];
}

function updateAction(draft: Flow, request: Request<'UPDATE_ACTION'>): string[] {
  const index = indexSteps(draft);
  const visit = requireAction(index, request.name);
  const old = visit.step;
  const updated: Action = {
    ...withChildren(request, old),
    ...(request.skip === undefined && old.skip !== undefined ? { skip: old.skip } : {}),
  };
  if (old.nextAction) updated.nextAction = old.nextAction;
  slotHolding(index, visit).set(updated);
  return [request.name];
}

/**
 * A request's step with what hangs inside it: kept from `old` when the kind of step allows,
 * empty for a new one. Refuses changes that would silently drop steps.
 */
function withChildren(body: ActionBody & { name: string }, old: Action | undefined): Action {
  const dropping = () => {
    if (old && innerSteps(old).length > 0) {
      throw new FlowOperationError(
        'step_has_children',
        `${old.name} has steps inside it; changing it from ${old.type} to ${body.type} would drop them. Move or delete them first.`,
      );
    }
  };
  switch (body.type) {
    case 'LOOP_ON_ITEMS':
      if (old?.type === 'LOOP_ON_ITEMS') {
        return old.firstLoopAction ? { ...body, firstLoopAction: old.firstLoopAction } : body;
      }
      dropping();
      return body;
    case 'ROUTER': {
      const empty = body.settings.branches.map(() => null);
      if (old?.type !== 'ROUTER') {
        dropping();
        return { ...body, children: empty };
      }
      if (old.children.length === empty.length) return { ...body, children: old.children };
      if (old.children.every((child) => child === null)) return { ...body, children: empty };
      throw new FlowOperationError(
        'step_has_children',
        `${old.name} has steps in its branches, so UPDATE_ACTION keeps its ${old.children.length} branches; add or delete branches with ADD_BRANCH and DELETE_BRANCH.`,
      );
    }
    default:
      dropping();
      return body;
  }
}

function deleteActions(draft: Flow, request: Request<'DELETE_ACTION'>): string[] {
  const names = [...new Set(request.names)];
  const before = indexSteps(draft);
  for (const name of names) requireAction(before, name);
  const deleted: string[] = [];
  for (const name of names) {
    // Re-indexed after each deletion: the steps after a deleted one have a new parent.
    const index = indexSteps(draft);
    if (!index.has(name)) continue; // inside a loop or router deleted before it
    const step = takeFrom(slotHolding(index, requireAction(index, name)));
    deleted.push(name, ...innerSteps(step).map((s) => s.name));
  }
  return deleted;
}

function moveAction(draft: Flow, request: Request<'MOVE_ACTION'>): string[] {
  const index = indexSteps(draft);
  const moved = requireAction(index, request.name);
  const parent = requireStep(index, request.newParentStep);
  if (parent.step.name === request.name || parent.containers.includes(request.name)) {
    throw new FlowOperationError(
      'cannot_move_into_itself',
      parent.step.name === request.name
        ? `${request.name} cannot be placed relative to itself.`
        : `${request.name} cannot move inside itself: ${request.newParentStep} is inside it.`,
    );
  }
  const step = takeFrom(slotHolding(index, moved));
  insertInto(
    slotBelow(parent.step, request.stepLocationRelativeToParent, request.branchIndex),
    step,
  );
  return [request.name];
}

function duplicateAction(draft: Flow, request: Request<'DUPLICATE_ACTION'>): string[] {
  const { step } = requireAction(indexSteps(draft), request.stepName);
  const { copy, names } = copyWithFreshNames(alone(step), stepNames(draft), { withNext: false });
  insertInto(slotBelow(step, 'AFTER', undefined), copy);
  return names;
}

function setSkip(draft: Flow, request: Request<'SET_SKIP_ACTION'>): string[] {
  const index = indexSteps(draft);
  const steps = request.names.map((name) => requireAction(index, name).step);
  for (const step of steps) step.skip = request.skip;
  return [...new Set(request.names)];
}

/** What a new branch tests until someone fills it in (as Activepieces starts one). */
const emptyCondition: Condition = {
  firstValue: '',
  operator: 'TEXT_CONTAINS',
  secondValue: '',
  caseSensitive: false,
};

function addBranch(draft: Flow, request: Request<'ADD_BRANCH'>): string[] {
  const router = requireRouter(indexSteps(draft), request.stepName);
  requireBranchIndex(router, request.branchIndex, fallbackIndex(router));
  router.settings.branches.splice(request.branchIndex, 0, {
    branchType: 'CONDITION',
    branchName: request.branchName,
    conditions: request.conditions ?? [[{ ...emptyCondition }]],
  });
  router.children.splice(request.branchIndex, 0, null);
  return [router.name];
}

function deleteBranch(draft: Flow, request: Request<'DELETE_BRANCH'>): string[] {
  const router = requireRouter(indexSteps(draft), request.stepName);
  requireBranchIndex(router, request.branchIndex, router.settings.branches.length - 1);
  if (request.branchIndex === fallbackIndex(router)) {
    throw new FlowOperationError(
      'cannot_delete_fallback',
      `Branch ${request.branchIndex} of ${router.name} is its fallback; every router keeps one.`,
    );
  }
  router.settings.branches.splice(request.branchIndex, 1);
  const [removed] = router.children.splice(request.branchIndex, 1);
  return [router.name, ...chainSteps(removed).map((v) => v.step.name)];
}

function duplicateBranch(draft: Flow, request: Request<'DUPLICATE_BRANCH'>): string[] {
  const router = requireRouter(indexSteps(draft), request.stepName);
  requireBranchIndex(router, request.branchIndex, router.settings.branches.length - 1);
  const branch = router.settings.branches[request.branchIndex];
  if (branch?.branchType !== 'CONDITION') {
    throw new FlowOperationError(
      'cannot_duplicate_fallback',
      `Branch ${request.branchIndex} of ${router.name} is its fallback; a router has only one.`,
    );
  }
  const child = router.children[request.branchIndex];
  const copied = child ? copyWithFreshNames(child, stepNames(draft), { withNext: true }) : null;
  router.settings.branches.splice(request.branchIndex + 1, 0, {
    ...structuredClone(branch),
    branchName: `${branch.branchName} Copy`.slice(0, 200),
  });
  router.children.splice(request.branchIndex + 1, 0, copied?.copy ?? null);
  return [router.name, ...(copied?.names ?? [])];
}

function fallbackIndex(router: RouterAction): number {
  return router.settings.branches.length - 1;
}

/**
 * The guarantee of the reducer: what it returns is a sound document. The structural check
 * runs first (it cannot overflow the stack, zod on an oversized tree could).
 */
function sound(flow: Flow): Flow {
  const problems = checkFlow(flow);
  const [first] = problems;
  if (first) {
    const code = limitCode(first.code) ?? 'invalid_flow';
    throw new FlowOperationError(code, refusal(problems), problems);
  }
  const parsed = flowSchema.safeParse(flow);
  if (!parsed.success) {
    const found = zodProblems(parsed.error);
    throw new FlowOperationError('invalid_flow', refusal(found), found);
  }
  return parsed.data;
}

function limitCode(code: FlowProblem['code']): FlowOperationErrorCode | undefined {
  return code === 'too_many_steps' || code === 'too_deep' || code === 'too_many_branches'
    ? code
    : undefined;
}

function refusal(problems: FlowProblem[]): string {
  const shown = problems.slice(0, 3).map(describeProblem).join('; ');
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return `${shown}${more}`;
}

function namesOf(flow: Flow): string[] {
  return allSteps(flow).map((v) => v.step.name);
}
