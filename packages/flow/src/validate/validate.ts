import { conditionTakesSecondValue } from '../schema/condition.js';
import type { Flow } from '../schema/flow.js';
import type { FlowStep, PluginAction, PluginTrigger, RouterAction } from '../schema/steps.js';
import { allSteps, precedingStepsOf } from '../structure/traverse.js';
import type { TemplateReference } from '../template/parse.js';
import { findMalformedTemplates, parseReferences } from '../template/references.js';
import { templatedSettings } from '../template/step-inputs.js';
import { type CatalogStepDescription, entry, type FlowCatalog } from './catalog.js';

export type StepProblemCode =
  | 'empty_trigger'
  | 'unknown_plugin'
  | 'plugin_disabled'
  | 'unknown_connector'
  | 'unknown_action'
  | 'unknown_trigger'
  | 'missing_prop'
  | 'missing_connection'
  | 'missing_step_reference'
  | 'reference_not_before'
  | 'malformed_template'
  | 'empty_code'
  | 'empty_loop_items'
  | 'empty_conditions'
  | 'incomplete_condition'
  | 'invalid_regex';

/** Why a step is not ready to run, for a person. */
export interface StepProblem {
  step: string;
  code: StepProblemCode;
  message: string;
  /** The prop concerned, for `missing_prop`. */
  prop?: string;
  /** The `{{…}}` concerned, for reference problems. */
  expression?: string;
}

export interface FlowValidation {
  /** The same document with every step's `valid` set. */
  flow: Flow;
  /** Every step that will run is valid (skipped steps, and steps inside them, do not count). */
  valid: boolean;
  problems: StepProblem[];
}

/**
 * Marks each step of a (structurally sound) flow valid or not against the catalog, and says
 * why not: an empty trigger, an unknown or disabled plugin, an unknown connector, action or
 * trigger, a required prop left empty, a missing connection, a reference to a step that is
 * missing or does not run before, an incomplete loop, router or code step.
 */
export function validateFlow(flow: Flow, catalog: FlowCatalog): FlowValidation {
  const marked = structuredClone(flow);
  const visits = allSteps(marked);
  const preceding = precedingStepsOf(visits);
  const names = new Set(visits.map((v) => v.step.name));
  const skipped = new Set<string>();
  const problems: StepProblem[] = [];
  let valid = true;
  for (const { step, containers } of visits) {
    const found = [
      ...stepProblems(step, catalog),
      ...referenceProblems(step, names, new Set(preceding.get(step.name))),
    ];
    step.valid = found.length === 0;
    problems.push(...found);
    const runs = !containers.some((c) => skipped.has(c)) && !('skip' in step && step.skip);
    if (!runs) skipped.add(step.name);
    else if (found.length) valid = false;
  }
  return { flow: marked, valid, problems };
}

function stepProblems(step: FlowStep, catalog: FlowCatalog): StepProblem[] {
  return findings(step, catalog).map((found) => ({ step: step.name, ...found }));
}

type Found = Omit<StepProblem, 'step'>;

function findings(step: FlowStep, catalog: FlowCatalog): Found[] {
  switch (step.type) {
    case 'EMPTY':
      return [
        { code: 'empty_trigger', message: 'Choose a trigger: nothing starts this flow yet.' },
      ];
    case 'PLUGIN_TRIGGER':
    case 'PLUGIN':
      return pluginStepProblems(step, catalog);
    case 'CODE':
      return step.settings.sourceCode.code.trim()
        ? []
        : [{ code: 'empty_code', message: 'Write the code.' }];
    case 'LOOP_ON_ITEMS':
      return step.settings.items.trim()
        ? []
        : [{ code: 'empty_loop_items', message: 'Choose the list to loop over.' }];
    case 'ROUTER':
      return routerProblems(step);
  }
}

function pluginStepProblems(step: PluginAction | PluginTrigger, catalog: FlowCatalog): Found[] {
  const { pluginId, connectorId, input } = step.settings;
  const plugin = entry(catalog.plugins, pluginId);
  if (!plugin) {
    return [{ code: 'unknown_plugin', message: `The plugin "${pluginId}" is not available here.` }];
  }
  const found: Found[] = [];
  const pluginName = plugin.displayName ?? pluginId;
  if (!plugin.enabled) {
    found.push({
      code: 'plugin_disabled',
      message: `${pluginName} is turned off in this workspace; an admin can turn it on in Settings › Plugins.`,
    });
  }
  const connector = entry(plugin.connectors, connectorId);
  if (!connector) {
    found.push({
      code: 'unknown_connector',
      message: `${pluginName} has no connector "${connectorId}".`,
    });
    return found;
  }
  const connectorName = connector.displayName ?? connectorId;
  let described: CatalogStepDescription | undefined;
  if (step.type === 'PLUGIN') {
    described = entry(connector.actions, step.settings.actionId);
    if (!described) {
      found.push({
        code: 'unknown_action',
        message: `${connectorName} has no action "${step.settings.actionId}".`,
      });
    }
  } else {
    described = entry(connector.triggers, step.settings.triggerId);
    if (!described) {
      found.push({
        code: 'unknown_trigger',
        message: `${connectorName} has no trigger "${step.settings.triggerId}".`,
      });
    }
  }
  if (connector.auth && connector.auth.kind !== 'none' && !isSet(entry(input, 'auth'))) {
    found.push({ code: 'missing_connection', message: `Choose a ${connectorName} connection.` });
  }
  for (const [prop, description] of Object.entries(described?.props ?? {})) {
    if (description.required && !isSet(entry(input, prop))) {
      found.push({
        code: 'missing_prop',
        prop,
        message: `"${description.displayName ?? prop}" is required.`,
      });
    }
  }
  return found;
}

/** A prop is set when its input is anything but undefined or ''. */
function isSet(value: unknown): boolean {
  return value !== undefined && value !== '';
}

function routerProblems(step: RouterAction): Found[] {
  const found: Found[] = [];
  for (const branch of step.settings.branches) {
    if (branch.branchType !== 'CONDITION') continue;
    const name = `Branch "${branch.branchName}"`;
    if (branch.conditions.length === 0 || branch.conditions.some((group) => group.length === 0)) {
      found.push({ code: 'empty_conditions', message: `${name} has an empty set of conditions.` });
    }
    for (const { firstValue, operator, secondValue } of branch.conditions.flat()) {
      if (!isSet(firstValue)) {
        found.push({
          code: 'incomplete_condition',
          message: `${name} has a condition with nothing to test.`,
        });
      } else if (conditionTakesSecondValue(operator) && !isSet(secondValue)) {
        found.push({
          code: 'incomplete_condition',
          message: `${name} has a condition with no value to compare.`,
        });
      } else if (
        operator === 'TEXT_MATCHES_REGEX' &&
        !secondValue?.includes('{{') &&
        !isRegex(secondValue ?? '')
      ) {
        found.push({
          code: 'invalid_regex',
          message: `${name}: "${secondValue}" is not a valid regular expression.`,
        });
      }
    }
  }
  return found;
}

function isRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

function referenceProblems(
  step: FlowStep,
  names: ReadonlySet<string>,
  runsBefore: ReadonlySet<string>,
): StepProblem[] {
  const settings = templatedSettings(step);
  const malformed = findMalformedTemplates(settings).map(
    ({ expression, reason }): StepProblem => ({
      step: step.name,
      code: 'malformed_template',
      expression,
      message: `${expression} ${reason}.`,
    }),
  );
  const unreachable = parseReferences(settings)
    .filter((ref) => !runsBefore.has(ref.stepName))
    .map((ref) => referenceProblem(step, ref, names));
  return [...malformed, ...unreachable];
}

function referenceProblem(
  step: FlowStep,
  { stepName, expression }: TemplateReference,
  names: ReadonlySet<string>,
): StepProblem {
  const about = { step: step.name, expression };
  if (!names.has(stepName)) {
    return {
      ...about,
      code: 'missing_step_reference',
      message: `${expression} reads from "${stepName}", but no step has that name.`,
    };
  }
  const message =
    stepName === step.name
      ? `${expression} reads this step's own output.`
      : step.type === 'PLUGIN_TRIGGER'
        ? `${expression}: the trigger starts the flow and cannot read step outputs.`
        : `${expression} reads from "${stepName}", which does not run before this step.`;
  return { ...about, code: 'reference_not_before', message };
}
