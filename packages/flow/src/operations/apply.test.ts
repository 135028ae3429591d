import { describe, expect, it } from 'vitest';
import { isFlowOperationError } from '../errors.js';
import { flowLimits } from '../limits.js';
import type { Flow } from '../schema/flow.js';
import type { Action } from '../schema/steps.js';
import { getStep } from '../structure/traverse.js';
import {
  chain,
  codeStep,
  deepFreeze,
  flowOf,
  loopStep,
  outline,
  pluginStep,
  routerStep,
  sampleFlow,
} from '../test-fixtures.js';
import { applyOperation, parseFlowOperation } from './apply.js';
import { type FlowOperationInput, flowOperationSchema, isLifecycleOperation } from './schema.js';

const sample = 'trigger > step_1 > step_2[step_3 > step_4] > step_5{step_6 | -} > step_7';

/** Applies to a frozen input, so any write to it fails the test. */
function apply(operation: FlowOperationInput, flow: Flow = sampleFlow()) {
  return applyOperation(deepFreeze(flow), operation);
}

function refused(operation: FlowOperationInput, flow: Flow = sampleFlow()) {
  try {
    apply(operation, flow);
  } catch (error) {
    if (!isFlowOperationError(error)) throw error;
    return { code: error.code, message: error.message };
  }
  throw new Error(`${operation.type} was applied, a refusal was expected`);
}

const at = (flow: Flow, name: string) => getStep(flow, name);

function longChain(length: number): Action | undefined {
  return chain(...Array.from({ length }, (_, i) => codeStep(`step_${i + 1}`)));
}

/** Loops nested `levels` deep with an empty loop innermost (itself `levels` deep). */
function nestedLoops(levels: number): Flow {
  let inner: Action = loopStep(`loop_${levels + 1}`, '{{trigger.items}}');
  for (let i = levels; i >= 1; i--) inner = loopStep(`loop_${i}`, '{{trigger.items}}', inner);
  return flowOf(inner);
}

const newCode = {
  type: 'CODE',
  displayName: 'New',
  settings: { sourceCode: { code: 'x' }, input: {} },
} as const;

describe('IMPORT_FLOW', () => {
  it('replaces the whole document', () => {
    const incoming = flowOf(chain(codeStep('a'), codeStep('b')));
    const result = apply({ type: 'IMPORT_FLOW', request: incoming });
    expect(result.flow).toEqual(incoming);
    expect(result.changedStepNames).toEqual(['trigger', 'a', 'b']);
  });

  it('refuses a document that is not sound, with every problem', () => {
    const dup = refused({
      type: 'IMPORT_FLOW',
      request: flowOf(chain(codeStep('a'), codeStep('a'))),
    });
    expect(dup).toEqual({
      code: 'invalid_flow',
      message:
        'trigger.nextAction.nextAction.name: More than one step is named "a"; names must be unique in a flow',
    });
    const bad = refused({ type: 'IMPORT_FLOW', request: flowOf(codeStep('1a')) });
    expect(bad.code).toBe('invalid_flow');
    expect(bad.message).toContain('request.trigger.nextAction.name: A step name uses letters');
  });

  it('refuses documents over the limits, however large', () => {
    for (const length of [flowLimits.maxSteps + 1, 50_000]) {
      expect(refused({ type: 'IMPORT_FLOW', request: flowOf(longChain(length)) }).code).toBe(
        'too_many_steps',
      );
    }
    expect(
      refused({ type: 'IMPORT_FLOW', request: nestedLoops(flowLimits.maxDepth + 1) }).code,
    ).toBe('too_deep');
  });
});

describe('UPDATE_TRIGGER', () => {
  it('replaces the trigger and keeps the steps below it', () => {
    const { flow, changedStepNames } = apply({
      type: 'UPDATE_TRIGGER',
      request: { name: 'trigger', displayName: 'Nothing yet', type: 'EMPTY', settings: {} },
    });
    expect(flow.trigger).toMatchObject({ type: 'EMPTY', displayName: 'Nothing yet', valid: false });
    expect(outline(flow)).toBe(sample);
    expect(changedStepNames).toEqual(['trigger']);
  });
});

describe('ADD_ACTION', () => {
  const add = (request: object) => apply({ type: 'ADD_ACTION', request } as FlowOperationInput);

  it.each([
    ['after the trigger', 'trigger', 'AFTER', undefined, 'trigger > new > step_1 > step_2'],
    ['after a step', 'step_3', 'AFTER', undefined, 'step_2[step_3 > new > step_4]'],
    ['first inside a loop', 'step_2', 'INSIDE_LOOP', undefined, 'step_2[new > step_3 > step_4]'],
    ['first inside a branch', 'step_5', 'INSIDE_BRANCH', 0, 'step_5{new > step_6 | -}'],
    ['into an empty branch', 'step_5', 'INSIDE_BRANCH', 1, 'step_5{step_6 | new}'],
    ['at the end', 'step_7', 'AFTER', undefined, 'step_7 > new'],
  ])('adds a step %s', (_, parentStep, where, branchIndex, expected) => {
    const { flow, changedStepNames } = add({
      parentStep,
      stepLocationRelativeToParent: where,
      branchIndex,
      action: { ...newCode, name: 'new' },
    });
    expect(outline(flow)).toContain(expected);
    expect(at(flow, 'new')).toMatchObject({ valid: false, displayName: 'New' });
    expect(changedStepNames).toEqual(['new']);
  });

  it('names an unnamed step with the first free step_N', () => {
    const { flow, changedStepNames } = add({
      parentStep: 'step_7',
      stepLocationRelativeToParent: 'AFTER',
      action: newCode,
    });
    expect(changedStepNames).toEqual(['step_8']);
    expect(outline(flow)).toBe(`${sample} > step_8`);
  });

  it('gives a new router an empty chain per branch', () => {
    const router = routerStep('r', [null, null, null]);
    const { children: _, ...body } = router;
    const { flow } = add({
      parentStep: 'trigger',
      stepLocationRelativeToParent: 'AFTER',
      action: body,
    });
    expect(outline(flow)).toContain('trigger > r{- | - | -} > step_1');
  });

  it.each([
    [
      'name_taken',
      {
        parentStep: 'step_1',
        stepLocationRelativeToParent: 'AFTER',
        action: { ...newCode, name: 'step_4' },
      },
      'A step is already named "step_4".',
    ],
    [
      'step_not_found',
      { parentStep: 'step_99', stepLocationRelativeToParent: 'AFTER', action: newCode },
      'No step is named "step_99".',
    ],
    [
      'invalid_location',
      { parentStep: 'step_1', stepLocationRelativeToParent: 'INSIDE_LOOP', action: newCode },
      'step_1 is a PLUGIN step, not a loop: INSIDE_LOOP needs a LOOP_ON_ITEMS parent.',
    ],
    [
      'invalid_location',
      {
        parentStep: 'step_2',
        stepLocationRelativeToParent: 'INSIDE_BRANCH',
        branchIndex: 0,
        action: newCode,
      },
      'step_2 is a LOOP_ON_ITEMS step, not a router: INSIDE_BRANCH needs a ROUTER parent.',
    ],
    [
      'invalid_location',
      { parentStep: 'step_5', stepLocationRelativeToParent: 'INSIDE_BRANCH', action: newCode },
      'INSIDE_BRANCH needs a branchIndex.',
    ],
    [
      'branch_index_out_of_range',
      {
        parentStep: 'step_5',
        stepLocationRelativeToParent: 'INSIDE_BRANCH',
        branchIndex: 2,
        action: newCode,
      },
      'Branch index 2 is out of range for step_5: use 0 to 1.',
    ],
    [
      'branch_index_out_of_range',
      {
        parentStep: 'step_5',
        stepLocationRelativeToParent: 'INSIDE_BRANCH',
        branchIndex: -1,
        action: newCode,
      },
      'Branch index -1 is out of range for step_5: use 0 to 1.',
    ],
    [
      'invalid_operation',
      {
        parentStep: 'step_1',
        stepLocationRelativeToParent: 'AFTER',
        action: { ...newCode, name: 'trigger' },
      },
      'request.action.name: A step cannot be named trigger',
    ],
    [
      'invalid_operation',
      { parentStep: 'step_1', stepLocationRelativeToParent: 'BEFORE', action: newCode },
      'request.stepLocationRelativeToParent',
    ],
  ])('refuses with %s', (code, request, message) => {
    const refusal = refused({ type: 'ADD_ACTION', request } as FlowOperationInput);
    expect(refusal.code).toBe(code);
    expect(refusal.message).toContain(message);
  });

  it('refuses a step over the size and depth limits', () => {
    const full = flowOf(longChain(flowLimits.maxSteps));
    const op = (parentStep: string, where = 'AFTER') =>
      ({
        type: 'ADD_ACTION',
        request: { parentStep, stepLocationRelativeToParent: where, action: newCode },
      }) as FlowOperationInput;
    expect(refused(op('step_1'), full)).toEqual({
      code: 'too_many_steps',
      message: 'trigger: The flow has 501 steps; at most 500 are allowed',
    });
    const deep = nestedLoops(flowLimits.maxDepth);
    expect(refused(op(`loop_${flowLimits.maxDepth + 1}`, 'INSIDE_LOOP'), deep).code).toBe(
      'too_deep',
    );
  });
});

describe('UPDATE_ACTION', () => {
  const update = (request: object, flow?: Flow) =>
    apply({ type: 'UPDATE_ACTION', request } as FlowOperationInput, flow);

  it('replaces a step and keeps what hangs below it', () => {
    const skipped = sampleFlow();
    const original = at(skipped, 'step_2');
    if (original?.type === 'LOOP_ON_ITEMS') original.skip = true;
    const { flow, changedStepNames } = update(
      {
        name: 'step_2',
        type: 'LOOP_ON_ITEMS',
        displayName: 'Each row',
        valid: true,
        settings: { items: '{{trigger.rows}}' },
      },
      skipped,
    );
    expect(at(flow, 'step_2')).toMatchObject({
      displayName: 'Each row',
      valid: true,
      skip: true,
      settings: { items: '{{trigger.rows}}' },
    });
    expect(outline(flow)).toBe(sample);
    expect(changedStepNames).toEqual(['step_2']);
  });

  it('keeps a router’s branches when their number stays', () => {
    const router = at(sampleFlow(), 'step_5');
    if (router?.type !== 'ROUTER') throw new Error('router expected');
    const { children: _, nextAction: __, ...body } = router;
    const { flow } = update({
      ...body,
      settings: { ...body.settings, executionType: 'EXECUTE_ALL_MATCH' },
    });
    expect(outline(flow)).toBe(sample);
    expect(at(flow, 'step_5')).toMatchObject({ settings: { executionType: 'EXECUTE_ALL_MATCH' } });
  });

  it('changes the type of a step with nothing inside it', () => {
    const { flow } = update({ ...newCode, name: 'step_1' });
    expect(at(flow, 'step_1')?.type).toBe('CODE');
    const emptyLoop = flowOf(chain(loopStep('step_1', ''), codeStep('step_2')));
    expect(outline(update({ ...newCode, name: 'step_1' }, emptyLoop).flow)).toBe(
      'trigger > step_1 > step_2',
    );
    const emptyRouter = flowOf(routerStep('step_1', [null, null]));
    const threeBranches = routerStep('step_1', [null, null, null]);
    const { children: _, ...body } = threeBranches;
    expect(outline(update(body, emptyRouter).flow)).toBe('trigger > step_1{- | - | -}');
  });

  it.each([
    ['step_not_found', { ...newCode, name: 'step_99' }, 'No step is named "step_99".'],
    [
      'step_has_children',
      { ...newCode, name: 'step_2' },
      'step_2 has steps inside it; changing it from LOOP_ON_ITEMS to CODE would drop them. Move or delete them first.',
    ],
    [
      'step_has_children',
      { ...newCode, name: 'step_5' },
      'step_5 has steps inside it; changing it from ROUTER to CODE would drop them.',
    ],
    [
      'invalid_operation',
      { ...newCode, name: 'trigger' },
      'request.name: A step cannot be named trigger',
    ],
    [
      'invalid_operation',
      { name: 'step_1', type: 'CODE', displayName: 'x', settings: {} },
      'request.settings.sourceCode',
    ],
  ])('refuses with %s', (code, request, message) => {
    const refusal = refused({ type: 'UPDATE_ACTION', request } as FlowOperationInput);
    expect(refusal).toEqual({ code, message: expect.stringContaining(message) });
  });

  it('refuses to change the number of branches of a router with steps in them', () => {
    const router = routerStep('step_5', [null, null, null]);
    const { children: _, ...body } = router;
    expect(refused({ type: 'UPDATE_ACTION', request: body })).toEqual({
      code: 'step_has_children',
      message:
        'step_5 has steps in its branches, so UPDATE_ACTION keeps its 2 branches; add or delete branches with ADD_BRANCH and DELETE_BRANCH.',
    });
  });
});

describe('DELETE_ACTION', () => {
  const del = (...names: string[]) => apply({ type: 'DELETE_ACTION', request: { names } });

  it('deletes a step; the step after it moves up', () => {
    const { flow, changedStepNames } = del('step_1');
    expect(outline(flow)).toBe('trigger > step_2[step_3 > step_4] > step_5{step_6 | -} > step_7');
    expect(changedStepNames).toEqual(['step_1']);
  });

  it('deletes a loop or router with everything inside it', () => {
    expect(del('step_2').changedStepNames).toEqual(['step_2', 'step_3', 'step_4']);
    const { flow, changedStepNames } = del('step_5');
    expect(outline(flow)).toBe('trigger > step_1 > step_2[step_3 > step_4] > step_7');
    expect(changedStepNames).toEqual(['step_5', 'step_6']);
  });

  it('deletes several steps, in any order, repeated or nested', () => {
    const { flow, changedStepNames } = del(
      'step_4',
      'step_2',
      'step_3',
      'step_6',
      'step_7',
      'step_4',
    );
    expect(outline(flow)).toBe('trigger > step_1 > step_5{- | -}');
    expect(changedStepNames).toEqual(['step_4', 'step_2', 'step_3', 'step_6', 'step_7']);
  });

  it.each([
    ['step_not_found', ['step_1', 'step_99'], 'No step is named "step_99".'],
    [
      'not_an_action',
      ['trigger'],
      '"trigger" is the trigger, not an action; change it with UPDATE_TRIGGER.',
    ],
    ['invalid_operation', [], 'request.names'],
  ])('refuses with %s', (code, names, message) => {
    expect(refused({ type: 'DELETE_ACTION', request: { names } })).toEqual({
      code,
      message: expect.stringContaining(message),
    });
  });
});

describe('MOVE_ACTION', () => {
  const move = (name: string, newParentStep: string, where: string, branchIndex?: number) =>
    ({
      type: 'MOVE_ACTION',
      request: { name, newParentStep, stepLocationRelativeToParent: where, branchIndex },
    }) as FlowOperationInput;

  it.each([
    [
      'into a loop',
      move('step_7', 'step_2', 'INSIDE_LOOP'),
      'trigger > step_1 > step_2[step_7 > step_3 > step_4] > step_5{step_6 | -}',
    ],
    [
      'to the end, leaving the step after it behind',
      move('step_1', 'step_7', 'AFTER'),
      'trigger > step_2[step_3 > step_4] > step_5{step_6 | -} > step_7 > step_1',
    ],
    [
      'past the step after it',
      move('step_1', 'step_2', 'AFTER'),
      'trigger > step_2[step_3 > step_4] > step_1 > step_5{step_6 | -} > step_7',
    ],
    [
      'a loop with its body into a branch',
      move('step_2', 'step_5', 'INSIDE_BRANCH', 1),
      'trigger > step_1 > step_5{step_6 | step_2[step_3 > step_4]} > step_7',
    ],
    [
      'out of a loop',
      move('step_4', 'trigger', 'AFTER'),
      'trigger > step_4 > step_1 > step_2[step_3] > step_5{step_6 | -} > step_7',
    ],
    ['to where it already is', move('step_3', 'step_2', 'INSIDE_LOOP'), sample],
  ])('moves a step %s', (_, operation, expected) => {
    const { flow, changedStepNames } = apply(operation);
    expect(outline(flow)).toBe(expected);
    expect(changedStepNames).toEqual([(operation.request as { name: string }).name]);
  });

  it.each([
    [
      'cannot_move_into_itself',
      move('step_2', 'step_3', 'AFTER'),
      'step_2 cannot move inside itself: step_3 is inside it.',
    ],
    [
      'cannot_move_into_itself',
      move('step_2', 'step_2', 'INSIDE_LOOP'),
      'step_2 cannot be placed relative to itself.',
    ],
    [
      'cannot_move_into_itself',
      move('step_1', 'step_1', 'AFTER'),
      'step_1 cannot be placed relative to itself.',
    ],
    ['step_not_found', move('step_99', 'step_1', 'AFTER'), 'No step is named "step_99".'],
    ['step_not_found', move('step_1', 'step_99', 'AFTER'), 'No step is named "step_99".'],
    ['not_an_action', move('trigger', 'step_1', 'AFTER'), '"trigger" is the trigger'],
    [
      'invalid_location',
      move('step_1', 'step_7', 'INSIDE_LOOP'),
      'step_7 is a CODE step, not a loop',
    ],
    [
      'branch_index_out_of_range',
      move('step_1', 'step_5', 'INSIDE_BRANCH', 7),
      'Branch index 7 is out of range for step_5: use 0 to 1.',
    ],
  ])('refuses with %s', (code, operation, message) => {
    expect(refused(operation)).toEqual({ code, message: expect.stringContaining(message) });
  });

  it('refuses a move that nests too deep', () => {
    const flow = nestedLoops(flowLimits.maxDepth);
    const last = flow.trigger.nextAction;
    if (last) last.nextAction = codeStep('step_1');
    expect(
      refused(move('step_1', `loop_${flowLimits.maxDepth + 1}`, 'INSIDE_LOOP'), flow).code,
    ).toBe('too_deep');
  });
});

describe('DUPLICATE_ACTION', () => {
  it('copies a step right after itself under the first free name', () => {
    const { flow, changedStepNames } = apply({
      type: 'DUPLICATE_ACTION',
      request: { stepName: 'step_1' },
    });
    expect(outline(flow)).toBe(
      `trigger > step_1 > step_8 > ${sample.slice('trigger > step_1 > '.length)}`,
    );
    expect(at(flow, 'step_8')).toEqual({
      ...pluginStep('step_8', { channel: '{{trigger.body.channel}}' }),
      displayName: 'Send step_1',
      nextAction: at(flow, 'step_2'),
    });
    expect(changedStepNames).toEqual(['step_8']);
  });

  it('copies a loop with its body; references inside the copy point at the copies', () => {
    const { flow, changedStepNames } = apply({
      type: 'DUPLICATE_ACTION',
      request: { stepName: 'step_2' },
    });
    expect(outline(flow)).toContain('step_2[step_3 > step_4] > step_8[step_9 > step_10] > step_5');
    expect(changedStepNames).toEqual(['step_8', 'step_9', 'step_10']);
    expect(at(flow, 'step_8')).toMatchObject({ settings: { items: '{{step_1.items}}' } });
    expect(at(flow, 'step_9')).toMatchObject({ settings: { input: { item: '{{step_8.item}}' } } });
    expect(at(flow, 'step_10')).toMatchObject({
      settings: { input: { text: '{{step_9.result}}' } },
    });
    // The original is untouched.
    expect(at(flow, 'step_4')).toMatchObject({
      settings: { input: { text: '{{step_3.result}}' } },
    });
  });

  it.each([
    ['step_not_found', 'step_99'],
    ['not_an_action', 'trigger'],
  ])('refuses with %s', (code, stepName) => {
    expect(refused({ type: 'DUPLICATE_ACTION', request: { stepName } }).code).toBe(code);
  });

  it('refuses a copy that would go over the size limit', () => {
    const flow = flowOf(chain(loopStep('loop', '', longChain(300)), codeStep('end')));
    expect(refused({ type: 'DUPLICATE_ACTION', request: { stepName: 'loop' } }, flow).code).toBe(
      'too_many_steps',
    );
  });
});

describe('SET_SKIP_ACTION', () => {
  it('sets and clears skip on the named steps', () => {
    const { flow } = apply({
      type: 'SET_SKIP_ACTION',
      request: { names: ['step_1', 'step_6'], skip: true },
    });
    expect(at(flow, 'step_1')).toMatchObject({ skip: true });
    expect(at(flow, 'step_6')).toMatchObject({ skip: true });
    expect(at(flow, 'step_7')).not.toHaveProperty('skip');
    const cleared = applyOperation(flow, {
      type: 'SET_SKIP_ACTION',
      request: { names: ['step_1'], skip: false },
    });
    expect(at(cleared.flow, 'step_1')).toMatchObject({ skip: false });
  });

  it.each([
    ['step_not_found', 'step_99'],
    ['not_an_action', 'trigger'],
  ])('refuses with %s', (code, name) => {
    expect(refused({ type: 'SET_SKIP_ACTION', request: { names: [name], skip: true } }).code).toBe(
      code,
    );
  });
});

describe('ADD_BRANCH', () => {
  it('adds a condition branch, before the fallback at the latest', () => {
    const { flow, changedStepNames } = apply({
      type: 'ADD_BRANCH',
      request: { stepName: 'step_5', branchIndex: 1, branchName: 'Urgent' },
    });
    const router = at(flow, 'step_5');
    expect(outline(flow)).toContain('step_5{step_6 | - | -}');
    expect(router?.type === 'ROUTER' && router.settings.branches.map((b) => b.branchName)).toEqual([
      'Branch 1',
      'Urgent',
      'Otherwise',
    ]);
    expect(router).toMatchObject({
      settings: {
        branches: [
          {},
          {
            branchType: 'CONDITION',
            conditions: [[{ firstValue: '', operator: 'TEXT_CONTAINS', secondValue: '' }]],
          },
          {},
        ],
      },
    });
    expect(changedStepNames).toEqual(['step_5']);
  });

  it('takes the conditions given, first in line', () => {
    const conditions = [[{ firstValue: '{{trigger.vip}}', operator: 'BOOLEAN_IS_TRUE' as const }]];
    const { flow } = apply({
      type: 'ADD_BRANCH',
      request: { stepName: 'step_5', branchIndex: 0, branchName: 'VIP', conditions },
    });
    expect(outline(flow)).toContain('step_5{- | step_6 | -}');
    const router = at(flow, 'step_5');
    expect(router?.type === 'ROUTER' && router.settings.branches[0]).toEqual({
      branchType: 'CONDITION',
      branchName: 'VIP',
      conditions,
    });
  });

  it('refuses a branch over the limit', () => {
    const flow = flowOf(routerStep('step_1', new Array(flowLimits.maxBranches).fill(null)));
    expect(
      refused(
        {
          type: 'ADD_BRANCH',
          request: { stepName: 'step_1', branchIndex: 0, branchName: 'One more' },
        },
        flow,
      ).code,
    ).toBe('too_many_branches');
  });
});

describe('DELETE_BRANCH', () => {
  it('deletes a condition branch with its steps', () => {
    const { flow, changedStepNames } = apply({
      type: 'DELETE_BRANCH',
      request: { stepName: 'step_5', branchIndex: 0 },
    });
    expect(outline(flow)).toContain('step_5{-} > step_7');
    expect(changedStepNames).toEqual(['step_5', 'step_6']);
  });
});

describe('DUPLICATE_BRANCH', () => {
  it('copies a branch and its steps right after it, under fresh names', () => {
    const flow = sampleFlow();
    const router = at(flow, 'step_5');
    if (router?.type === 'ROUTER')
      router.children[0] =
        chain(codeStep('step_6'), codeStep('step_8', { a: '{{step_6.x}}' })) ?? null;
    const result = apply(
      { type: 'DUPLICATE_BRANCH', request: { stepName: 'step_5', branchIndex: 0 } },
      flow,
    );
    expect(outline(result.flow)).toContain('step_5{step_6 > step_8 | step_9 > step_10 | -}');
    expect(at(result.flow, 'step_10')).toMatchObject({
      settings: { input: { a: '{{step_9.x}}' } },
    });
    expect(at(result.flow, 'step_5')).toMatchObject({
      settings: {
        branches: [
          { branchName: 'Branch 1' },
          { branchName: 'Branch 1 Copy', conditions: [[{ secondValue: 'k0' }]] },
          {},
        ],
      },
    });
    expect(result.changedStepNames).toEqual(['step_5', 'step_9', 'step_10']);
  });

  it('copies an empty branch', () => {
    const flow = flowOf(routerStep('step_1', [null, null]));
    expect(
      outline(
        apply({ type: 'DUPLICATE_BRANCH', request: { stepName: 'step_1', branchIndex: 0 } }, flow)
          .flow,
      ),
    ).toBe('trigger > step_1{- | - | -}');
  });
});

describe('branch refusals', () => {
  it.each([
    [
      'ADD_BRANCH',
      'step_5',
      2,
      'branch_index_out_of_range',
      'Branch index 2 is out of range for step_5: use 0 to 1.',
    ],
    [
      'ADD_BRANCH',
      'step_5',
      -1,
      'branch_index_out_of_range',
      'Branch index -1 is out of range for step_5: use 0 to 1.',
    ],
    ['ADD_BRANCH', 'step_2', 0, 'not_a_router', 'step_2 is a LOOP_ON_ITEMS step, not a ROUTER.'],
    ['ADD_BRANCH', 'step_99', 0, 'step_not_found', 'No step is named "step_99".'],
    [
      'DELETE_BRANCH',
      'step_5',
      1,
      'cannot_delete_fallback',
      'Branch 1 of step_5 is its fallback; every router keeps one.',
    ],
    [
      'DELETE_BRANCH',
      'step_5',
      2,
      'branch_index_out_of_range',
      'Branch index 2 is out of range for step_5: use 0 to 1.',
    ],
    ['DELETE_BRANCH', 'step_1', 0, 'not_a_router', 'step_1 is a PLUGIN step, not a ROUTER.'],
    [
      'DUPLICATE_BRANCH',
      'step_5',
      1,
      'cannot_duplicate_fallback',
      'Branch 1 of step_5 is its fallback; a router has only one.',
    ],
    [
      'DUPLICATE_BRANCH',
      'step_5',
      9,
      'branch_index_out_of_range',
      'Branch index 9 is out of range for step_5: use 0 to 1.',
    ],
    ['DUPLICATE_BRANCH', 'step_7', 0, 'not_a_router', 'step_7 is a CODE step, not a ROUTER.'],
  ] as const)('%s on %s, branch %d: %s', (type, stepName, branchIndex, code, message) => {
    const request = { stepName, branchIndex, branchName: 'New' };
    expect(refused({ type, request })).toEqual({ code, message });
  });
});

describe('CHANGE_NAME', () => {
  it('renames the flow', () => {
    const { flow, changedStepNames } = apply({
      type: 'CHANGE_NAME',
      request: { displayName: 'Old leads' },
    });
    expect(flow.displayName).toBe('Old leads');
    expect(outline(flow)).toBe(sample);
    expect(changedStepNames).toEqual([]);
  });

  it('refuses an empty name', () => {
    expect(refused({ type: 'CHANGE_NAME', request: { displayName: '' } })).toEqual({
      code: 'invalid_operation',
      message: 'request.displayName: A flow needs a name',
    });
  });
});

describe('lifecycle operations', () => {
  it('are told apart and left to the server', () => {
    const publish = { type: 'LOCK_AND_PUBLISH', request: { status: 'ENABLED' } } as const;
    expect(isLifecycleOperation(publish)).toBe(true);
    expect(isLifecycleOperation({ type: 'USE_AS_DRAFT' })).toBe(true);
    expect(isLifecycleOperation({ type: 'ADD_ACTION' })).toBe(false);
    expect(refused(publish)).toEqual({
      code: 'invalid_operation',
      message:
        'LOCK_AND_PUBLISH changes the flow record, not its document; the server carries it out.',
    });
  });

  it('have request schemas in the operation union', () => {
    expect(
      flowOperationSchema.parse({ type: 'CHANGE_STATUS', request: { status: 'DISABLED' } }),
    ).toEqual({
      type: 'CHANGE_STATUS',
      request: { status: 'DISABLED' },
    });
    expect(flowOperationSchema.safeParse({ type: 'USE_AS_DRAFT', request: {} }).success).toBe(
      false,
    );
    expect(
      flowOperationSchema.safeParse({ type: 'CHANGE_STATUS', request: { status: 'ON' } }).success,
    ).toBe(false);
  });
});

describe('parseFlowOperation', () => {
  it('refuses unknown operations with the path of the problem', () => {
    expect(() => parseFlowOperation({ type: 'MOVE_BRANCH', request: {} })).toThrow(
      expect.objectContaining({
        code: 'invalid_operation',
        message: expect.stringContaining('type:'),
      }),
    );
    expect(() => parseFlowOperation('ADD_ACTION')).toThrow(
      expect.objectContaining({ code: 'invalid_operation' }),
    );
  });

  it('owns what it returns: nothing is shared with the input', () => {
    const input = { x: { y: 1 } };
    const op = { type: 'UPDATE_ACTION', request: { ...codeStep('step_1', input) } };
    const parsed = parseFlowOperation(op);
    input.x.y = 2;
    expect(parsed).toMatchObject({ request: { settings: { input: { x: { y: 1 } } } } });
  });
});
