import { describe, expect, it } from 'vitest';
import type { Flow } from '../schema/flow.js';
import {
  chain,
  codeStep,
  deepFreeze,
  flowOf,
  loopStep,
  pluginStep,
  routerStep,
  sampleFlow,
  webhookTrigger,
} from '../test-fixtures.js';
import type { FlowCatalog } from './catalog.js';
import { validateFlow } from './validate.js';

const slack = (enabled: boolean, auth?: { kind: string }) => ({
  enabled,
  displayName: 'Slack',
  connectors: {
    slack: {
      displayName: 'Slack',
      ...(auth ? { auth } : {}),
      actions: {
        send_message: {
          props: {
            channel: { kind: 'dropdown', displayName: 'Channel', required: true },
            text: { kind: 'long_text', displayName: 'Text', required: false },
          },
        },
      },
      triggers: {},
    },
  },
});

const catalog: FlowCatalog = {
  plugins: {
    core: {
      enabled: true,
      displayName: 'Core',
      connectors: {
        webhook: {
          displayName: 'Webhook',
          auth: { kind: 'none' },
          actions: {},
          triggers: { catch_webhook: { props: {} } },
        },
      },
    },
    slack: slack(true),
  },
};

const problemsOf = (flow: Flow, c: FlowCatalog = catalog) =>
  validateFlow(flow, c).problems.map(({ step, code, message }) => ({ step, code, message }));

describe('validateFlow', () => {
  it('marks a complete flow valid, step by step', () => {
    const flow = flowOf(chain(pluginStep('step_1', { channel: 'C1' }), codeStep('step_2')));
    const result = validateFlow(flow, catalog);
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('returns a marked copy and leaves its input alone', () => {
    const flow = deepFreeze(flowOf(chain(pluginStep('step_1'), codeStep('step_2'))));
    const result = validateFlow(flow, catalog);
    expect(result.valid).toBe(false);
    expect(result.flow.trigger.valid).toBe(true);
    expect(result.flow.trigger.nextAction?.valid).toBe(false);
    expect(result.flow.trigger.nextAction?.nextAction?.valid).toBe(true);
    expect(flow.trigger.nextAction?.valid).toBe(true);
  });

  it('names required props left empty (undefined or ""), by display name', () => {
    for (const channel of [undefined, '']) {
      expect(problemsOf(flowOf(pluginStep('step_1', { channel })))).toEqual([
        { step: 'step_1', code: 'missing_prop', message: '"Channel" is required.' },
      ]);
    }
    const [problem] = validateFlow(flowOf(pluginStep('step_1')), catalog).problems;
    expect(problem?.prop).toBe('channel');
    // Any other value counts as set, false and 0 included.
    expect(problemsOf(flowOf(pluginStep('step_1', { channel: 0 })))).toEqual([]);
  });

  it('asks for an empty trigger to be chosen', () => {
    const flow = flowOf(undefined, {
      name: 'trigger',
      displayName: 'Empty',
      valid: true,
      type: 'EMPTY',
      settings: {},
    });
    expect(problemsOf(flow)).toEqual([
      {
        step: 'trigger',
        code: 'empty_trigger',
        message: 'Choose a trigger: nothing starts this flow yet.',
      },
    ]);
    expect(validateFlow(flow, catalog).flow.trigger.valid).toBe(false);
  });

  it('finds unknown plugins, connectors, actions and triggers', () => {
    const step = (over: Partial<ReturnType<typeof pluginStep>['settings']>) => {
      const s = pluginStep('step_1', { channel: 'C1' });
      s.settings = { ...s.settings, ...over };
      return flowOf(s);
    };
    expect(problemsOf(step({ pluginId: 'gmail' }))).toEqual([
      {
        step: 'step_1',
        code: 'unknown_plugin',
        message: 'The plugin "gmail" is not available here.',
      },
    ]);
    expect(problemsOf(step({ pluginId: 'constructor' }))[0]?.code).toBe('unknown_plugin');
    expect(problemsOf(step({ connectorId: 'teams' }))).toEqual([
      { step: 'step_1', code: 'unknown_connector', message: 'Slack has no connector "teams".' },
    ]);
    expect(problemsOf(step({ actionId: 'toString' }))).toEqual([
      { step: 'step_1', code: 'unknown_action', message: 'Slack has no action "toString".' },
    ]);
    const trigger = webhookTrigger();
    trigger.settings.triggerId = 'poll';
    expect(problemsOf(flowOf(undefined, trigger))).toEqual([
      { step: 'trigger', code: 'unknown_trigger', message: 'Webhook has no trigger "poll".' },
    ]);
  });

  it('says when a plugin is turned off in the workspace', () => {
    const off: FlowCatalog = { plugins: { ...catalog.plugins, slack: slack(false) } };
    expect(problemsOf(flowOf(pluginStep('step_1', { channel: 'C1' })), off)).toEqual([
      {
        step: 'step_1',
        code: 'plugin_disabled',
        message:
          'Slack is turned off in this workspace; an admin can turn it on in Settings › Plugins.',
      },
    ]);
  });

  it('asks for a connection when the connector needs one', () => {
    const withAuth: FlowCatalog = {
      plugins: { ...catalog.plugins, slack: slack(true, { kind: 'oauth2' }) },
    };
    const flow = (auth?: string) =>
      flowOf(pluginStep('step_1', { channel: 'C1', ...(auth ? { auth } : {}) }));
    expect(problemsOf(flow(), withAuth)).toEqual([
      { step: 'step_1', code: 'missing_connection', message: 'Choose a Slack connection.' },
    ]);
    expect(problemsOf(flow("{{connections['slack-main']}}"), withAuth)).toEqual([]);
  });

  it('finds references to missing steps and to steps that do not run before', () => {
    const flow = flowOf(
      chain(
        pluginStep('step_1', { channel: '{{step_9.id}}', text: '{{step_1.ts}}' }),
        routerStep('step_2', [
          codeStep('step_3'),
          codeStep('step_4', { x: '{{step_3.a}} {{step_2.b}} {{step_1.c}}' }),
        ]),
        loopStep('step_5', '{{step_6}}', codeStep('step_6', { item: '{{step_5.item}}' })),
        codeStep('step_7', { late: '{{step_8.x}}', inner: '{{step_6}}' }),
        codeStep('step_8'),
      ),
    );
    expect(problemsOf(flow)).toEqual([
      {
        step: 'step_1',
        code: 'missing_step_reference',
        message: '{{step_9.id}} reads from "step_9", but no step has that name.',
      },
      {
        step: 'step_1',
        code: 'reference_not_before',
        message: "{{step_1.ts}} reads this step's own output.",
      },
      {
        step: 'step_4',
        code: 'reference_not_before',
        message: '{{step_3.a}} reads from "step_3", which does not run before this step.',
      },
      {
        step: 'step_5',
        code: 'reference_not_before',
        message: '{{step_6}} reads from "step_6", which does not run before this step.',
      },
      {
        step: 'step_7',
        code: 'reference_not_before',
        message: '{{step_8.x}} reads from "step_8", which does not run before this step.',
      },
      {
        step: 'step_7',
        code: 'reference_not_before',
        message: '{{step_6}} reads from "step_6", which does not run before this step.',
      },
    ]);
  });

  it('does not let the trigger read step outputs', () => {
    const flow = sampleFlow();
    if (flow.trigger.type === 'PLUGIN_TRIGGER')
      flow.trigger.settings.input = { x: '{{step_1.id}}' };
    expect(problemsOf(flow)).toContainEqual({
      step: 'trigger',
      code: 'reference_not_before',
      message: '{{step_1.id}}: the trigger starts the flow and cannot read step outputs.',
    });
  });

  it('reports templates that are not references', () => {
    expect(problemsOf(flowOf(codeStep('step_1', { a: 'x {{ trigger.body + 1 }}' })))).toEqual([
      {
        step: 'step_1',
        code: 'malformed_template',
        message: '{{ trigger.body + 1 }} is not a reference: write {{step_name.field}}.',
      },
    ]);
  });

  it('finds incomplete code, loops and routers', () => {
    const code = codeStep('step_1');
    code.settings.sourceCode.code = '  ';
    const router = routerStep('step_3', [null, null, null, null, null, null]);
    const conditionBranch = (conditions: typeof router.settings.branches) => conditions;
    router.settings.branches = conditionBranch([
      { branchType: 'CONDITION', branchName: 'None', conditions: [] },
      { branchType: 'CONDITION', branchName: 'Empty group', conditions: [[]] },
      {
        branchType: 'CONDITION',
        branchName: 'No first',
        conditions: [[{ firstValue: '', operator: 'EXISTS' }]],
      },
      {
        branchType: 'CONDITION',
        branchName: 'No second',
        conditions: [[{ firstValue: '{{trigger.a}}', operator: 'NUMBER_IS_LESS_THAN' }]],
      },
      {
        branchType: 'CONDITION',
        branchName: 'Bad regex',
        conditions: [
          [{ firstValue: '{{trigger.a}}', operator: 'TEXT_MATCHES_REGEX', secondValue: '(' }],
        ],
      },
      { branchType: 'FALLBACK', branchName: 'Otherwise' },
    ]);
    const ok = routerStep('step_4', [null, null]);
    ok.settings.branches[0] = {
      branchType: 'CONDITION',
      branchName: 'Fine',
      conditions: [
        [{ firstValue: '{{trigger.a}}', operator: 'BOOLEAN_IS_TRUE' }],
        [
          {
            firstValue: '{{trigger.a}}',
            operator: 'TEXT_MATCHES_REGEX',
            secondValue: '{{trigger.re}}',
          },
        ],
      ],
    };
    const flow = flowOf(chain(code, loopStep('step_2', ''), router, ok));
    expect(problemsOf(flow)).toEqual([
      { step: 'step_1', code: 'empty_code', message: 'Write the code.' },
      { step: 'step_2', code: 'empty_loop_items', message: 'Choose the list to loop over.' },
      {
        step: 'step_3',
        code: 'empty_conditions',
        message: 'Branch "None" has an empty set of conditions.',
      },
      {
        step: 'step_3',
        code: 'empty_conditions',
        message: 'Branch "Empty group" has an empty set of conditions.',
      },
      {
        step: 'step_3',
        code: 'incomplete_condition',
        message: 'Branch "No first" has a condition with nothing to test.',
      },
      {
        step: 'step_3',
        code: 'incomplete_condition',
        message: 'Branch "No second" has a condition with no value to compare.',
      },
      {
        step: 'step_3',
        code: 'invalid_regex',
        message: 'Branch "Bad regex": "(" is not a valid regular expression.',
      },
    ]);
  });

  it('marks skipped steps but does not hold the flow back for them', () => {
    const skipped = pluginStep('step_1');
    skipped.skip = true;
    const loop = loopStep('step_2', '{{trigger.items}}', pluginStep('step_3'));
    loop.skip = true;
    const result = validateFlow(flowOf(chain(skipped, loop, codeStep('step_4'))), catalog);
    expect(result.problems.map((p) => p.step)).toEqual(['step_1', 'step_3']);
    expect(result.flow.trigger.nextAction?.valid).toBe(false);
    expect(result.valid).toBe(true);
  });
});
