import type { Flow } from './schema/flow.js';
import type {
  Action,
  CodeAction,
  LoopAction,
  PluginAction,
  PluginTrigger,
  RouterAction,
} from './schema/steps.js';

// Builders for tests: small documents that read like the canvas.

export function webhookTrigger(): PluginTrigger {
  return {
    name: 'trigger',
    displayName: 'Catch webhook',
    valid: true,
    type: 'PLUGIN_TRIGGER',
    settings: {
      pluginId: 'core',
      connectorId: 'webhook',
      triggerId: 'catch_webhook',
      pluginVersion: '1.0.0',
      input: {},
    },
  };
}

export function pluginStep(
  name: string,
  input: PluginAction['settings']['input'] = {},
): PluginAction {
  return {
    name,
    displayName: `Send ${name}`,
    valid: true,
    type: 'PLUGIN',
    settings: {
      pluginId: 'slack',
      connectorId: 'slack',
      actionId: 'send_message',
      pluginVersion: '1.2.3',
      input,
    },
  };
}

export function codeStep(name: string, input: CodeAction['settings']['input'] = {}): CodeAction {
  return {
    name,
    displayName: `Code ${name}`,
    valid: true,
    type: 'CODE',
    settings: { sourceCode: { code: 'export const code = async (inputs) => inputs;' }, input },
  };
}

export function loopStep(name: string, items: string, body?: Action): LoopAction {
  return {
    name,
    displayName: `Loop ${name}`,
    valid: true,
    type: 'LOOP_ON_ITEMS',
    settings: { items },
    ...(body ? { firstLoopAction: body } : {}),
  };
}

/** A router with one condition branch per child but the last, which is the fallback. */
export function routerStep(name: string, children: (Action | null)[]): RouterAction {
  return {
    name,
    displayName: `Route ${name}`,
    valid: true,
    type: 'ROUTER',
    settings: {
      executionType: 'EXECUTE_FIRST_MATCH',
      branches: children.map((_, i) =>
        i === children.length - 1
          ? { branchType: 'FALLBACK', branchName: 'Otherwise' }
          : {
              branchType: 'CONDITION',
              branchName: `Branch ${i + 1}`,
              conditions: [
                [
                  {
                    firstValue: '{{trigger.body.kind}}',
                    operator: 'TEXT_EXACTLY_MATCHES',
                    secondValue: `k${i}`,
                  },
                ],
              ],
            },
      ),
    },
    children,
  };
}

/** Links steps into a chain through `nextAction`; returns the first. */
export function chain(...actions: Action[]): Action | undefined {
  for (let i = actions.length - 2; i >= 0; i--) {
    const next = actions[i + 1];
    const action = actions[i];
    if (action && next) action.nextAction = next;
  }
  return actions[0];
}

export function flowOf(first?: Action, trigger: Flow['trigger'] = webhookTrigger()): Flow {
  return {
    displayName: 'New leads',
    schemaVersion: 1,
    trigger: first ? { ...trigger, nextAction: first } : trigger,
  };
}

/**
 * trigger → step_1 → step_2 (loop: step_3 → step_4) → step_5 (router: [step_6], fallback
 * empty) → step_7
 */
export function sampleFlow(): Flow {
  return flowOf(
    chain(
      pluginStep('step_1', { channel: '{{trigger.body.channel}}' }),
      loopStep(
        'step_2',
        '{{step_1.items}}',
        chain(
          codeStep('step_3', { item: '{{step_2.item}}' }),
          pluginStep('step_4', { text: '{{step_3.result}}' }),
        ),
      ),
      routerStep('step_5', [pluginStep('step_6', { text: '{{step_1.id}}' }), null]),
      codeStep('step_7', { all: '{{step_1}}' }),
    ),
  );
}

/** Freezes a value and everything in it, so a test fails if anything writes to it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * The tree in one line: `>` links a chain, `[…]` is a loop body, `{… | …}` are a router's
 * branches (`-` for an empty one).
 */
export function outline(flow: Flow): string {
  const chainText = (first: Action | null | undefined): string => {
    const parts: string[] = [];
    for (let step = first; step; step = step.nextAction) {
      if (step.type === 'LOOP_ON_ITEMS')
        parts.push(`${step.name}[${chainText(step.firstLoopAction)}]`);
      else if (step.type === 'ROUTER') {
        parts.push(`${step.name}{${step.children.map((c) => chainText(c) || '-').join(' | ')}}`);
      } else parts.push(step.name);
    }
    return parts.join(' > ');
  };
  return ['trigger', chainText(flow.trigger.nextAction)].filter(Boolean).join(' > ');
}
