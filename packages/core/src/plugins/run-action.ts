import {
  type ActionDefinition,
  InvalidPropsError,
  type KeyValueStore,
  type PluginLogger,
  parseProps,
  type RunInfo,
} from '@pmos/sdk/server';
import { scrub, scrubKnown } from '../audit/scrub.js';
import { PluginError } from './errors.js';
import type { LoadedPlugin } from './loader.js';
import { type CallOptions, callAsStep, secretsIn } from './plugin-calls.js';

export interface ActionRun {
  plugin: LoadedPlugin;
  action: ActionDefinition;
  /** The connection value as `ctx.auth` receives it (undefined for `none`). */
  auth: unknown;
  /** The step's inputs, templates already resolved; `auth` is not one of them. */
  input: Record<string, unknown>;
  workspace: { id: string; name: string };
  store: KeyValueStore;
  logger: PluginLogger;
  /** The flow run the step is part of; outside a run (a step test) ids are null. */
  run?: RunInfo;
  /**
   * For an action that runs a remote tool (`remoteTool`): the host's check of that tool on the
   * connection, which throws to refuse it. Without one, such an action is refused.
   */
  checkRemoteTool?: (tool: string) => Promise<void>;
}

/** `ctx.run` of a step run outside a flow run: no ids, and nobody waiting for a reply. */
export const noRun: RunInfo = Object.freeze({
  id: null,
  flowId: null,
  stepName: null,
  respond() {},
});

/**
 * Runs one plugin action as a flow step does: inputs checked against its props (defaults
 * applied), `ctx` built from the host's capabilities, a time limit with cancellation, and
 * failures turned into plain, scrubbed errors. What it returns is the step's output.
 */
export async function runPluginAction(run: ActionRun, options: CallOptions = {}): Promise<unknown> {
  let props: Record<string, unknown>;
  try {
    props = parseProps(run.action.props, run.input);
  } catch (error) {
    if (!(error instanceof InvalidPropsError)) throw error;
    throw new PluginError('invalid_step_input', {
      message: error.message,
      details: { problems: error.problems },
    });
  }
  if (run.action.remoteTool) await checkRemoteTool(run, props);
  const output = await callAsStep({ ...run, run: run.run ?? noRun }, props, options, (ctx) =>
    run.action.run(ctx),
  );
  return output === undefined ? null : output;
}

/** Asks the host about the remote tool a call runs; fails closed when it cannot tell. */
async function checkRemoteTool(run: ActionRun, props: Record<string, unknown>): Promise<void> {
  let tool: unknown;
  try {
    tool = run.action.remoteTool?.(props as never);
  } catch {
    tool = undefined;
  }
  if (typeof tool !== 'string' || tool.trim() === '') {
    throw new PluginError('invalid_step_input', {
      message: `Choose the tool "${run.action.displayName}" should run.`,
    });
  }
  if (!run.checkRemoteTool) {
    throw new PluginError('tool_not_allowed', {
      message: `PMOS cannot check the tool "${tool}" here, so it does not run it.`,
      details: { tool },
    });
  }
  await run.checkRemoteTool(tool.trim());
}

/**
 * A step's input or output as it may be recorded or shown: the connection's secret values
 * and anything under a secret-looking key are masked.
 */
export function maskForRecord(value: unknown, auth: unknown): unknown {
  const secrets = secretsIn(auth);
  const masked = scrub(value);
  if (secrets.length === 0) return masked;
  return JSON.parse(JSON.stringify(masked ?? null), (_key, item) =>
    typeof item === 'string' ? scrubKnown(item, secrets) : item,
  );
}
