import { z } from 'zod';
import type { AuthDefinition, AuthValue } from './auth.js';
import { SdkDefinitionError } from './errors.js';
import type { Props, PropsValue } from './props.js';

/** What every action and trigger run receives from the host. */
export interface RunContext<A extends AuthDefinition, P extends Props> {
  /** The decrypted connection value of the chosen connection. */
  auth: AuthValue<A>;
  /** The step's inputs, validated against its props. */
  props: PropsValue<P>;
  /** fetch, bound to the hosts the plugin declared; any other host is refused. */
  http: typeof fetch;
  store: KeyValueStore;
  logger: PluginLogger;
  workspace: { id: string; name: string };
  /** Aborted when the run is cancelled or times out. */
  signal: AbortSignal;
  /** The flow run this step belongs to, and its answer to a waiting webhook. */
  run: RunInfo;
}

/** The run a step or trigger is part of. */
export interface RunInfo {
  /** null outside a flow run, e.g. when a step is tested on its own. */
  id: string | null;
  flowId: string | null;
  /** The step's name in the flow (`step_1`, `trigger`), or null outside a flow run. */
  stepName: string | null;
  /**
   * Answers the webhook that started this run, when it waits for an answer (sync webhooks);
   * otherwise recorded and ignored.
   */
  respond(reply: WebhookReply): void;
}

/** What a synchronous webhook answers its caller. */
export interface WebhookReply {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as it is, any other value as JSON. */
  body?: unknown;
}

export interface KeyValueStore {
  get<T = unknown>(key: string, scope?: 'workspace' | 'flow'): Promise<T | undefined>;
  put(key: string, value: unknown, scope?: 'workspace' | 'flow'): Promise<void>;
  delete(key: string, scope?: 'workspace' | 'flow'): Promise<void>;
}

/** Messages are scrubbed of secrets by the host before they are written. */
export interface PluginLogger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export type Risk = 'read' | 'write' | 'destructive';

/** One tool of a server of tools, as the server describes it (see `listRemoteTools`). */
export interface RemoteTool {
  name: string;
  title?: string | null;
  description?: string | null;
  /**
   * The risk the server gives the tool (MCP: its read-only and destructive hints). A hint, not
   * a guarantee: PMOS runs an unmarked tool only when this says `read`.
   */
  risk: Risk;
  /** The JSON Schema of the tool's arguments (an object schema), for chat's agent. */
  inputSchema?: Record<string, unknown>;
}

export interface ActionDefinition<
  A extends AuthDefinition = AuthDefinition,
  P extends Props = Props,
  O = unknown,
> {
  id: string;
  displayName: string;
  description: string;
  /** read: safe to run without asking; write and destructive stop for an approval in chat. */
  risk: Risk;
  /**
   * The risk of one call, when it depends on its inputs (e.g. a generic "call any tool"
   * action whose tool may only read). Chat's approval gate uses it instead of `risk`; it runs
   * on the inputs as given, before anything is called, and must not throw.
   */
  riskOf?(props: PropsValue<P>): Risk;
  /**
   * For an action that runs one tool of a server of tools (an MCP server …): the tool a call
   * runs, from its inputs. PMOS then applies the workspace admin's mark for that tool on the
   * connection — safe, gated or blocked — and, without a mark, runs it only when the
   * connector's `listRemoteTools` says it only reads. Needs `listRemoteTools` on the connector.
   */
  remoteTool?(props: PropsValue<P>): string;
  /**
   * The inverse of `remoteTool`: the inputs that run `tool` with its own arguments. With it,
   * chat offers each tool of the server to the agent as a tool of its own (its name, its
   * description, its input schema) instead of one generic "call a tool" action.
   */
  remoteToolInput?(tool: string, args: Record<string, unknown>): PropsValue<P>;
  auth?: A;
  props: P;
  /** A sample of the output, for the data picker before the first test run. */
  sampleOutput?: O;
  run(ctx: RunContext<A, P>): Promise<O>;
}

/**
 * How a trigger learns of events: PMOS delivers webhooks, polls on an interval, fires on a
 * cron schedule, or the person starts the flow by hand.
 */
export type TriggerStrategy = 'webhook' | 'polling' | 'schedule' | 'manual';

export const triggerStrategies = ['webhook', 'polling', 'schedule', 'manual'] as const;

/** Minutes between two polls of a polling trigger that does not say. */
export const defaultPollingIntervalMinutes = 5;

/** When a schedule trigger fires: a cron expression read in an IANA time zone. */
export interface TriggerSchedule {
  /** Five fields (minute hour day-of-month month day-of-week): schedules fire to the minute. */
  cron: string;
  /** An IANA zone like "Europe/Berlin" or "UTC". */
  timezone: string;
}

/** The payload a schedule trigger's `run` receives at each firing. */
export interface ScheduleFiring {
  /** When the schedule fired, as an ISO 8601 timestamp. */
  firedAt: string;
}

export interface TriggerDefinition<
  A extends AuthDefinition = AuthDefinition,
  P extends Props = Props,
  E = unknown,
> {
  id: string;
  displayName: string;
  description: string;
  strategy: TriggerStrategy;
  auth?: A;
  props: P;
  sampleOutput?: E;
  /**
   * Schedule triggers only (and required there): when to fire, from the trigger's props.
   * PMOS registers it as a cron schedule when the flow is enabled, and at each firing calls
   * `run` with a `ScheduleFiring` as `payload`. Throw to refuse props that make no schedule.
   */
  schedule?(props: PropsValue<P>): TriggerSchedule;
  /** Polling triggers only: minutes between polls, a whole number from 1 (default 5). */
  pollingIntervalMinutes?: number;
  /**
   * Webhook triggers only: keep the request body's exact text as `payload.rawBody` (besides
   * the parsed `body`), to check a signature computed over it (GitHub's
   * `X-Hub-Signature-256`, Stripe's `Stripe-Signature` …).
   */
  rawBody?: boolean;
  /**
   * A key per event: PMOS drops an event whose key it has already seen for the flow.
   * Without it, PMOS keys an event by a hash of its JSON. Write it after `run` (or type its
   * parameter): TypeScript infers the event type from the members in order.
   */
  dedupeKey?(event: E): string;
  /**
   * Called when a flow starts using the trigger: published and turned on (register a
   * webhook at `webhookUrl`, given to webhook triggers; start a cursor …). A throw keeps the
   * flow from starting, and its message is shown on the flow.
   */
  onEnable?(ctx: RunContext<A, P> & { webhookUrl?: string }): Promise<void>;
  /**
   * Called when a flow stops using the trigger: turned off, deleted, or republished with
   * another trigger or other inputs; with the inputs and the flow's store `onEnable` had.
   */
  onDisable?(ctx: RunContext<A, P>): Promise<void>;
  /**
   * A few recent, real events for a person testing the trigger in the Flow Studio ("Load a
   * real event"): their shape is what the steps after it are built with. Nothing it stores
   * is kept. Without it, PMOS tests a polling, schedule or manual trigger with `run` (an empty
   * store, a firing of now) and a webhook trigger not at all.
   */
  test?(ctx: RunContext<A, P>): Promise<E[]>;
  /**
   * webhook: turns one delivery (`payload`) into events; polling: fetches new events since
   * the last call (keep the cursor in `ctx.store`); schedule: one firing (`ScheduleFiring`);
   * manual: returns the test event.
   */
  run(ctx: RunContext<A, P> & { payload?: unknown }): Promise<E[]>;
}

const slug = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, {
  error: 'must start with a letter: a-z, 0-9, "-" and "_" (at most 64)',
});
const text = z.string().trim().min(1, { error: 'must not be empty' });

function check<T>(where: string, schema: z.ZodType, value: T): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new SdkDefinitionError(
      where,
      result.error.issues.map((i) => `${i.path.join('.') || 'definition'} ${i.message}`),
    );
  }
  return value;
}

const fn = (error: string) =>
  z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', { error });

const actionSchema = z.object({
  id: slug,
  displayName: text,
  description: text,
  risk: z.enum(['read', 'write', 'destructive'], { error: 'must be read, write or destructive' }),
  props: z.record(z.string(), z.object({ kind: z.string() }).loose()),
  riskOf: fn('must be a function').optional(),
  remoteTool: fn('must be a function returning the name of the tool a call runs').optional(),
  remoteToolInput: fn('must be a function of (tool, arguments) returning the inputs').optional(),
  run: fn('must be a function'),
});

/** Defines an action: what it asks for (props), how risky it is, and what it does. */
export function defineAction<
  const A extends AuthDefinition = AuthDefinition,
  P extends Props = Props,
  O = unknown,
>(action: ActionDefinition<A, P, O>): ActionDefinition<A, P, O> {
  return check(`action "${action.id}"`, actionSchema, action);
}

const triggerSchema = actionSchema
  .omit({ risk: true, riskOf: true, remoteTool: true, remoteToolInput: true })
  .extend({
    strategy: z.enum(triggerStrategies, {
      error: 'must be webhook, polling, schedule or manual',
    }),
    schedule: fn('must be a function returning { cron, timezone }').optional(),
    pollingIntervalMinutes: z
      .number({ error: 'must be a whole number of minutes, at least 1' })
      .int({ error: 'must be a whole number of minutes, at least 1' })
      .min(1, { error: 'must be a whole number of minutes, at least 1' })
      .optional(),
    dedupeKey: fn('must be a function returning a string key for an event').optional(),
    test: fn('must be a function returning a list of recent events').optional(),
    rawBody: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .superRefine((trigger, ctx) => {
    if (trigger.strategy === 'schedule' && trigger.schedule === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['schedule'],
        message:
          'is required for strategy "schedule": a function of the props returning { cron, timezone }',
      });
    }
    if (trigger.strategy !== 'schedule' && trigger.schedule !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['schedule'],
        message: `is only for strategy "schedule" (this trigger is "${trigger.strategy}")`,
      });
    }
    if (trigger.strategy !== 'polling' && trigger.pollingIntervalMinutes !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['pollingIntervalMinutes'],
        message: `is only for strategy "polling" (this trigger is "${trigger.strategy}")`,
      });
    }
    if (trigger.strategy !== 'webhook' && trigger.rawBody !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['rawBody'],
        message: `is only for strategy "webhook" (this trigger is "${trigger.strategy}")`,
      });
    }
  });

/**
 * Defines a trigger: how it learns of events (strategy), what it asks for, and how it turns
 * a delivery, a poll, a schedule firing or a manual test into events.
 */
export function defineTrigger<
  const A extends AuthDefinition = AuthDefinition,
  P extends Props = Props,
  E = unknown,
>(trigger: TriggerDefinition<A, P, E>): TriggerDefinition<A, P, E> {
  return check(`trigger "${trigger.id}"`, triggerSchema, trigger);
}

export interface HealthReport {
  ok: boolean;
  /** Plain language, shown to the admin as is: "Connected as Ada (Acme)", "The key was revoked". */
  message: string;
}

export interface ConnectorDefinition<A extends AuthDefinition = AuthDefinition> {
  id: string;
  displayName: string;
  description?: string;
  auth: A;
  healthCheck?(ctx: {
    auth: AuthValue<A>;
    http: typeof fetch;
    signal: AbortSignal;
  }): Promise<HealthReport>;
  /**
   * For a connector that fronts a server of tools: the tools a connection's server offers now,
   * for the workspace admin's marks and for the default of unmarked tools (read-only only).
   */
  listRemoteTools?(ctx: {
    auth: AuthValue<A>;
    http: typeof fetch;
    signal: AbortSignal;
  }): Promise<RemoteTool[]>;
  // biome-ignore lint/suspicious/noExplicitAny: actions of any props; each is checked by defineAction
  actions: ActionDefinition<A, any, any>[];
  // biome-ignore lint/suspicious/noExplicitAny: triggers of any props; each is checked by defineTrigger
  triggers?: TriggerDefinition<A, any, any>[];
}

const connectorSchema = z.object({
  id: slug,
  displayName: text,
  auth: z.object({ kind: z.enum(['none', 'secret_text', 'basic', 'custom', 'oauth2']) }).loose(),
  actions: z.array(z.object({ id: z.string() }).loose()),
  triggers: z.array(z.object({ id: z.string() }).loose()).optional(),
  listRemoteTools: fn('must be a function returning the tools of the server').optional(),
});

/** Groups a service's actions and triggers under one auth. Ids must be unique inside it. */
export function defineConnector<const A extends AuthDefinition>(
  connector: ConnectorDefinition<A>,
): ConnectorDefinition<A> {
  check(`connector "${connector.id}"`, connectorSchema, connector);
  if (typeof connector.listRemoteTools !== 'function') {
    const needing = connector.actions.filter((a) => a.remoteTool !== undefined).map((a) => a.id);
    if (needing.length > 0) {
      throw new SdkDefinitionError(`connector "${connector.id}"`, [
        `listRemoteTools is required: the actions ${needing.join(', ')} run remote tools (remoteTool), and PMOS must know which of them only read`,
      ]);
    }
  }
  const ids = [...connector.actions, ...(connector.triggers ?? [])].map((x) => x.id);
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicates.length > 0) {
    throw new SdkDefinitionError(`connector "${connector.id}"`, [
      `duplicate action or trigger id: ${[...new Set(duplicates)].join(', ')}`,
    ]);
  }
  return connector;
}
