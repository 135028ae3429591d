import { describe, expect, it } from 'vitest';
import { chain, codeStep, flowOf, sampleFlow } from '../test-fixtures.js';
import { allSteps, findUnusedName, getStep, innerSteps, precedingSteps } from './traverse.js';

describe('allSteps', () => {
  it('visits in pre-order: a step, what is inside it, then the step after it', () => {
    expect(allSteps(sampleFlow()).map((v) => v.step.name)).toEqual([
      'trigger',
      'step_1',
      'step_2',
      'step_3',
      'step_4',
      'step_5',
      'step_6',
      'step_7',
    ]);
  });

  it('says where each step hangs, what contains it and its path', () => {
    const visits = new Map(allSteps(sampleFlow()).map((v) => [v.step.name, v]));
    expect(visits.get('trigger')).toMatchObject({
      location: null,
      containers: [],
      path: ['trigger'],
    });
    expect(visits.get('step_1')).toMatchObject({
      location: { parentStep: 'trigger', stepLocationRelativeToParent: 'AFTER' },
      containers: [],
      path: ['trigger', 'nextAction'],
    });
    expect(visits.get('step_3')).toMatchObject({
      location: { parentStep: 'step_2', stepLocationRelativeToParent: 'INSIDE_LOOP' },
      containers: ['step_2'],
      path: ['trigger', 'nextAction', 'nextAction', 'firstLoopAction'],
    });
    expect(visits.get('step_4')?.location).toEqual({
      parentStep: 'step_3',
      stepLocationRelativeToParent: 'AFTER',
    });
    expect(visits.get('step_6')).toMatchObject({
      location: {
        parentStep: 'step_5',
        stepLocationRelativeToParent: 'INSIDE_BRANCH',
        branchIndex: 0,
      },
      containers: ['step_5'],
      path: ['trigger', 'nextAction', 'nextAction', 'nextAction', 'children', 0],
    });
    expect(visits.get('step_7')?.containers).toEqual([]);
  });

  it('walks a long chain without recursion', () => {
    const steps = Array.from({ length: 20_000 }, (_, i) => codeStep(`s${i}`));
    expect(allSteps(flowOf(chain(...steps)))).toHaveLength(20_001);
  });
});

describe('getStep, innerSteps', () => {
  it('finds steps by name, the trigger included', () => {
    const flow = sampleFlow();
    expect(getStep(flow, 'trigger')?.type).toBe('PLUGIN_TRIGGER');
    expect(getStep(flow, 'step_6')?.type).toBe('PLUGIN');
    expect(getStep(flow, 'nope')).toBeUndefined();
  });

  it('lists what sits inside a loop or router, not the step after it', () => {
    const flow = sampleFlow();
    const inside = (name: string) => {
      const step = getStep(flow, name);
      return step && step.type !== 'PLUGIN_TRIGGER' && step.type !== 'EMPTY'
        ? innerSteps(step).map((s) => s.name)
        : undefined;
    };
    expect(inside('step_2')).toEqual(['step_3', 'step_4']);
    expect(inside('step_5')).toEqual(['step_6']);
    expect(inside('step_1')).toEqual([]);
  });
});

describe('findUnusedName', () => {
  it('takes the first free step_N', () => {
    expect(findUnusedName(flowOf())).toBe('step_1');
    expect(findUnusedName(sampleFlow())).toBe('step_8');
    expect(findUnusedName(flowOf(chain(codeStep('step_1'), codeStep('step_3'))))).toBe('step_2');
    expect(findUnusedName(new Set(['step_1']))).toBe('step_2');
  });
});

describe('precedingSteps', () => {
  it('lists the steps that run before, in run order', () => {
    const flow = sampleFlow();
    expect(precedingSteps(flow, 'trigger')).toEqual([]);
    expect(precedingSteps(flow, 'step_1')).toEqual(['trigger']);
    expect(precedingSteps(flow, 'step_4')).toEqual(['trigger', 'step_1', 'step_2', 'step_3']);
    expect(precedingSteps(flow, 'step_6')).toEqual(['trigger', 'step_1', 'step_2', 'step_5']);
    // What ran inside the loop and the branch is not on step_7's path.
    expect(precedingSteps(flow, 'step_7')).toEqual(['trigger', 'step_1', 'step_2', 'step_5']);
    expect(precedingSteps(flow, 'nope')).toBeUndefined();
  });
});
