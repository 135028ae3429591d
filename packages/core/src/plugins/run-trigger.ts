import { InvalidPropsError, parseProps, type TriggerDefinition } from '@pmos/sdk/server';
import { PluginError } from './errors.js';
import { type CallOptions, callAsStep, type StepCall } from './plugin-calls.js';

export interface TriggerRun extends StepCall {
  trigger: TriggerDefinition;
  /** The trigger's inputs from the flow document, templates resolved. */
  input: Record<string, unknown>;
  /** The delivery (webhook), the firing (schedule), the test payload (manual). */
  payload: unknown;
}

/**
 * Asks a trigger for the events of one delivery, firing or poll, as the flow engine does:
 * inputs checked against its props, the same limits and error handling as an action.
 * What comes back is always a list (one run per event).
 */
export async function runPluginTrigger(
  run: TriggerRun,
  options: CallOptions = {},
): Promise<unknown[]> {
  const props = triggerProps(run);
  const events = await callAsStep(run, props, options, (ctx) =>
    run.trigger.run({ ...ctx, payload: run.payload }),
  );
  if (!Array.isArray(events)) {
    throw new PluginError('plugin_call_failed', {
      message: `${run.plugin.manifest.displayName}: the trigger "${run.trigger.id}" did not return a list of events.`,
    });
  }
  return events;
}

/** How many events a test of a trigger gives at most. */
export const triggerTestEvents = 5;

/**
 * A few recent events of a trigger for a person testing it in the Flow Studio: its `test`
 * when it has one, else one `run` (an empty store; a schedule's firing of now). A webhook
 * trigger without `test` has nothing to give on request: its events come in as they happen.
 */
export async function testPluginTrigger(
  run: Omit<TriggerRun, 'payload'>,
  options: CallOptions = {},
): Promise<unknown[]> {
  const { trigger } = run;
  if (!trigger.test && trigger.strategy === 'webhook') {
    throw new PluginError('trigger_test_unavailable', {
      message: `"${trigger.displayName}" starts the flow when its service calls the flow's webhook: send it an event (or a request to the webhook URL), then test the whole flow to record a real one.`,
    });
  }
  const events = trigger.test
    ? await callAsStep(run, triggerProps(run), options, (ctx) =>
        (trigger.test as NonNullable<typeof trigger.test>).call(trigger, ctx),
      )
    : await runPluginTrigger(
        {
          ...run,
          payload:
            trigger.strategy === 'schedule' ? { firedAt: new Date().toISOString() } : undefined,
        },
        options,
      );
  if (!Array.isArray(events)) {
    throw new PluginError('plugin_call_failed', {
      message: `${run.plugin.manifest.displayName}: the trigger "${trigger.id}" did not return a list of events.`,
    });
  }
  return events.slice(0, triggerTestEvents);
}

export interface TriggerHookRun extends Omit<TriggerRun, 'payload'> {
  /** Where the flow's webhook listens (webhook triggers' `onEnable` only). */
  webhookUrl?: string;
}

/**
 * Calls a trigger's `onEnable` or `onDisable` (register a webhook, set a cursor …) with the
 * same checks and limits as a poll. A trigger without the hook has nothing to do: it resolves.
 */
export async function runTriggerHook(
  hook: 'onEnable' | 'onDisable',
  run: TriggerHookRun,
  options: CallOptions = {},
): Promise<void> {
  const call = run.trigger[hook];
  if (!call) return;
  const props = triggerProps(run);
  await callAsStep(run, props, options, (ctx) =>
    call.call(run.trigger, {
      ...ctx,
      ...(hook === 'onEnable' && run.webhookUrl ? { webhookUrl: run.webhookUrl } : {}),
    }),
  );
}

function triggerProps(run: Pick<TriggerRun, 'trigger' | 'input'>): Record<string, unknown> {
  try {
    return parseProps(run.trigger.props, run.input);
  } catch (error) {
    if (!(error instanceof InvalidPropsError)) throw error;
    throw new PluginError('invalid_step_input', {
      message: `The trigger is not set up completely: ${error.message}`,
      details: { problems: error.problems },
    });
  }
}
