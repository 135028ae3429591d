import {
  type AiModelInfo,
  type AiProviderDefinition,
  boundFetch,
  type ConnectorDefinition,
  type HealthReport,
  HostNotAllowedError,
  type HostResolver,
  type KeyValueStore,
  NoOptionsError,
  type PluginLogger,
  PrivateHostError,
  type RemoteTool,
  type ResolvedOptions,
  type RunContext,
  type RunInfo,
  resolvePropOptions,
} from '@pmos/sdk/server';
import { z } from 'zod';
import { scrubKnown } from '../audit/scrub.js';
import { publicFieldsOf } from './connection-value.js';
import { PluginError } from './errors.js';
import type { LoadedPlugin } from './loader.js';

/**
 * Calls into plugin code on behalf of a workspace: bound fetch (declared hosts only), a time
 * limit with cancellation, and plugin failures turned into plain, scrubbed errors.
 */
export interface CallOptions {
  timeoutMs?: number;
  /** The fetch the bound fetch delegates to (tests point it at fakes). */
  fetch?: typeof fetch;
  /**
   * For plugins that may reach any public host (`"*"`): hosts (`name`, `name:port`) they may
   * reach although not public — PMOS_HTTP_PRIVATE_HOSTS. Default none.
   */
  privateHostsAllowed?: readonly string[];
  /** How host names resolve for that public-address check (tests point it at fakes). */
  resolveHost?: HostResolver;
  /** The caller's cancellation (a run cancelled or out of time): the plugin's `ctx.signal` follows it. */
  signal?: AbortSignal;
}

/** Every string inside a connection value: what must never appear in a message. */
export function secretsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') {
    const open = publicFieldsOf(value);
    return Object.entries(value).flatMap(([key, item]) => (open.has(key) ? [] : secretsIn(item)));
  }
  return [];
}

export async function withLimit<T>(
  plugin: LoadedPlugin,
  timeoutMs: number,
  auth: unknown,
  work: (signal: AbortSignal) => Promise<T>,
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const followOuter = () => controller.abort(outer?.reason);
  if (outer?.aborted) followOuter();
  outer?.addEventListener('abort', followOuter, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work(controller.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(
            new PluginError('plugin_timeout', {
              message: `${plugin.manifest.displayName} did not answer within ${timeoutMs / 1000} s.`,
            }),
          );
        }, timeoutMs);
      }),
    ]);
  } catch (error) {
    if (error instanceof PluginError) throw error;
    if (error instanceof NoOptionsError) {
      throw new PluginError('no_options', { message: error.message });
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new PluginError('plugin_call_failed', {
      message:
        `${plugin.manifest.displayName}: ${scrubKnown(message.split('\n')[0] ?? '', secretsIn(auth))}`.slice(
          0,
          500,
        ),
      details:
        error instanceof HostNotAllowedError || error instanceof PrivateHostError
          ? { host: error.host }
          : undefined,
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', followOuter);
  }
}

/** `ctx.http` of a plugin: its declared hosts only; with `"*"`, public hosts only. */
export function pluginFetch(plugin: LoadedPlugin, options: CallOptions = {}): typeof fetch {
  return boundFetch(plugin.manifest.permissions.hosts, options.fetch ?? fetch, {
    privateHostsAllowed: options.privateHostsAllowed ?? [],
    resolveHost: options.resolveHost,
  });
}

/** What plugin code needs to run as a step of a flow (an action, a trigger or its hooks). */
export interface StepCall {
  plugin: LoadedPlugin;
  auth: unknown;
  workspace: { id: string; name: string };
  store: KeyValueStore;
  logger: PluginLogger;
  run: RunInfo;
}

/**
 * Calls plugin code with the `RunContext` of a step (props already checked), within the
 * step's time limit; its errors come back as plugin errors without the connection's secrets.
 */
export function callAsStep<T>(
  step: StepCall,
  props: Record<string, unknown>,
  options: CallOptions,
  call: (ctx: RunContext<never, never>) => Promise<T>,
): Promise<T> {
  return withLimit(
    step.plugin,
    options.timeoutMs ?? 60_000,
    step.auth,
    (signal) =>
      call({
        auth: step.auth as never,
        props: props as never,
        http: pluginFetch(step.plugin, options),
        store: step.store,
        logger: step.logger,
        workspace: step.workspace,
        signal,
        run: step.run,
      }),
    options.signal,
  );
}

/** Runs a health check; a failing or crashing check is a report, not an error. */
export async function checkHealth(
  plugin: LoadedPlugin,
  healthCheck: (ctx: {
    auth: never;
    http: typeof fetch;
    signal: AbortSignal;
  }) => Promise<HealthReport>,
  auth: unknown,
  options: CallOptions = {},
): Promise<HealthReport> {
  try {
    const report = await withLimit(plugin, options.timeoutMs ?? 10_000, auth, (signal) =>
      healthCheck({ auth: auth as never, http: pluginFetch(plugin, options), signal }),
    );
    return {
      ok: report.ok === true,
      message: scrubKnown(String(report.message), secretsIn(auth)).slice(0, 500),
    };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

const optionsShape = z.object({
  options: z.array(z.object({ label: z.string(), value: z.unknown() })),
  disabled: z.boolean().optional(),
  placeholder: z.string().optional(),
});
const propsShape = z.record(z.string(), z.object({ kind: z.string() }).loose());

/** What a dropdown offers for a connection and the current inputs (its shape checked). */
export async function loadPropOptions(
  plugin: LoadedPlugin,
  step: { props: Parameters<typeof resolvePropOptions>[0] },
  prop: string,
  input: { auth: unknown; props: Record<string, unknown>; searchValue?: string },
  options: CallOptions = {},
): Promise<ResolvedOptions> {
  const resolved = await withLimit(plugin, options.timeoutMs ?? 15_000, input.auth, (signal) =>
    resolvePropOptions(step.props, prop, {
      auth: input.auth,
      props: input.props,
      searchValue: input.searchValue,
      http: pluginFetch(plugin, options),
      signal,
    }),
  );
  // Plugin code answers here, not a person: a wrong shape is the plugin's fault, said plainly.
  const ok =
    resolved.kind === 'options'
      ? optionsShape.safeParse(resolved.state).success
      : propsShape.safeParse(resolved.props).success;
  if (!ok) {
    throw new PluginError('plugin_call_failed', {
      message: `${plugin.manifest.displayName} answered the options of "${prop}" in a shape PMOS cannot use: expected { options: [{ label, value }] }.`,
    });
  }
  return resolved;
}

const remoteToolsShape = z.array(
  z.object({
    name: z.string().min(1),
    title: z.string().nullish(),
    description: z.string().nullish(),
    risk: z.enum(['read', 'write', 'destructive']),
    inputSchema: z.record(z.string(), z.unknown()).nullish(),
  }),
);

/** The tools a connection's server offers now (a connector's `listRemoteTools`), shape checked. */
export async function listRemoteTools(
  plugin: LoadedPlugin,
  connector: ConnectorDefinition,
  auth: unknown,
  options: CallOptions = {},
): Promise<RemoteTool[]> {
  const list = connector.listRemoteTools;
  if (!list) throw new PluginError('remote_tools_unsupported');
  const tools = await withLimit(plugin, options.timeoutMs ?? 15_000, auth, (signal) =>
    list({ auth: auth as never, http: pluginFetch(plugin, options), signal }),
  );
  const checked = remoteToolsShape.safeParse(tools);
  if (!checked.success) {
    throw new PluginError('plugin_call_failed', {
      message: `${plugin.manifest.displayName} listed its tools in a shape PMOS cannot use: expected [{ name, risk }].`,
    });
  }
  return checked.data.map((t) => ({
    name: t.name,
    title: t.title ?? null,
    description: t.description ?? null,
    risk: t.risk,
    ...(t.inputSchema ? { inputSchema: t.inputSchema } : {}),
  }));
}

/** The models an AI provider offers for a connection's key. */
export function listProviderModels(
  plugin: LoadedPlugin,
  provider: AiProviderDefinition,
  auth: unknown,
  options: CallOptions = {},
): Promise<AiModelInfo[]> {
  return withLimit(plugin, options.timeoutMs ?? 15_000, auth, async (signal) => {
    const models = await provider.listModels({
      auth: auth as never,
      http: pluginFetch(plugin, options),
      signal,
    });
    return models.map((m) => ({
      id: String(m.id),
      displayName: String(m.displayName ?? m.id),
      ...(typeof m.contextWindow === 'number' ? { contextWindow: m.contextWindow } : {}),
    }));
  });
}
