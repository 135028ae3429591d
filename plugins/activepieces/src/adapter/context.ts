import type { KeyValueStore, PluginLogger, RunInfo } from '@pmos/sdk/server';
import { unsupported } from '../errors.js';
import { pieceStore } from './store.js';

/**
 * The run context Activepieces hands a piece (ActionContext, trigger hook contexts, property
 * context), built from what PMOS gives a step. What PMOS has is passed through; what it does
 * not have yet is present but refuses when used, naming the piece, the step and the feature —
 * so a piece that never touches it runs, and one that does fails with a reason, not a crash.
 */
export interface StepFacts {
  /** "Todoist › Create Task". */
  label: string;
  auth: unknown;
  propsValue: Record<string, unknown>;
  store: KeyValueStore;
  logger: PluginLogger;
  workspace: { id: string; name: string };
  run: RunInfo;
  stepName: string;
}

/** An object whose every listed field refuses when read. */
function refusing<T extends string>(
  label: string,
  feature: string,
  fields: readonly T[],
): Record<T, never> {
  const target = {} as Record<T, never>;
  for (const field of fields) {
    Object.defineProperty(target, field, {
      enumerable: true,
      get() {
        throw unsupported(label, feature);
      },
    });
  }
  return target;
}

const serverFeature = 'the Activepieces server API (ctx.server: apiUrl, publicUrl, token)';

export function serverContext(label: string) {
  return refusing(label, serverFeature, ['apiUrl', 'publicUrl', 'token'] as const);
}

function baseContext(facts: StepFacts) {
  const { label } = facts;
  return {
    auth: facts.auth,
    propsValue: facts.propsValue,
    store: pieceStore(facts.store),
    project: { id: facts.workspace.id, externalId: async () => undefined },
    step: { name: facts.stepName },
    flows: {
      current: {
        id: facts.run.flowId ?? '',
        version: refusing(label, 'the flow version id (ctx.flows.current.version)', [
          'id',
        ] as const),
      },
      list: async () => {
        throw unsupported(label, 'listing flows (ctx.flows.list)');
      },
    },
    connections: {
      get: async (key: string) => {
        throw unsupported(label, `reading another connection (ctx.connections.get("${key}"))`);
      },
    },
    server: serverContext(label),
    files: {
      write: async () => {
        throw unsupported(label, 'the Activepieces file store (ctx.files)');
      },
    },
  };
}

/** ActionContext (context versions 0, 1 and 2 at once: older fields refuse like newer ones). */
export function actionContext(facts: StepFacts) {
  const { label, logger } = facts;
  const context = {
    ...baseContext(facts),
    executionType: 'BEGIN' as const,
    tags: {
      // PMOS runs have no tags yet; a tag changes no result, so it is logged, not refused.
      add: async ({ name }: { name: string }) => logger.info(`${label} tagged the run "${name}"`),
    },
    output: {
      // PMOS records the step's final output; live updates before it have nowhere to go.
      update: async () => undefined,
    },
    agent: {
      tools: async () => {
        throw unsupported(label, 'AI agent tools (ctx.agent)');
      },
    },
    run: {
      id: facts.run.id ?? 'test-run',
      stop: () => {
        throw unsupported(label, 'stopping the run early (ctx.run.stop)');
      },
      respond: (params?: {
        response?: { status?: number; headers?: Record<string, string>; body?: unknown };
      }) =>
        facts.run.respond({
          ...(params?.response?.status !== undefined ? { status: params.response.status } : {}),
          ...(params?.response?.headers ? { headers: params.response.headers } : {}),
          body: params?.response?.body ?? {},
        }),
      pause: () => {
        throw unsupported(label, 'pausing the run until later (ctx.run.pause)');
      },
      createWaitpoint: async () => {
        throw unsupported(label, 'waiting for a resume (ctx.run.createWaitpoint)');
      },
      waitForWaitpoint: () => {
        throw unsupported(label, 'waiting for a resume (ctx.run.waitForWaitpoint)');
      },
    },
    generateResumeUrl: () => {
      throw unsupported(label, 'resume URLs (ctx.generateResumeUrl)');
    },
  };
  // Context V0's server URL, refused like ctx.server.
  Object.defineProperty(context, 'serverUrl', {
    enumerable: true,
    get() {
      throw unsupported(label, serverFeature);
    },
  });
  return context;
}

/** The context of a trigger hook (onEnable, onDisable, run) for polling, webhook and manual. */
export function triggerContext(
  facts: StepFacts,
  extra: { webhookUrl?: string; payload?: unknown; pollingMinutes?: number },
) {
  const { label, logger } = facts;
  const context: Record<string, unknown> = {
    ...baseContext(facts),
    setSchedule: ({ cronExpression }: { cronExpression: string }) =>
      logger.warn(
        `${label} asked to poll on "${cronExpression}"; PMOS polls it every ${extra.pollingMinutes ?? 5} minutes.`,
      ),
    app: {
      createListeners: () => {
        throw unsupported(label, 'app webhooks (ctx.app.createListeners)');
      },
    },
  };
  if (extra.payload !== undefined) context.payload = extra.payload;
  if (extra.webhookUrl !== undefined) context.webhookUrl = extra.webhookUrl;
  else {
    Object.defineProperty(context, 'webhookUrl', {
      enumerable: true,
      get() {
        throw unsupported(
          label,
          'its webhook address before PMOS enables the flow (ctx.webhookUrl)',
        );
      },
    });
  }
  return context;
}

/** The PropertyContext a dropdown's options function receives. */
export function propertyContext(label: string, searchValue?: string) {
  return {
    server: serverContext(label),
    // Object.assign, not a spread: a spread would read (and so trip) the refusing getter.
    project: Object.assign(
      refusing(label, 'the workspace id while loading options (ctx.project.id)', ['id'] as const),
      { externalId: async () => undefined },
    ),
    ...(searchValue !== undefined ? { searchValue } : {}),
    flows: {
      list: async () => {
        throw unsupported(label, 'listing flows (ctx.flows.list)');
      },
      current: refusing(label, 'the current flow while loading options (ctx.flows.current)', [
        'id',
        'version',
      ] as const),
    },
    connections: {
      get: async (key: string) => {
        throw unsupported(label, `reading another connection (ctx.connections.get("${key}"))`);
      },
    },
  };
}
