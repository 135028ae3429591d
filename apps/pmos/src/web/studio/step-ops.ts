import type { Action, FlowOperationInput, FlowStep, NewAction } from '@pmos/flow';
import type { Catalog } from '../api-types.js';
import { defaultInput, propsOf } from './catalog.js';
import type { AddPlace } from './graph-layout.js';
import type { StepChoice } from './step-picker.js';

/** The operation that replaces a step's name or settings (its children stay). */
export function updateOperation(
  step: FlowStep,
  changes: { displayName?: string; settings?: unknown; skip?: boolean },
): FlowOperationInput {
  const displayName = changes.displayName ?? step.displayName;
  const settings = changes.settings ?? step.settings;
  if (step.name === 'trigger') {
    return {
      type: 'UPDATE_TRIGGER',
      request: {
        name: 'trigger',
        displayName,
        valid: step.valid,
        type: step.type,
        settings,
      } as never,
    };
  }
  const action = step as Action;
  const skip = changes.skip ?? action.skip;
  return {
    type: 'UPDATE_ACTION',
    request: {
      name: action.name,
      displayName,
      valid: action.valid,
      type: action.type,
      settings,
      ...(skip === undefined ? {} : { skip }),
    } as never,
  };
}

/** The operation that sets one input of a plugin or code step, clearing what depended on it. */
export function setInputOperation(
  step: FlowStep,
  name: string,
  value: unknown,
  clear: readonly string[] = [],
): FlowOperationInput | null {
  if (!('input' in step.settings)) return null;
  const input = { ...(step.settings.input as Record<string, unknown>) };
  if (value === undefined) delete input[name];
  else input[name] = value;
  for (const dependent of clear) delete input[dependent];
  return updateOperation(step, { settings: { ...step.settings, input } });
}

const newRouter = {
  branches: [
    {
      branchType: 'CONDITION',
      branchName: 'Branch 1',
      conditions: [
        [{ firstValue: '', operator: 'TEXT_CONTAINS', secondValue: '', caseSensitive: false }],
      ],
    },
    { branchType: 'FALLBACK', branchName: 'Otherwise' },
  ],
  executionType: 'EXECUTE_FIRST_MATCH',
} as const;

/** A new action for a picker choice, with its props' default values. */
export function newAction(choice: StepChoice): NewAction {
  switch (choice.kind) {
    case 'builtin':
      if (choice.type === 'LOOP_ON_ITEMS') {
        return {
          type: 'LOOP_ON_ITEMS',
          displayName: 'Loop on items',
          valid: false,
          settings: { items: '' },
        };
      }
      if (choice.type === 'ROUTER') {
        return {
          type: 'ROUTER',
          displayName: 'Router',
          valid: false,
          settings: structuredClone(newRouter) as never,
        };
      }
      return {
        type: 'CODE',
        displayName: 'Code',
        valid: false,
        settings: { sourceCode: { code: 'return { ...inputs };' }, input: {} },
      };
    case 'action':
      return {
        type: 'PLUGIN',
        displayName: choice.action.displayName,
        valid: false,
        settings: {
          pluginId: choice.connector.pluginId,
          connectorId: choice.connector.id,
          actionId: choice.action.id,
          pluginVersion: choice.connector.pluginVersion,
          input: defaultInput(propsOf(choice.action)) as never,
        },
      };
    case 'trigger':
      throw new Error('a trigger is not an action');
  }
}

export function addOperation(choice: StepChoice, place: AddPlace): FlowOperationInput {
  return { type: 'ADD_ACTION', request: { ...place, action: newAction(choice) } };
}

/** Moves a step (and what is inside it) to a place: a drop of its card, or the Move… list. */
export function moveOperation(stepName: string, place: AddPlace): FlowOperationInput {
  return {
    type: 'MOVE_ACTION',
    request: {
      name: stepName,
      newParentStep: place.parentStep,
      stepLocationRelativeToParent: place.stepLocationRelativeToParent,
      ...(place.branchIndex === undefined ? {} : { branchIndex: place.branchIndex }),
    },
  };
}

/** Replaces the trigger with the chosen one (the steps below stay). */
export function triggerOperation(
  choice: Extract<StepChoice, { kind: 'trigger' }>,
): FlowOperationInput {
  return {
    type: 'UPDATE_TRIGGER',
    request: {
      name: 'trigger',
      displayName: choice.trigger.displayName,
      valid: false,
      type: 'PLUGIN_TRIGGER',
      settings: {
        pluginId: choice.connector.pluginId,
        connectorId: choice.connector.id,
        triggerId: choice.trigger.id,
        pluginVersion: choice.connector.pluginVersion,
        input: defaultInput(propsOf(choice.trigger)) as never,
      },
    },
  };
}

/** The catalog's sample output of a plugin step, if its plugin gives one. */
export function sampleOutputOf(catalog: Catalog, step: FlowStep): unknown {
  if (step.type !== 'PLUGIN' && step.type !== 'PLUGIN_TRIGGER') return undefined;
  const connector = catalog.connectors.find(
    (c) => c.pluginId === step.settings.pluginId && c.id === step.settings.connectorId,
  );
  const definition =
    step.type === 'PLUGIN'
      ? connector?.actions.find((a) => a.id === step.settings.actionId)
      : connector?.triggers.find((t) => t.id === step.settings.triggerId);
  return definition?.sampleOutput;
}
