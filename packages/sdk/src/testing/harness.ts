import type { AuthDefinition, AuthValue } from '../server/auth.js';
import type {
  ActionDefinition,
  ConnectorDefinition,
  HealthReport,
  RunContext,
  RunInfo,
  ScheduleFiring,
  TriggerDefinition,
  TriggerSchedule,
  WebhookReply,
} from '../server/define.js';
import { type ResolvedOptions, resolvePropOptions } from '../server/options.js';
import { type Props, parseProps } from '../server/props.js';
import type { HostResolver } from '../server/public-host.js';
import {
  type FakeHttp,
  type FakeRoutes,
  fakeHttp,
  type RecordedRequest,
  testBoundFetch,
} from './fake-http.js';
import { createMemoryStore, createTestLogger, type LogEntry, type MemoryStore } from './memory.js';

export interface HarnessOptions<A extends AuthDefinition> {
  /** The connection value, as the kernel would decrypt it. */
  auth?: AuthValue<A>;
  /** Step inputs; validated against the props like PMOS does before a run. */
  props?: Record<string, unknown>;
  /** A `fakeHttp(...)`, or its routes. Without it, any request fails the test. */
  http?: FakeHttp | FakeRoutes;
  /** The plugin's declared hosts (`pkg.pmos.permissions.hosts`); others are refused. */
  hosts?: readonly string[];
  /**
   * With `*` in `hosts`: how host names resolve for the public-address check. By default
   * every name resolves to a public address (no DNS in tests); pass e.g.
   * `async () => ['10.0.0.5']` to see a name that resolves privately refused.
   */
  resolveHost?: HostResolver;
  /** With `*` in `hosts`: hosts the operator allowed although not public. */
  privateHostsAllowed?: readonly string[];
  store?: MemoryStore;
  workspace?: { id: string; name: string };
  signal?: AbortSignal;
  /** `ctx.run` ids; all null by default, as in a step test. */
  run?: Partial<Pick<RunInfo, 'id' | 'flowId' | 'stepName'>>;
}

export interface HarnessResult {
  calls: RecordedRequest[];
  logs: LogEntry[];
  store: MemoryStore;
  /** Every `ctx.run.respond(...)` the step made, in order. */
  replies: WebhookReply[];
}

/** Builds the run context PMOS gives a step, with in-memory store and recorded http. */
export function createTestContext<A extends AuthDefinition, P extends Props>(
  props: P,
  options: HarnessOptions<A> = {},
): { ctx: RunContext<A, P> } & HarnessResult {
  const http = toFakeHttp(options);
  const store = options.store ?? createMemoryStore();
  const logger = createTestLogger();
  const replies: WebhookReply[] = [];
  const ctx: RunContext<A, P> = {
    auth: options.auth as AuthValue<A>,
    props: parseProps(props, options.props),
    http: http.fetch,
    store,
    logger,
    workspace: options.workspace ?? { id: 'ws_test', name: 'Test workspace' },
    signal: options.signal ?? new AbortController().signal,
    run: {
      id: options.run?.id ?? null,
      flowId: options.run?.flowId ?? null,
      stepName: options.run?.stepName ?? null,
      // A copy: what the step changes afterwards is not what it answered.
      respond: (reply) => void replies.push(structuredClone(reply)),
    },
  };
  return { ctx, calls: http.calls, logs: logger.entries, store, replies };
}

/** Runs an action the way PMOS does (inputs validated first) and returns what it produced. */
export async function runAction<A extends AuthDefinition, P extends Props, O>(
  action: ActionDefinition<A, P, O>,
  options: HarnessOptions<A> = {},
): Promise<{ output: O } & HarnessResult> {
  const { ctx, ...rest } = createTestContext<A, P>(action.props, options);
  return { output: await action.run(ctx), ...rest };
}

/**
 * Runs a trigger: a webhook delivery (`payload`), a poll, a schedule firing (by default
 * `{ firedAt: <now> }`, as PMOS passes it) or a manual test event.
 */
export async function runTrigger<A extends AuthDefinition, P extends Props, E>(
  trigger: TriggerDefinition<A, P, E>,
  options: HarnessOptions<A> & { payload?: unknown } = {},
): Promise<{ events: E[] } & HarnessResult> {
  const { ctx, ...rest } = createTestContext<A, P>(trigger.props, options);
  const payload =
    options.payload === undefined && trigger.strategy === 'schedule'
      ? ({ firedAt: new Date().toISOString() } satisfies ScheduleFiring)
      : options.payload;
  return { events: await trigger.run({ ...ctx, payload }), ...rest };
}

/** The cron schedule PMOS would register for a schedule trigger with these inputs. */
export function scheduleOf<A extends AuthDefinition, P extends Props, E>(
  trigger: TriggerDefinition<A, P, E>,
  options: Pick<HarnessOptions<A>, 'props'> = {},
): TriggerSchedule {
  if (trigger.strategy !== 'schedule' || !trigger.schedule) {
    throw new Error(`Trigger "${trigger.id}" is a ${trigger.strategy} trigger, not a schedule`);
  }
  return trigger.schedule(parseProps(trigger.props, options.props));
}

/** What a dropdown (or dynamic properties) of an action or trigger offers for given inputs. */
export async function loadOptions<A extends AuthDefinition>(
  step: { props: Props },
  prop: string,
  options: HarnessOptions<A> & { searchValue?: string } = {},
): Promise<ResolvedOptions & Pick<HarnessResult, 'calls'>> {
  const http = toFakeHttp(options);
  // Options are asked for while the form is half filled: inputs are passed unvalidated.
  const resolved = await resolvePropOptions(step.props, prop, {
    auth: options.auth,
    props: options.props ?? {},
    searchValue: options.searchValue,
    signal: options.signal ?? new AbortController().signal,
    http: http.fetch,
  });
  return { ...resolved, calls: http.calls };
}

/** Runs a connector's health check with a connection value. */
export async function runHealthCheck<A extends AuthDefinition>(
  connector: ConnectorDefinition<A>,
  options: Pick<
    HarnessOptions<A>,
    'auth' | 'http' | 'hosts' | 'resolveHost' | 'privateHostsAllowed' | 'signal'
  > = {},
): Promise<{ report: HealthReport; calls: RecordedRequest[] }> {
  if (!connector.healthCheck) throw new Error(`Connector "${connector.id}" has no healthCheck`);
  const http = toFakeHttp(options);
  const report = await connector.healthCheck({
    auth: options.auth as AuthValue<A>,
    http: http.fetch,
    signal: options.signal ?? new AbortController().signal,
  });
  return { report, calls: http.calls };
}

function toFakeHttp(
  options: Pick<HarnessOptions<never>, 'http' | 'hosts' | 'resolveHost' | 'privateHostsAllowed'>,
): FakeHttp {
  const { http: given, ...rule } = options;
  if (given && typeof given === 'object' && 'fetch' in given && 'calls' in given) {
    const fake = given as FakeHttp;
    // The host rule applies to a ready-made fake too.
    return { fetch: testBoundFetch(fake.fetch, rule), calls: fake.calls };
  }
  return fakeHttp((given as FakeRoutes | undefined) ?? {}, rule);
}
