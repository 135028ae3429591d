import { describe, expect, it } from 'vitest';
import { flowLimits } from '../limits.js';
import type { Action } from '../schema/steps.js';
import { chain, codeStep, flowOf, loopStep, routerStep, sampleFlow } from '../test-fixtures.js';
import { checkFlow, describeProblem, parseFlow } from './check.js';

const codes = (problems: { code: string }[]) => problems.map((p) => p.code);

function longChain(length: number): Action | undefined {
  return chain(...Array.from({ length }, (_, i) => codeStep(`step_${i + 1}`)));
}

function nestedLoops(levels: number): Action {
  let inner: Action = codeStep('innermost');
  for (let i = levels; i >= 1; i--) inner = loopStep(`loop_${i}`, '{{trigger.items}}', inner);
  return inner;
}

describe('checkFlow', () => {
  it('finds nothing wrong with a sound flow', () => {
    expect(checkFlow(sampleFlow())).toEqual([]);
  });

  it('finds duplicate names anywhere in the tree, at the second one', () => {
    const flow = flowOf(chain(codeStep('step_1'), loopStep('step_2', '', codeStep('step_1'))));
    expect(checkFlow(flow)).toEqual([
      {
        code: 'duplicate_name',
        path: ['trigger', 'nextAction', 'nextAction', 'firstLoopAction', 'name'],
        message: 'More than one step is named "step_1"; names must be unique in a flow',
      },
    ]);
  });

  it('finds a router whose children do not match its branches', () => {
    const router = routerStep('step_1', [null, null]);
    router.children.push(null);
    const [problem] = checkFlow(flowOf(router));
    expect(problem?.code).toBe('router_children_mismatch');
    expect(problem?.message).toBe(
      'step_1 has 2 branches but 3 child chains; it needs one per branch',
    );
  });

  it('finds a misplaced fallback', () => {
    const router = routerStep('step_1', [null, null]);
    router.settings.branches.reverse();
    expect(checkFlow(flowOf(router))).toMatchObject([
      {
        code: 'router_fallback',
        path: ['trigger', 'nextAction', 'settings', 'branches'],
        message: "step_1: The FALLBACK branch must be the router's last branch",
      },
    ]);
  });

  it('counts steps against the limit', () => {
    expect(checkFlow(flowOf(longChain(flowLimits.maxSteps)))).toEqual([]);
    expect(checkFlow(flowOf(longChain(flowLimits.maxSteps + 1)))).toMatchObject([
      { code: 'too_many_steps', message: 'The flow has 501 steps; at most 500 are allowed' },
    ]);
  });

  it('measures nesting against the limit', () => {
    expect(checkFlow(flowOf(nestedLoops(flowLimits.maxDepth)))).toEqual([]);
    expect(checkFlow(flowOf(nestedLoops(flowLimits.maxDepth + 1)))).toMatchObject([
      {
        code: 'too_deep',
        message: 'innermost sits inside 31 loops and routers; at most 30 may nest',
      },
    ]);
  });

  it('counts branches against the limit', () => {
    const router = routerStep('step_1', new Array(flowLimits.maxBranches + 1).fill(null));
    expect(codes(checkFlow(flowOf(router)))).toEqual(['too_many_branches']);
  });
});

describe('parseFlow', () => {
  it('returns the parsed flow', () => {
    const flow = sampleFlow();
    expect(parseFlow(JSON.parse(JSON.stringify(flow)))).toEqual({ success: true, flow });
  });

  it('reports schema problems with their paths, then structural ones', () => {
    const result = parseFlow({ ...sampleFlow(), displayName: 7 });
    expect(result.success).toBe(false);
    expect(!result.success && result.problems[0]).toMatchObject({
      code: 'invalid_value',
      path: ['displayName'],
    });
    const dup = parseFlow(flowOf(chain(codeStep('a'), codeStep('a'))));
    expect(!dup.success && codes(dup.problems)).toEqual(['duplicate_name']);
  });

  it('refuses a chain far too long for the schema without exhausting the stack', () => {
    const result = parseFlow(flowOf(longChain(20_000)));
    expect(!result.success && result.problems).toEqual([
      {
        code: 'too_many_steps',
        path: ['trigger'],
        message: 'The flow has more than 500 steps; at most 500 are allowed',
      },
    ]);
  });

  it('refuses nesting far too deep before the schema reads it', () => {
    const result = parseFlow(flowOf(nestedLoops(5_000)));
    expect(!result.success && codes(result.problems)).toEqual(['too_deep']);
  });

  it('refuses a step object that contains itself', () => {
    const step = codeStep('step_1');
    step.nextAction = step;
    const result = parseFlow(flowOf(step));
    expect(!result.success && result.problems[0]?.code).toBe('shared_step');
  });

  it('leaves documents without a trigger to the schema', () => {
    const result = parseFlow({ displayName: 'x', schemaVersion: 1 });
    expect(!result.success && result.problems[0]?.path).toEqual(['trigger']);
  });
});

describe('describeProblem', () => {
  it('reads where, then what', () => {
    expect(describeProblem({ path: ['trigger', 'nextAction', 0], message: 'Bad' })).toBe(
      'trigger.nextAction.0: Bad',
    );
    expect(describeProblem({ path: [], message: 'Bad' })).toBe('Bad');
  });
});
