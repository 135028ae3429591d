import type { Action, FlowStep } from '../schema/steps.js';
import { renameReferences } from './references.js';

/** The part of a step's settings where templates are read (code itself is not templated). */
export function templatedSettings(step: FlowStep): unknown {
  switch (step.type) {
    case 'PLUGIN':
    case 'CODE':
    case 'PLUGIN_TRIGGER':
      return step.settings.input;
    case 'LOOP_ON_ITEMS':
      return step.settings.items;
    case 'ROUTER':
      return step.settings.branches.map((b) => (b.branchType === 'CONDITION' ? b.conditions : []));
    case 'EMPTY':
      return undefined;
  }
}

/** Points references to renamed steps (in the step's templated settings) at the new names. */
export function renameStepReferences(step: Action, renames: ReadonlyMap<string, string>): void {
  const rename = <T>(value: T): T => renameReferences(value, renames);
  switch (step.type) {
    case 'PLUGIN':
    case 'CODE':
      step.settings.input = rename(step.settings.input);
      return;
    case 'LOOP_ON_ITEMS':
      step.settings.items = rename(step.settings.items);
      return;
    case 'ROUTER':
      for (const branch of step.settings.branches) {
        if (branch.branchType === 'CONDITION') branch.conditions = rename(branch.conditions);
      }
      return;
  }
}
