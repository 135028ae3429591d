import { FlowOperationError } from '../errors.js';
import type { Flow } from '../schema/flow.js';
import type { Action, FlowStep, RouterAction } from '../schema/steps.js';
import {
  allSteps,
  chainSteps,
  findUnusedName,
  type StepLocation,
  type StepLocationRelativeToParent,
  type StepVisit,
} from '../structure/traverse.js';
import { renameStepReferences } from '../template/step-inputs.js';

// Helpers for the reducer. They mutate a draft: `applyOperation` hands them its own deep
// copy of the document and never the caller's.

/** A place in the tree that holds a chain: a `nextAction`, a loop body or a branch. */
export interface Slot {
  get(): Action | undefined;
  set(action: Action | undefined): void;
}

export function indexSteps(flow: Flow): Map<string, StepVisit> {
  return new Map(allSteps(flow).map((visit) => [visit.step.name, visit]));
}

export function requireStep(index: Map<string, StepVisit>, name: string): StepVisit {
  const visit = index.get(name);
  if (!visit) throw new FlowOperationError('step_not_found', `No step is named "${name}".`);
  return visit;
}

export function requireAction(index: Map<string, StepVisit>, name: string): StepVisit<Action> {
  const visit = requireStep(index, name);
  if (visit.step.type === 'EMPTY' || visit.step.type === 'PLUGIN_TRIGGER') {
    throw new FlowOperationError(
      'not_an_action',
      `"${name}" is the trigger, not an action; change it with UPDATE_TRIGGER.`,
    );
  }
  return visit as StepVisit<Action>;
}

export function requireRouter(index: Map<string, StepVisit>, name: string): RouterAction {
  const { step } = requireStep(index, name);
  if (step.type !== 'ROUTER') {
    throw new FlowOperationError('not_a_router', `${name} is a ${step.type} step, not a ROUTER.`);
  }
  return step;
}

export function requireBranchIndex(router: RouterAction, index: number, max: number): void {
  if (index < 0 || index > max) {
    throw new FlowOperationError(
      'branch_index_out_of_range',
      `Branch index ${index} is out of range for ${router.name}: use 0 to ${max}.`,
    );
  }
}

/** The slot below `parent` at a location, refusing places that do not exist. */
export function slotBelow(
  parent: FlowStep,
  where: StepLocationRelativeToParent,
  branchIndex: number | undefined,
): Slot {
  if (where === 'AFTER') {
    return {
      get: () => parent.nextAction,
      set: (action) => {
        if (action) parent.nextAction = action;
        else delete parent.nextAction;
      },
    };
  }
  if (where === 'INSIDE_LOOP') {
    if (parent.type !== 'LOOP_ON_ITEMS') {
      throw new FlowOperationError(
        'invalid_location',
        `${parent.name} is a ${parent.type} step, not a loop: INSIDE_LOOP needs a LOOP_ON_ITEMS parent.`,
      );
    }
    return {
      get: () => parent.firstLoopAction,
      set: (action) => {
        if (action) parent.firstLoopAction = action;
        else delete parent.firstLoopAction;
      },
    };
  }
  if (parent.type !== 'ROUTER') {
    throw new FlowOperationError(
      'invalid_location',
      `${parent.name} is a ${parent.type} step, not a router: INSIDE_BRANCH needs a ROUTER parent.`,
    );
  }
  if (branchIndex === undefined) {
    throw new FlowOperationError('invalid_location', 'INSIDE_BRANCH needs a branchIndex.');
  }
  requireBranchIndex(parent, branchIndex, parent.children.length - 1);
  return {
    get: () => parent.children[branchIndex] ?? undefined,
    set: (action) => {
      parent.children[branchIndex] = action ?? null;
    },
  };
}

/** The slot that holds a step now. */
export function slotOf(index: Map<string, StepVisit>, location: StepLocation): Slot {
  const parent = requireStep(index, location.parentStep).step;
  return slotBelow(parent, location.stepLocationRelativeToParent, location.branchIndex);
}

/** The slot that holds an action now. */
export function slotHolding(index: Map<string, StepVisit>, visit: StepVisit<Action>): Slot {
  if (!visit.location) throw new Error(`${visit.step.name} has no place in the tree`);
  return slotOf(index, visit.location);
}

/** Puts a lone step into a slot; what the slot held comes after it. */
export function insertInto(slot: Slot, action: Action): void {
  const next = slot.get();
  if (next) action.nextAction = next;
  else delete action.nextAction;
  slot.set(action);
}

/** The step without the chain after it (a shallow copy). */
export function alone(action: Action): Action {
  const copy = { ...action };
  delete copy.nextAction;
  return copy;
}

/** Takes the step out of its slot (the step after it moves up) and returns it alone. */
export function takeFrom(slot: Slot): Action {
  const action = slot.get();
  if (!action) throw new Error('takeFrom: the slot is empty');
  slot.set(action.nextAction);
  delete action.nextAction;
  return action;
}

/**
 * A deep copy of a chain (or of one step, with `withNext: false`) whose steps take fresh
 * `step_N` names; references between copied steps are pointed at the copies, references to
 * steps outside stay.
 */
export function copyWithFreshNames(
  first: Action,
  used: Set<string>,
  { withNext }: { withNext: boolean },
): { copy: Action; names: string[] } {
  const copy = structuredClone(withNext ? first : alone(first));
  const visits = chainSteps(copy);
  const renames = new Map<string, string>();
  for (const { step } of visits) {
    const name = findUnusedName(used);
    used.add(name);
    renames.set(step.name, name);
  }
  for (const { step } of visits) {
    step.name = renames.get(step.name) ?? step.name;
    renameStepReferences(step, renames);
  }
  return { copy, names: [...renames.values()] };
}
