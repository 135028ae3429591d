import type { Flow } from '../schema/flow.js';
import type { Action, FlowStep } from '../schema/steps.js';

export const stepLocations = ['AFTER', 'INSIDE_LOOP', 'INSIDE_BRANCH'] as const;
export type StepLocationRelativeToParent = (typeof stepLocations)[number];

/** Where a step hangs, in the words ADD_ACTION and MOVE_ACTION use for a place. */
export interface StepLocation {
  parentStep: string;
  stepLocationRelativeToParent: StepLocationRelativeToParent;
  /** Only INSIDE_BRANCH: which of the router's branches. */
  branchIndex?: number;
}

export type StepPath = (string | number)[];

export interface StepVisit<S extends FlowStep = FlowStep> {
  step: S;
  /** `null` for the trigger. */
  location: StepLocation | null;
  /** The loops and routers the step sits inside, outermost first. */
  containers: string[];
  /** Where the step is in the document, e.g. `['trigger', 'nextAction', 'children', 0]`. */
  path: StepPath;
}

interface Start {
  location: StepLocation | null;
  containers: string[];
  path: StepPath;
}

/**
 * Every step in pre-order: a step, then what sits inside it (loop body, branches in order),
 * then the step after it. An explicit stack, so a long chain cannot exhaust the call stack.
 */
export function allSteps(flow: Flow): StepVisit[] {
  const trigger = flow.trigger;
  const first: StepVisit = { step: trigger, location: null, containers: [], path: ['trigger'] };
  return [
    first,
    ...chainSteps(trigger.nextAction, {
      location: { parentStep: trigger.name, stepLocationRelativeToParent: 'AFTER' },
      containers: [],
      path: ['trigger', 'nextAction'],
    }),
  ];
}

// Paths are kept as links to the parent's path and spelled out only when read: copying them
// at every step would make a long chain quadratic.
interface PathLink {
  keys: StepPath;
  parent: PathLink | undefined;
}

interface Pending {
  step: Action;
  location: StepLocation | null;
  containers: string[];
  link: PathLink;
}

/** The steps of a chain and of everything inside it, in pre-order. */
export function chainSteps(
  first: Action | null | undefined,
  start: Start = { location: null, containers: [], path: [] },
): StepVisit<Action>[] {
  const visits: StepVisit<Action>[] = [];
  const root: PathLink = { keys: start.path, parent: undefined };
  const stack: Pending[] = first
    ? [{ step: first, location: start.location, containers: start.containers, link: root }]
    : [];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { step, location, containers, link } = item;
    visits.push({
      step,
      location,
      containers,
      get path() {
        return spell(link);
      },
    });
    const inside = [...containers, step.name];
    const below = (keys: StepPath): PathLink => ({ keys, parent: link });
    // Pushed in reverse: what is inside the step comes off the stack before the step after it.
    if (step.nextAction) {
      stack.push({
        step: step.nextAction,
        location: { parentStep: step.name, stepLocationRelativeToParent: 'AFTER' },
        containers,
        link: below(['nextAction']),
      });
    }
    if (step.type === 'ROUTER') {
      for (let i = step.children.length - 1; i >= 0; i--) {
        const child = step.children[i];
        if (!child) continue;
        stack.push({
          step: child,
          location: {
            parentStep: step.name,
            stepLocationRelativeToParent: 'INSIDE_BRANCH',
            branchIndex: i,
          },
          containers: inside,
          link: below(['children', i]),
        });
      }
    }
    if (step.type === 'LOOP_ON_ITEMS' && step.firstLoopAction) {
      stack.push({
        step: step.firstLoopAction,
        location: { parentStep: step.name, stepLocationRelativeToParent: 'INSIDE_LOOP' },
        containers: inside,
        link: below(['firstLoopAction']),
      });
    }
  }
  return visits;
}

function spell(link: PathLink): StepPath {
  const parts: StepPath[] = [];
  for (let at: PathLink | undefined = link; at; at = at.parent) parts.push(at.keys);
  return parts.reverse().flat();
}

/** What sits inside a loop or router (with the chains there), not the step after it. */
export function innerSteps(action: Action): Action[] {
  const heads =
    action.type === 'LOOP_ON_ITEMS'
      ? [action.firstLoopAction]
      : action.type === 'ROUTER'
        ? action.children
        : [];
  return heads.flatMap((head) => chainSteps(head).map((visit) => visit.step));
}

export function getStep(flow: Flow, name: string): FlowStep | undefined {
  return allSteps(flow).find((visit) => visit.step.name === name)?.step;
}

export function stepNames(flow: Flow): Set<string> {
  return new Set(allSteps(flow).map((visit) => visit.step.name));
}

/** The first `step_N` (N from 1) that no step has, as Activepieces names new steps. */
export function findUnusedName(flow: Flow | ReadonlySet<string>): string {
  const used = flow instanceof Set ? flow : stepNames(flow as Flow);
  for (let n = 1; ; n++) {
    if (!used.has(`step_${n}`)) return `step_${n}`;
  }
}

/**
 * The steps whose output a step can use, in run order (the trigger first): the steps before
 * it in its chain, and the loops or routers it sits inside with the steps before those.
 * Steps in other branches, inside earlier loops, or after it are not among them.
 * `undefined` when no step has that name.
 */
export function precedingSteps(flow: Flow, name: string): string[] | undefined {
  return precedingStepsOf(allSteps(flow)).get(name);
}

/** `precedingSteps` for every step at once. */
export function precedingStepsOf(visits: readonly StepVisit[]): Map<string, string[]> {
  const parentOf = new Map(visits.map((v) => [v.step.name, v.location?.parentStep]));
  const result = new Map<string, string[]>();
  for (const visit of visits) {
    const before: string[] = [];
    const seen = new Set<string>();
    for (let p = parentOf.get(visit.step.name); p !== undefined && !seen.has(p); ) {
      seen.add(p);
      before.push(p);
      p = parentOf.get(p);
    }
    result.set(visit.step.name, before.reverse());
  }
  return result;
}
