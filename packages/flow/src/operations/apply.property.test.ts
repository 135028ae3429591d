import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFlowOperationError } from '../errors.js';
import type { Flow } from '../schema/flow.js';
import { flowSchema } from '../schema/flow.js';
import type { ActionType } from '../schema/steps.js';
import { checkFlow } from '../structure/check.js';
import { allSteps } from '../structure/traverse.js';
import {
  chain,
  codeStep,
  deepFreeze,
  flowOf,
  sampleFlow,
  webhookTrigger,
} from '../test-fixtures.js';
import { applyOperation } from './apply.js';
import type { FlowOperationInput } from './schema.js';

// Random edit sessions: each seed becomes an operation against the document as it is at that
// moment, naming existing steps most of the time (so most operations do something) and
// otherwise missing steps, the trigger, taken or invalid names (so refusals are exercised).

const kinds = [
  'IMPORT_FLOW',
  'UPDATE_TRIGGER',
  'ADD_ACTION',
  'ADD_ACTION',
  'ADD_ACTION',
  'ADD_ACTION',
  'UPDATE_ACTION',
  'DELETE_ACTION',
  'MOVE_ACTION',
  'MOVE_ACTION',
  'DUPLICATE_ACTION',
  'SET_SKIP_ACTION',
  'ADD_BRANCH',
  'DELETE_BRANCH',
  'DUPLICATE_BRANCH',
  'CHANGE_NAME',
  'LOCK_AND_PUBLISH',
] as const;

const seedArbitrary = fc.record({
  kind: fc.constantFrom(...kinds),
  a: fc.nat(),
  b: fc.nat(),
  /** Below 8 (of 10): name an existing step of a fitting kind; 8: the trigger; 9: no step. */
  existing: fc.nat(9),
  where: fc.constantFrom('AFTER', 'INSIDE_LOOP', 'INSIDE_BRANCH'),
  branch: fc.integer({ min: -1, max: 4 }),
  stepType: fc.constantFrom<ActionType>('PLUGIN', 'CODE', 'LOOP_ON_ITEMS', 'ROUTER'),
  naming: fc.constantFrom('auto', 'auto', 'auto', 'fresh', 'taken', 'invalid'),
  branches: fc.integer({ min: 1, max: 4 }),
  flag: fc.boolean(),
});

type Seed = typeof seedArbitrary extends fc.Arbitrary<infer T> ? T : never;

function toOperation(seed: Seed, flow: Flow): FlowOperationInput {
  const steps = allSteps(flow).map((visit) => visit.step);
  const ofType = (...types: string[]) =>
    steps.filter((step) => types.includes(step.type)).map((step) => step.name);
  const actions = ofType('PLUGIN', 'CODE', 'LOOP_ON_ITEMS', 'ROUTER');
  const pools = {
    action: actions,
    parent: {
      AFTER: actions,
      INSIDE_LOOP: ofType('LOOP_ON_ITEMS'),
      INSIDE_BRANCH: ofType('ROUTER'),
    }[seed.where],
    router: ofType('ROUTER'),
  };
  const pick = (n: number, pool: keyof typeof pools = 'action') => {
    if (seed.existing === 8) return 'trigger';
    if (seed.existing === 9) return `missing_${n % 3}`;
    const names = pools[pool].length ? pools[pool] : steps.map((step) => step.name);
    return names[n % names.length] ?? 'trigger';
  };
  const ref = `{{${pick(seed.b)}.out}} and {{trigger.body}}`;
  const body = () => {
    const base = { displayName: `Step ${seed.a % 100}`, valid: seed.flag };
    switch (seed.stepType) {
      case 'PLUGIN':
        return {
          ...base,
          type: 'PLUGIN' as const,
          settings: {
            pluginId: 'slack',
            connectorId: 'slack',
            actionId: 'send_message',
            pluginVersion: '1.0.0',
            input: { text: ref, n: seed.b },
          },
        };
      case 'CODE':
        return {
          ...base,
          type: 'CODE' as const,
          settings: { sourceCode: { code: 'return 1' }, input: { x: [ref] } },
        };
      case 'LOOP_ON_ITEMS':
        return { ...base, type: 'LOOP_ON_ITEMS' as const, settings: { items: ref } };
      case 'ROUTER':
        return {
          ...base,
          type: 'ROUTER' as const,
          settings: {
            executionType: seed.flag
              ? ('EXECUTE_ALL_MATCH' as const)
              : ('EXECUTE_FIRST_MATCH' as const),
            branches: [
              ...Array.from({ length: seed.branches - 1 }, (_, i) => ({
                branchType: 'CONDITION' as const,
                branchName: `B${i}`,
                conditions: [[{ firstValue: ref, operator: 'EXISTS' as const }]],
              })),
              { branchType: 'FALLBACK' as const, branchName: 'Otherwise' },
            ],
          },
        };
    }
  };
  const newName = {
    auto: undefined,
    fresh: `custom_${seed.a % 50}`,
    taken: pick(seed.a),
    invalid: seed.flag ? '9lives' : 'trigger',
  }[seed.naming];
  const location = {
    stepLocationRelativeToParent: seed.where,
    ...(seed.where === 'INSIDE_BRANCH' || seed.existing === 9 ? { branchIndex: seed.branch } : {}),
  };
  switch (seed.kind) {
    case 'IMPORT_FLOW': {
      const broken = flowOf(chain(codeStep('same'), codeStep('same')));
      return { type: 'IMPORT_FLOW', request: [flow, sampleFlow(), broken][seed.a % 3] ?? flow };
    }
    case 'UPDATE_TRIGGER': {
      const { nextAction: _, ...plugin } = webhookTrigger();
      return {
        type: 'UPDATE_TRIGGER',
        request: seed.flag
          ? { name: 'trigger', displayName: 'Empty', type: 'EMPTY', settings: {} }
          : plugin,
      };
    }
    case 'ADD_ACTION':
      return {
        type: 'ADD_ACTION',
        request: {
          parentStep: pick(seed.a, 'parent'),
          ...location,
          action: { ...body(), name: newName },
        },
      };
    case 'UPDATE_ACTION':
      return { type: 'UPDATE_ACTION', request: { ...body(), name: pick(seed.a) } };
    case 'DELETE_ACTION':
      return { type: 'DELETE_ACTION', request: { names: [pick(seed.a), pick(seed.b)] } };
    case 'MOVE_ACTION':
      return {
        type: 'MOVE_ACTION',
        request: { name: pick(seed.a), newParentStep: pick(seed.b, 'parent'), ...location },
      };
    case 'DUPLICATE_ACTION':
      return { type: 'DUPLICATE_ACTION', request: { stepName: pick(seed.a) } };
    case 'SET_SKIP_ACTION':
      return { type: 'SET_SKIP_ACTION', request: { names: [pick(seed.a)], skip: seed.flag } };
    case 'ADD_BRANCH':
      return {
        type: 'ADD_BRANCH',
        request: { stepName: pick(seed.a, 'router'), branchIndex: seed.branch, branchName: 'New' },
      };
    case 'DELETE_BRANCH':
      return {
        type: 'DELETE_BRANCH',
        request: { stepName: pick(seed.a, 'router'), branchIndex: seed.branch },
      };
    case 'DUPLICATE_BRANCH':
      return {
        type: 'DUPLICATE_BRANCH',
        request: { stepName: pick(seed.a, 'router'), branchIndex: seed.branch },
      };
    case 'CHANGE_NAME':
      return { type: 'CHANGE_NAME', request: { displayName: seed.flag ? `Flow ${seed.a}` : '' } };
    case 'LOCK_AND_PUBLISH':
      return { type: 'LOCK_AND_PUBLISH', request: {} };
  }
}

function expectSound(flow: Flow): void {
  expect(flowSchema.safeParse(flow).success).toBe(true);
  expect(checkFlow(flow)).toEqual([]);
  const names = allSteps(flow).map((visit) => visit.step.name);
  expect(new Set(names).size).toBe(names.length);
}

describe('applyOperation on random edit sessions', () => {
  it('only refuses with FlowOperationError, never mutates its input, always leaves a sound flow', () => {
    const outcomes = { applied: 0, refused: 0 };
    const refusals = new Set<string>();
    fc.assert(
      fc.property(
        fc.constantFrom(sampleFlow, () => flowOf()),
        fc.array(seedArbitrary, { minLength: 1, maxLength: 30, size: 'max' }),
        (start, seeds) => {
          // Frozen: any write to an input throws a TypeError, which fails the property.
          let flow = deepFreeze(start());
          for (const seed of seeds) {
            const operation = toOperation(seed, flow);
            let result: ReturnType<typeof applyOperation>;
            try {
              result = applyOperation(flow, deepFreeze(operation));
            } catch (error) {
              if (!isFlowOperationError(error)) throw error;
              outcomes.refused++;
              refusals.add(error.code);
              continue;
            }
            outcomes.applied++;
            expectSound(result.flow);
            // Changed steps are steps of the result, or removed ones (deletions).
            const before = new Set(allSteps(flow).map((visit) => visit.step.name));
            const after = new Set(allSteps(result.flow).map((visit) => visit.step.name));
            const removed =
              operation.type === 'DELETE_ACTION' || operation.type === 'DELETE_BRANCH';
            const unknown = result.changedStepNames.filter(
              (name) => !after.has(name) && !(removed && before.has(name)),
            );
            expect(unknown).toEqual([]);
            flow = deepFreeze(result.flow);
          }
        },
      ),
      { numRuns: 200 },
    );
    // The sessions must do real work, and reach the refusals too.
    expect(outcomes.applied / (outcomes.applied + outcomes.refused)).toBeGreaterThan(0.3);
    for (const code of [
      'step_not_found',
      'not_an_action',
      'name_taken',
      'invalid_location',
      'cannot_move_into_itself',
      'branch_index_out_of_range',
      'cannot_delete_fallback',
      'invalid_operation',
      'invalid_flow',
    ]) {
      expect(refusals).toContain(code);
    }
  });
});
