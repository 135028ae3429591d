import type { Action, Flow } from '@pmos/flow';
import { type DropPlace, movesTo, placeKey } from './drop-places.js';
import type { AddPlace } from './graph-layout.js';

/** A place a step can be moved to by keyboard, named for a person. */
export interface MovePlace {
  place: AddPlace;
  key: string;
  label: string;
}

const quoted = (name: string) => `“${name}”`;

/**
 * The places the selected step can move to, in reading order: the drop places of the drag
 * (those that would move it), without the ones inside the step itself, each with a label
 * such as “After “Say hello”” or “In branch “Large” of “By amount” (first)”.
 */
export function movePlacesOf(
  flow: Flow,
  places: readonly DropPlace[],
  stepName: string,
): MovePlace[] {
  const droppable = new Map(
    places.filter((p) => movesTo(p, stepName)).map((p) => [placeKey(p.place), p.place]),
  );
  const result: MovePlace[] = [];
  const offer = (place: AddPlace, label: string) => {
    const key = placeKey(place);
    const known = droppable.get(key);
    if (known) result.push({ place: known, key, label });
  };
  const walkChain = (first: Action | undefined, within: string) => {
    for (let step = first; step; step = step.nextAction) walk(step, within);
  };
  const walk = (step: Action, within: string) => {
    // Nothing of the moved step is a place for it.
    if (step.name === stepName) return;
    const name = quoted(step.displayName);
    if (step.type === 'LOOP_ON_ITEMS') {
      offer(
        { parentStep: step.name, stepLocationRelativeToParent: 'INSIDE_LOOP' },
        `Inside loop ${name} (first)`,
      );
      walkChain(step.firstLoopAction, ` (in loop ${name})`);
    } else if (step.type === 'ROUTER') {
      step.children.forEach((child, branchIndex) => {
        const branch = quoted(
          step.settings.branches[branchIndex]?.branchName ?? `Branch ${branchIndex + 1}`,
        );
        offer(
          { parentStep: step.name, stepLocationRelativeToParent: 'INSIDE_BRANCH', branchIndex },
          `In branch ${branch} of ${name} (first)`,
        );
        walkChain(child ?? undefined, ` (in branch ${branch} of ${name})`);
      });
    }
    offer(
      { parentStep: step.name, stepLocationRelativeToParent: 'AFTER' },
      `After ${name}${within}`,
    );
  };
  offer(
    { parentStep: flow.trigger.name, stepLocationRelativeToParent: 'AFTER' },
    `After ${quoted(flow.trigger.displayName)} (first step)`,
  );
  walkChain(flow.trigger.nextAction, '');
  return result;
}
