import { z } from 'zod';
import type { AuthDefinition, AuthValue } from './auth.js';
import type { PluginLogger } from './define.js';
import { SdkDefinitionError } from './errors.js';

/**
 * Flow sync: a plugin that keeps PMOS flows in step with flows in another system (an
 * Activepieces instance …). The plugin only speaks to the other system and translates
 * documents; the host owns the links, decides what changed on which side, detects conflicts
 * and applies the edits to PMOS flows.
 */

/** What every flow-sync function receives: the connection's value and the bound fetch. */
export interface FlowSyncContext<A extends AuthDefinition = AuthDefinition> {
  auth: AuthValue<A>;
  /** fetch, bound to the hosts the plugin declared. */
  http: typeof fetch;
  signal: AbortSignal;
  logger: PluginLogger;
}

/** A remote flow in a list: enough to choose one to import. */
export interface RemoteFlowSummary {
  /** The remote system's id of the flow: PMOS links by it. */
  remoteId: string;
  displayName: string;
  /** Changes whenever the remote flow (its draft) changes: an opaque token. */
  version: string;
  /** ISO 8601. */
  updatedAt: string;
  status?: 'ENABLED' | 'DISABLED';
}

/** A remote flow, translated into a PMOS flow document (the @pmos/flow shape). */
export interface RemoteFlow extends RemoteFlowSummary {
  document: unknown;
  /**
   * The remote flow as the remote system holds it, kept by the host beside the link and
   * passed back to `pushFlow`: what the PMOS document cannot carry (exact versions of steps
   * PMOS does not run, notes …) survives a round trip through it.
   */
  snapshot: unknown;
}

export interface RemoteRun {
  remoteId: string;
  /** The remote system's status word, e.g. SUCCEEDED, FAILED, RUNNING. */
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Plain language, when it failed: the step and the message. */
  failure?: string;
}

export interface RemotePage<T> {
  data: T[];
  next: string | null;
}

export interface FlowSyncDefinition<A extends AuthDefinition = AuthDefinition> {
  id: string;
  displayName: string;
  description?: string;
  /** The connector whose connections reach the remote system (same plugin). */
  connector: string;
  listRemoteFlows(
    ctx: FlowSyncContext<A>,
    page: { cursor: string | null; limit: number },
  ): Promise<RemotePage<RemoteFlowSummary>>;
  getRemoteFlow(ctx: FlowSyncContext<A>, remoteId: string): Promise<RemoteFlow>;
  /** A new, empty remote flow for a PMOS flow that has none yet. */
  createRemoteFlow(ctx: FlowSyncContext<A>, input: { displayName: string }): Promise<RemoteFlow>;
  /**
   * Replaces the remote flow's draft with the PMOS document (`snapshot`: the last one
   * `getRemoteFlow`/`pushFlow` returned). Throw a `FlowSyncError` `not_mappable` naming the
   * step when the document holds something the remote system cannot represent.
   */
  pushFlow(
    ctx: FlowSyncContext<A>,
    input: { remoteId: string; document: unknown; snapshot: unknown },
  ): Promise<RemoteFlow>;
  /**
   * The current version token of each of these remote flows (one cheap call instead of one
   * `getRemoteFlow` each); a flow that no longer exists is left out.
   */
  pollChanges?(
    ctx: FlowSyncContext<A>,
    remoteIds: string[],
  ): Promise<{ remoteId: string; version: string }[]>;
  /** Runs of the remote flow, newest first. */
  listRuns?(
    ctx: FlowSyncContext<A>,
    input: { remoteId: string; cursor: string | null; limit: number },
  ): Promise<RemotePage<RemoteRun>>;
}

export const flowSyncErrorCodes = [
  /** Someone is editing the flow in the remote system; try again shortly. */
  'remote_busy',
  /** The PMOS document holds a step the remote system cannot represent. */
  'not_mappable',
  /** The remote flow no longer exists. */
  'remote_not_found',
  /** The remote system refused the change or answered in a shape the plugin cannot read. */
  'remote_refused',
] as const;

export type FlowSyncErrorCode = (typeof flowSyncErrorCodes)[number];

const brand = Symbol.for('pmos.sdk.flow-sync-error');

/** A sync failure with a stable code and a message for a person (it names the step). */
export class FlowSyncError extends Error {
  readonly [brand] = true;
  constructor(
    readonly code: FlowSyncErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FlowSyncError';
  }
}

/** Survives two copies of the SDK (the host's and a plugin's). */
export function isFlowSyncError(error: unknown): error is FlowSyncError {
  return typeof error === 'object' && error !== null && brand in error;
}

const fn = z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', {
  error: 'must be a function',
});

const flowSyncSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, {
    error: 'must start with a letter: a-z, 0-9, "-" and "_" (at most 64)',
  }),
  displayName: z.string().trim().min(1, { error: 'must not be empty' }),
  connector: z.string().min(1, { error: 'must name a connector of the plugin' }),
  listRemoteFlows: fn,
  getRemoteFlow: fn,
  createRemoteFlow: fn,
  pushFlow: fn,
  pollChanges: fn.optional(),
  listRuns: fn.optional(),
});

/** Defines a flow sync: how to list, read, create and replace flows of another system. */
export function defineFlowSync<const A extends AuthDefinition>(
  sync: FlowSyncDefinition<A>,
): FlowSyncDefinition<A> {
  const result = flowSyncSchema.safeParse(sync);
  if (!result.success) {
    throw new SdkDefinitionError(
      `flow sync "${sync.id}"`,
      result.error.issues.map((i) => `${i.path.join('.') || 'definition'} ${i.message}`),
    );
  }
  return sync;
}
