import type { AuthDefinition, AuthValue } from '../server/auth.js';
import { boundFetch } from '../server/bound-fetch.js';
import type {
  ActionDefinition,
  ConnectorDefinition,
  HealthReport,
  RunContext,
  TriggerDefinition,
} from '../server/define.js';
import { type ResolvedOptions, resolvePropOptions } from '../server/options.js';
import { type Props, parseProps } from '../server/props.js';
import { type FakeHttp, type FakeRoutes, fakeHttp, type RecordedRequest } from './fake-http.js';
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
  store?: MemoryStore;
  workspace?: { id: string; name: string };
  signal?: AbortSignal;
}

export interface HarnessResult {
  calls: RecordedRequest[];
  logs: LogEntry[];
  store: MemoryStore;
}

/** Builds the run context PMOS gives a step, with in-memory store and recorded http. */
export function createTestContext<A extends AuthDefinition, P extends Props>(
  props: P,
  options: HarnessOptions<A> = {},
): { ctx: RunContext<A, P> } & HarnessResult {
  const http = toFakeHttp(options);
  const store = options.store ?? createMemoryStore();
  const logger = createTestLogger();
  const ctx: RunContext<A, P> = {
    auth: options.auth as AuthValue<A>,
    props: parseProps(props, options.props),
    http: http.fetch,
    store,
    logger,
    workspace: options.workspace ?? { id: 'ws_test', name: 'Test workspace' },
    signal: options.signal ?? new AbortController().signal,
  };
  return { ctx, calls: http.calls, logs: logger.entries, store };
}

/** Runs an action the way PMOS does (inputs validated first) and returns what it produced. */
export async function runAction<A extends AuthDefinition, P extends Props, O>(
  action: ActionDefinition<A, P, O>,
  options: HarnessOptions<A> = {},
): Promise<{ output: O } & HarnessResult> {
  const { ctx, ...rest } = createTestContext<A, P>(action.props, options);
  return { output: await action.run(ctx), ...rest };
}

/** Runs a trigger: a webhook delivery (`payload`), a poll, or a manual test event. */
export async function runTrigger<A extends AuthDefinition, P extends Props, E>(
  trigger: TriggerDefinition<A, P, E>,
  options: HarnessOptions<A> & { payload?: unknown } = {},
): Promise<{ events: E[] } & HarnessResult> {
  const { ctx, ...rest } = createTestContext<A, P>(trigger.props, options);
  return { events: await trigger.run({ ...ctx, payload: options.payload }), ...rest };
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
  options: Pick<HarnessOptions<A>, 'auth' | 'http' | 'hosts' | 'signal'> = {},
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

function toFakeHttp(options: {
  http?: FakeHttp | FakeRoutes;
  hosts?: readonly string[];
}): FakeHttp {
  const given = options.http;
  if (given && typeof given === 'object' && 'fetch' in given && 'calls' in given) {
    const fake = given as FakeHttp;
    // The host rule applies to a ready-made fake too.
    return options.hosts
      ? { fetch: boundFetch(options.hosts, fake.fetch), calls: fake.calls }
      : fake;
  }
  return fakeHttp((given as FakeRoutes | undefined) ?? {}, { hosts: options.hosts });
}
