import { describe, expect, it } from 'vitest';
import {
  codeStep,
  flowOf,
  loopStep,
  pluginStep,
  routerStep,
  sampleFlow,
} from '../test-fixtures.js';
import { flowSchema } from './flow.js';

/** The sample flow as JSON, with the value at `path` replaced. */
function variant(path: PropertyKey[], value: unknown): unknown {
  const doc: unknown = JSON.parse(JSON.stringify(sampleFlow()));
  let holder = doc as Record<PropertyKey, unknown>;
  for (const key of path.slice(0, -1)) holder = holder[key] as Record<PropertyKey, unknown>;
  holder[path.at(-1) as PropertyKey] = value;
  return doc;
}

function firstIssue(value: unknown) {
  const result = flowSchema.safeParse(value);
  expect(result.success).toBe(false);
  return result.error?.issues[0];
}

const step1 = ['trigger', 'nextAction'];
const loop = [...step1, 'nextAction'];
const router = [...loop, 'nextAction'];

describe('flow document schema', () => {
  it('reads the sample flow, every step type included, and keeps it as it is', () => {
    const flow = sampleFlow();
    expect(flowSchema.parse(flow)).toEqual(flow);
  });

  it('reads an empty trigger, notes and error handling options', () => {
    const step = pluginStep('step_1');
    step.settings.errorHandlingOptions = {
      continueOnFailure: { value: true },
      retryOnFailure: { value: false },
    };
    step.settings.propertySettings = { channel: { type: 'DYNAMIC' } };
    const flow = {
      ...flowOf(step, {
        name: 'trigger',
        displayName: 'Empty',
        valid: false,
        type: 'EMPTY',
        settings: {},
      }),
      notes: [{ id: 'n1', content: 'Ask Ana', position: { x: 1, y: 2 } }],
    };
    expect(flowSchema.parse(flow)).toEqual(flow);
  });

  it('drops keys it does not know', () => {
    const parsed = flowSchema.parse(variant([...step1, 'somethingElse'], true));
    expect(parsed.trigger.nextAction).not.toHaveProperty('somethingElse');
  });

  const condition = { branchType: 'CONDITION', branchName: 'A', conditions: [] };
  const fallback = { branchType: 'FALLBACK', branchName: 'B' };
  const branches = [...router, 'settings', 'branches'];
  const deep = (levels: number) => {
    let v: unknown = 'x';
    for (let i = 0; i < levels; i++) v = [v];
    return v;
  };

  it.each([
    ['a step name starting with a digit', [...step1, 'name'], '1st', 'does not start with a digit'],
    ['a step name with a dash', [...step1, 'name'], 'step-1', 'letters, digits and _'],
    ['an action named trigger', [...step1, 'name'], 'trigger', 'cannot be named'],
    ['an action named __proto__', [...step1, 'name'], '__proto__', 'cannot be named'],
    ['a trigger with another name', ['trigger', 'name'], 'start', ''],
    ['an unknown step type', [...step1, 'type'], 'BRANCH', ''],
    ['an empty display name', [...step1, 'displayName'], '', 'cannot be empty'],
    ['a version range', [...step1, 'settings', 'pluginVersion'], '^1.2.3', 'exact version'],
    ['a missing action id', [...step1, 'settings', 'actionId'], undefined, ''],
    ['loop items that are not text', [...loop, 'settings', 'items'], ['a'], ''],
    ['a router without fallback', branches, [condition], 'needs a FALLBACK'],
    ['a fallback that is not last', branches, [fallback, condition], 'must be the router'],
    ['two fallbacks', branches, [fallback, fallback], '2 FALLBACK branches'],
    ['a router without branches', branches, [], ''],
    ['an unknown operator', [...branches, 0, 'conditions', 0, 0, 'operator'], 'TEXT_IS_NICE', ''],
    ['an unknown execution type', [...router, 'settings', 'executionType'], 'RANDOM', ''],
    ['children that are not steps', [...router, 'children'], [1, null], '', [0]],
    ['another format version', ['schemaVersion'], 2, ''],
    ['an unnamed flow', ['displayName'], '', 'needs a name'],
    [
      'an input nested too deep',
      [...step1, 'settings', 'input', 'deep'],
      deep(70),
      'at most 64',
      new Array<number>(65).fill(0),
    ],
  ] as [string, PropertyKey[], unknown, string, PropertyKey[]?][])(
    'refuses %s',
    (_, path, value, message, below = []) => {
      const issue = firstIssue(variant(path, value));
      expect(issue?.path).toEqual([...path, ...below]);
      expect(issue?.message).toContain(message);
    },
  );

  it('refuses inputs that are not JSON, naming the key', () => {
    const step = pluginStep('step_1', { when: new Date() as never, fn: (() => 1) as never });
    const issue = firstIssue(flowOf(step));
    expect(issue?.path).toEqual([...step1, 'settings', 'input', 'when']);
    const nan = firstIssue(flowOf(codeStep('step_1', { n: Number.NaN })));
    expect(nan?.message).toBe('Numbers must be finite');
  });

  it('refuses a "__proto__" key inside an input, as JSON.parse leaves it', () => {
    const input = JSON.parse('{"payload": {"__proto__": {"admin": true}}}');
    const issue = firstIssue(flowOf(codeStep('step_1', input)));
    expect(issue?.path).toEqual([...step1, 'settings', 'input', 'payload', '__proto__']);
  });

  it('refuses an input that contains itself, and accepts one shared twice', () => {
    const shared = { a: 1 };
    expect(flowSchema.safeParse(flowOf(codeStep('step_1', { x: shared, y: shared }))).success).toBe(
      true,
    );
    const loopy: Record<string, unknown> = {};
    loopy.self = loopy;
    expect(firstIssue(flowOf(codeStep('step_1', { loopy } as never)))?.message).toBe(
      'The value contains itself',
    );
  });

  it('accepts unset inputs (undefined) as JavaScript callers leave them', () => {
    expect(flowSchema.safeParse(flowOf(codeStep('step_1', { a: undefined }))).success).toBe(true);
  });

  it('reads nested loops and routers with empty branches', () => {
    const flow = flowOf(
      loopStep('step_1', '{{trigger.items}}', routerStep('step_2', [null, null, null])),
    );
    expect(flowSchema.parse(flow)).toEqual(flow);
  });
});
