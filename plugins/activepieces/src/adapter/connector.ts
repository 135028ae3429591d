import { createHash } from 'node:crypto';
import {
  type ActionDefinition,
  type ConnectorDefinition,
  defineAction,
  defineConnector,
  defineTrigger,
  type HealthReport,
  type OptionsContext,
  type Props,
  type RunContext,
  type TriggerDefinition,
} from '@pmos/sdk/server';
import { ActivepiecesError, isActivepiecesError, unsupported } from '../errors.js';
import type { InstalledPiece } from '../pieces/installed.js';
import {
  type ApAction,
  type ApTrigger,
  actionsOf,
  contextVersionOf,
  triggersOf,
} from '../pieces/piece-shape.js';
import { toPieceAuthValue, toSdkAuth } from './auth.js';
import { callPiece } from './call.js';
import { actionContext, propertyContext, serverContext, triggerContext } from './context.js';
import { connectorIdOf, uniqueIds } from './ids.js';
import { type PieceFunctionCaller, toSdkProps } from './props.js';
import { riskOf } from './risk.js';
import { toPieceValues } from './values.js';

export interface PieceConnectorOptions {
  /** The hosts the piece's code may reach (see network/piece-hosts.ts). */
  hosts: readonly string[];
  /** Risks decided by hand for actions the name heuristic misjudges, by Activepieces name. */
  risks?: Record<string, ActionDefinition['risk']>;
}

/** A piece as a PMOS connector, and the parts of it PMOS cannot offer (with the reason). */
export interface PieceConnector {
  connector: ConnectorDefinition;
  /** Activepieces action/trigger name → PMOS step id. */
  stepIds: Record<string, string>;
  leftOut: string[];
}

type AnyRunContext = RunContext<never, Props> & { payload?: unknown; webhookUrl?: string };

/** Minutes between polls of an Activepieces polling trigger (Activepieces' own default). */
const pollingMinutes = 5;

export function pieceToConnector(
  installed: InstalledPiece,
  options: PieceConnectorOptions,
): PieceConnector {
  const { piece } = installed;
  const name = piece.displayName;
  const mappedAuth = toSdkAuth(piece.auth, name);
  const contextVersion = contextVersionOf(piece);
  const authValue = (value: unknown) => toPieceAuthValue(value, mappedAuth.source, contextVersion);
  const leftOut: string[] = mappedAuth.notOffered.map(
    (kind) =>
      `${name} also signs in with ${kind}; PMOS offers its ${mappedAuth.source?.type} sign-in only.`,
  );
  const scopeOf = (
    label: string,
    ctx: { http: typeof fetch; signal: AbortSignal; logger?: RunContext<never, Props>['logger'] },
  ) => ({
    label,
    hosts: options.hosts,
    http: ctx.http,
    signal: ctx.signal,
    logger: ctx.logger,
  });

  // Dropdown options and dynamic properties: the props' values plus the auth, as in Activepieces.
  const call: PieceFunctionCaller = (fn, ctx: OptionsContext, label) =>
    callPiece(scopeOf(label, ctx), () =>
      fn({ ...ctx.props, auth: authValue(ctx.auth) }, propertyContext(label, ctx.searchValue)),
    );

  const actions = actionsOf(piece);
  const triggers = triggersOf(piece);
  const ids = uniqueIds([
    ...actions.map((a): [string, string] => [`a:${a.name}`, a.name]),
    ...triggers.map((t): [string, string] => [`t:${t.name}`, t.name]),
  ]);
  const idOf = (key: string) => ids.get(key) ?? key;
  const stepIds: Record<string, string> = {};

  const adaptedActions: ActionDefinition[] = [];
  for (const action of actions) {
    const label = `${name} › ${action.displayName}`;
    try {
      const id = idOf(`a:${action.name}`);
      adaptedActions.push(adaptAction(action, id, label));
      stepIds[action.name] = id;
    } catch (error) {
      if (!isActivepiecesError(error)) throw error;
      leftOut.push(error.message);
    }
  }
  const adaptedTriggers: TriggerDefinition[] = [];
  for (const trigger of triggers) {
    const label = `${name} › ${trigger.displayName}`;
    try {
      const id = idOf(`t:${trigger.name}`);
      adaptedTriggers.push(adaptTrigger(trigger, id, label));
      stepIds[trigger.name] = id;
    } catch (error) {
      if (!isActivepiecesError(error)) throw error;
      leftOut.push(error.message);
    }
  }

  function adaptAction(action: ApAction, id: string, label: string): ActionDefinition {
    const props = toSdkProps(action.props ?? {}, label, call);
    const sample = (action as { sampleData?: unknown }).sampleData;
    return defineAction({
      id,
      displayName: action.displayName,
      description: action.description?.trim() || action.displayName,
      risk: options.risks?.[action.name] ?? riskOf(action),
      auth: mappedAuth.definition,
      props,
      ...(sample !== undefined ? { sampleOutput: sample } : {}),
      run: (ctx) =>
        callPiece(scopeOf(label, ctx), () =>
          action.run(
            actionContext({
              label,
              auth: authValue(ctx.auth),
              propsValue: toPieceValues(action.props ?? {}, ctx.props as Record<string, unknown>),
              store: ctx.store,
              logger: ctx.logger,
              workspace: ctx.workspace,
              run: ctx.run,
              stepName: ctx.run.stepName ?? action.name,
            }),
          ),
        ),
    });
  }

  function adaptTrigger(trigger: ApTrigger, id: string, label: string): TriggerDefinition {
    const strategy = strategyOf(trigger, label);
    const props = toSdkProps(trigger.props ?? {}, label, call);
    const enabledKey = `activepieces:enabled:${trigger.name}`;
    const hookContext = (
      ctx: AnyRunContext,
      extra: { payload?: unknown; webhookUrl?: string } = {},
    ) =>
      triggerContext(
        {
          label,
          auth: authValue(ctx.auth),
          propsValue: toPieceValues(trigger.props ?? {}, ctx.props as Record<string, unknown>),
          store: ctx.store,
          logger: ctx.logger,
          workspace: ctx.workspace,
          run: ctx.run,
          stepName: 'trigger',
        },
        { ...extra, pollingMinutes },
      );
    const enable = async (ctx: AnyRunContext, webhookUrl?: string) => {
      if (trigger.onEnable) {
        await callPiece(scopeOf(`${label} (enable)`, ctx), () =>
          (trigger.onEnable as (c: unknown) => Promise<void>)(
            hookContext(ctx, webhookUrl ? { webhookUrl } : {}),
          ),
        );
      }
      await ctx.store.put(enabledKey, true, 'flow');
    };
    /** Calls `run` or `test` of the piece, which must answer a list of events. */
    const eventsOf = async (
      scope: string,
      ctx: AnyRunContext,
      hook: (c: unknown) => Promise<unknown>,
      extra: { payload?: unknown } = {},
    ) => {
      const events = await callPiece(scopeOf(scope, ctx), () => hook(hookContext(ctx, extra)));
      if (!Array.isArray(events)) {
        throw new ActivepiecesError(
          'piece_unreadable',
          `${label} did not return a list of events.`,
        );
      }
      return events;
    };
    const test = testOf(trigger);
    return defineTrigger({
      id,
      displayName: trigger.displayName,
      description: trigger.description?.trim() || trigger.displayName,
      strategy,
      // A piece may check its service's signature over the exact body (payload.rawBody).
      ...(strategy === 'webhook' ? { rawBody: true } : {}),
      auth: mappedAuth.definition,
      props,
      ...(trigger.sampleData !== undefined ? { sampleOutput: trigger.sampleData } : {}),
      ...(strategy === 'polling'
        ? {
            pollingIntervalMinutes: pollingMinutes,
            // Activepieces' `_dedupe_key` when the piece sets one, else the whole event: the
            // piece keeps its own cursor, PMOS drops what this flow has already seen.
            dedupeKey: (event: unknown) => {
              const key = (event as { _dedupe_key?: unknown } | null)?._dedupe_key;
              return typeof key === 'string' || typeof key === 'number'
                ? String(key)
                : createHash('sha256')
                    .update(JSON.stringify(event) ?? 'null')
                    .digest('hex');
            },
          }
        : {}),
      onEnable: (ctx) => enable(ctx as AnyRunContext, (ctx as AnyRunContext).webhookUrl),
      onDisable: async (ctx) => {
        if (trigger.onDisable) {
          await callPiece(scopeOf(`${label} (disable)`, ctx), () =>
            (trigger.onDisable as (c: unknown) => Promise<void>)(hookContext(ctx as AnyRunContext)),
          );
        }
        await ctx.store.delete(enabledKey, 'flow');
      },
      run: async (ctx) => {
        const c = ctx as AnyRunContext;
        // A flow turned on before PMOS called onEnable has a polling trigger never enabled:
        // enable it on its first poll, as Activepieces would have done just before it.
        if (strategy === 'polling' && c.run.flowId && !(await ctx.store.get(enabledKey, 'flow'))) {
          await enable(c);
        }
        const payload = strategy === 'webhook' ? webhookPayload(c.payload) : c.payload;
        return eventsOf(
          label,
          c,
          (hook) => trigger.run(hook),
          payload === undefined ? {} : { payload },
        );
      },
      // The piece's recent events for "Load a real event"; without it PMOS tests with `run`
      // (a webhook trigger not at all).
      ...(test
        ? {
            test: (ctx) =>
              eventsOf(`${label} (test)`, ctx as AnyRunContext, (hook) => test.call(trigger, hook)),
          }
        : {}),
    });
  }

  const healthCheck =
    mappedAuth.source?.validate && mappedAuth.source.type !== 'OAUTH2'
      ? async (ctx: {
          auth: unknown;
          http: typeof fetch;
          signal: AbortSignal;
        }): Promise<HealthReport> => {
          const validate = mappedAuth.source?.validate;
          if (!validate) return { ok: true, message: 'Saved.' };
          const result = await callPiece(scopeOf(`${name} › connection check`, ctx), () =>
            validate({
              auth: authValue(ctx.auth),
              server: serverContext(`${name} › connection check`),
            }),
          );
          return result.valid
            ? { ok: true, message: `${name} accepted the connection.` }
            : { ok: false, message: result.error || `${name} refused the connection.` };
        }
      : undefined;

  const connector = defineConnector({
    id: connectorIdOf(installed.packageName),
    displayName: name,
    description:
      `${piece.description?.trim() || `The Activepieces ${name} piece.`} ` +
      `(${installed.packageName}@${installed.version})`,
    auth: mappedAuth.definition,
    ...(healthCheck ? { healthCheck } : {}),
    actions: adaptedActions,
    triggers: adaptedTriggers,
  });
  return { connector, stepIds, leftOut };
}

/**
 * The piece's own `test`, if it wrote one. For a trigger marked `SIMULATION` the framework's
 * stand-in only returns `[sampleData]` and Activepieces never calls it (it waits for a real
 * delivery), so it is left out rather than passed off as a real event.
 */
function testOf(trigger: ApTrigger): ApTrigger['test'] {
  return trigger.testStrategy === 'SIMULATION' ? undefined : trigger.test;
}

function strategyOf(trigger: ApTrigger, label: string): TriggerDefinition['strategy'] {
  const t = trigger as ApTrigger & {
    handshakeConfiguration?: { strategy?: string };
    renewConfiguration?: { strategy?: string };
  };
  switch (trigger.type) {
    case 'POLLING':
      return 'polling';
    case 'WEBHOOK':
      if (t.handshakeConfiguration?.strategy && t.handshakeConfiguration.strategy !== 'NONE') {
        throw unsupported(label, 'webhook handshakes (handshakeConfiguration)');
      }
      if (t.renewConfiguration?.strategy && t.renewConfiguration.strategy !== 'NONE') {
        throw unsupported(label, 'renewing its webhook on a schedule (renewConfiguration)');
      }
      return 'webhook';
    case 'MANUAL':
      return 'manual';
    case 'APP_WEBHOOK':
      throw unsupported(label, 'app webhooks routed through the piece (APP_WEBHOOK triggers)');
    default:
      throw new ActivepiecesError(
        'piece_unreadable',
        `${label} has a trigger type "${trigger.type}" this adapter does not know.`,
      );
  }
}

/** A PMOS webhook delivery ({method, headers, query, body}) as Activepieces' TriggerPayload. */
function webhookPayload(delivery: unknown): unknown {
  if (!delivery || typeof delivery !== 'object') return delivery;
  const d = delivery as {
    method?: string;
    headers?: Record<string, string>;
    query?: Record<string, string>;
    body?: unknown;
    rawBody?: string;
  };
  return {
    body: d.body,
    // Activepieces' TriggerPayload.rawBody: the exact text pieces check signatures over.
    ...(d.rawBody === undefined ? {} : { rawBody: d.rawBody }),
    headers: d.headers ?? {},
    queryParams: d.query ?? {},
    method: d.method,
  };
}
