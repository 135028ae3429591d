import {
  type ActorContext,
  type Connections,
  type EntityManager,
  FlowError,
  Flows,
  type FlowView,
  inTenantScope,
  isUniqueViolation,
  type LoadedPlugin,
  type MikroORM,
  pluginFetch,
  requireEnabledPlugin,
  scrubKnown,
  sql,
  systemActor,
} from '@pmos/core';
import type { Flow } from '@pmos/flow';
import {
  type AuthDefinition,
  type FlowSyncContext,
  type FlowSyncDefinition,
  isFlowSyncError,
  type RemoteFlow,
  type RemotePage,
  type RemoteRun,
} from '@pmos/sdk/server';
import type { FastifyBaseLogger } from 'fastify';
import { authForCall } from '../plugins/connection-auth.js';
import { flowCatalogFor } from '../plugins/flow-catalog.js';
import { type PluginHost, pluginCallOptions, pluginLogger } from '../plugins/plugin-host.js';
import { documentHash } from './document-hash.js';
import { type FlowLinkRow, flowLinks, type SyncedSides } from './flow-links.js';
import { SyncError } from './sync-errors.js';

export type SyncMode = 'auto' | 'push' | 'pull' | 'keep_pmos' | 'keep_remote';
export type SyncOutcome = 'pushed' | 'pulled' | 'unchanged' | 'conflict' | 'failed' | 'busy';

export interface FlowSyncDeps {
  orm: MikroORM;
  host: PluginHost;
  connections: Connections;
  logger: FastifyBaseLogger;
  /** Per remote call (a push may wait out FLOW_IN_USE retries inside the plugin). */
  callTimeoutMs?: number;
  /** How long an on-demand sync waits for a round already running on the link. */
  leaseWaitMs?: number;
}

/** A failure of the plugin or the remote system, said plainly, with the SDK's code if any. */
class RemoteFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface FlowState {
  draft: Flow;
  revision: number;
  display_name: string;
}

const leaseSeconds = 120;

/**
 * Keeps linked PMOS flows in step with flows of another system through a plugin's flow sync.
 * Each round compares both sides with what they were at the last sync (a hash of the
 * PMOS-shaped document on each side, and the remote version token): one side changed → it
 * is copied to the other; both changed → a conflict is recorded with the remote document and
 * waits for a person (never overwritten silently). A round holds the link's lease, so rounds
 * of the poller, of other processes and of requests never overlap.
 */
export class FlowSyncService {
  private readonly flows = new Flows();

  constructor(private readonly deps: FlowSyncDeps) {}

  private scoped<T>(workspaceId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return inTenantScope(this.deps.orm.em, workspaceId, work);
  }

  /** The plugin (enabled here), its flow sync and connector, for a connection. */
  private async target(em: EntityManager, workspaceId: string, connectionId: string) {
    const { registry } = this.deps.host;
    const connection = await this.deps.connections.get(em, workspaceId, connectionId);
    const plugin = await requireEnabledPlugin(em, registry, workspaceId, connection.pluginId);
    const sync = plugin.definition?.contributes.flowSyncs?.find(
      (s) => s.connector === connection.connectorId,
    );
    if (!sync) throw new SyncError('no_flow_sync');
    const connector = registry.connector(plugin, sync.connector);
    return { plugin, sync: sync as FlowSyncDefinition, connector, connection };
  }

  /** Calls the flow sync with the connection's value, a time limit and plain failures. */
  private async call<T>(
    workspaceId: string,
    connectionId: string,
    work: (sync: FlowSyncDefinition, ctx: FlowSyncContext) => Promise<T>,
  ): Promise<T> {
    const { em } = this.deps.orm;
    const { plugin, sync, connector } = await this.scoped(workspaceId, (tx) =>
      this.target(tx, workspaceId, connectionId),
    );
    const revealed = await this.scoped(workspaceId, (tx) =>
      this.deps.connections.revealForExecution(tx, workspaceId, connectionId, connector.auth),
    );
    const auth = await authForCall({
      em,
      connections: this.deps.connections,
      fetch: this.deps.host.fetch,
      workspaceId,
      connectionId,
      auth: connector.auth,
      revealed,
    });
    const secrets = secretValues(connector.auth, revealed.value);
    const controller = new AbortController();
    const timeoutMs = this.deps.callTimeoutMs ?? 60_000;
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await work(sync, {
        auth: auth as never,
        http: pluginFetch(plugin, pluginCallOptions(this.deps.host)),
        signal: controller.signal,
        logger: pluginLogger(this.deps.logger.child({ plugin: plugin.id })),
      });
    } catch (error) {
      throw failure(plugin, error, secrets, controller.signal.aborted ? timeoutMs : null);
    } finally {
      clearTimeout(timer);
    }
  }

  private async flowState(workspaceId: string, flowId: string): Promise<FlowState> {
    const [row] = await this.scoped(workspaceId, (em) =>
      sql<FlowState>(
        em,
        'select draft, revision, display_name from flow where id = ? and workspace_id = ?',
        [flowId, workspaceId],
      ),
    );
    if (!row) throw new FlowError('flow_not_found');
    return row;
  }

  // ------------------------------------------------------------------ reading

  async link(workspaceId: string, flowId: string): Promise<FlowLinkRow> {
    const link = await this.scoped(workspaceId, (em) => flowLinks.byFlow(em, workspaceId, flowId));
    if (!link) {
      await this.flowState(workspaceId, flowId); // a flow of another workspace: flow_not_found
      throw new SyncError('flow_not_linked');
    }
    return link;
  }

  /** The link as the API shows it: an in-sync link whose PMOS draft changed since is pending. */
  async describe(workspaceId: string, link: FlowLinkRow): Promise<FlowLinkRow> {
    if (link.state !== 'in_sync') return link;
    const flow = await this.flowState(workspaceId, link.flow_id);
    return documentHash(flow.draft) === link.local_hash ? link : { ...link, state: 'pending_push' };
  }

  async list(workspaceId: string): Promise<FlowLinkRow[]> {
    const links = await this.scoped(workspaceId, (em) => flowLinks.list(em, workspaceId));
    const drafts = await this.scoped(workspaceId, (em) =>
      sql<{ id: string; draft: Flow }>(
        em,
        'select f.id, f.draft from flow f join flow_link l on l.flow_id = f.id where f.workspace_id = ?',
        [workspaceId],
      ),
    );
    const hashOf = new Map(drafts.map((d) => [d.id, documentHash(d.draft)]));
    return links.map((link) =>
      link.state === 'in_sync' && hashOf.get(link.flow_id) !== link.local_hash
        ? { ...link, state: 'pending_push' }
        : link,
    );
  }

  async listRemoteFlows(
    workspaceId: string,
    connectionId: string,
    page: { cursor: string | null; limit: number },
  ) {
    const remote = await this.call(workspaceId, connectionId, (sync, ctx) =>
      sync.listRemoteFlows(ctx, page),
    );
    const linked = await this.scoped(workspaceId, (em) =>
      flowLinks.byExternal(em, workspaceId, connectionId),
    );
    const byExternal = new Map(linked.map((l) => [l.external_id, l.flow_id]));
    return {
      data: remote.data.map((f) => ({ ...f, linkedFlowId: byExternal.get(f.remoteId) ?? null })),
      next: remote.next ?? null,
    };
  }

  async listRuns(
    workspaceId: string,
    flowId: string,
    page: { cursor: string | null; limit: number },
  ): Promise<RemotePage<RemoteRun>> {
    const link = await this.link(workspaceId, flowId);
    return this.call(workspaceId, link.connection_id, async (sync, ctx) =>
      sync.listRuns
        ? sync.listRuns(ctx, { remoteId: link.external_id, ...page })
        : { data: [], next: null },
    );
  }

  // ------------------------------------------------------------------ linking

  /** A remote flow imported as a new PMOS flow, linked and in sync. */
  async importRemote(
    workspaceId: string,
    input: { connectionId: string; externalId: string },
    actor: ActorContext,
  ): Promise<{ flow: FlowView; link: FlowLinkRow }> {
    const remote = await this.call(workspaceId, input.connectionId, (sync, ctx) =>
      sync.getRemoteFlow(ctx, input.externalId),
    );
    return this.scoped(workspaceId, async (em) => {
      const { plugin, sync } = await this.target(em, workspaceId, input.connectionId);
      const catalog = await flowCatalogFor(em, this.deps.host.registry, workspaceId);
      const flow = await this.flows.create(
        em,
        workspaceId,
        { displayName: remote.displayName, document: remote.document },
        actor,
        catalog,
      );
      const link = await insertLink(em, {
        workspaceId,
        flowId: flow.id,
        pluginId: plugin.id,
        syncId: sync.id,
        connectionId: input.connectionId,
        externalId: remote.remoteId,
      });
      const recorded = await flowLinks.record(em, link.id, {
        ...inSync(remote),
        localHash: documentHash(await storedDraft(em, flow.id)),
        lastPushedRevision: null,
      });
      return { flow, link: recorded };
    });
  }

  /**
   * Links a PMOS flow: to an existing remote flow (then the first round decides: the same
   * document → in sync; different → a conflict for a person to settle), or to a new remote
   * flow created from it (then pushed).
   */
  async linkFlow(
    workspaceId: string,
    flowId: string,
    input: { connectionId: string; externalId?: string },
  ): Promise<{ link: FlowLinkRow; outcome: SyncOutcome }> {
    const flow = await this.flowState(workspaceId, flowId);
    const existing = await this.scoped(workspaceId, (em) =>
      flowLinks.byFlow(em, workspaceId, flowId),
    );
    if (existing) throw new SyncError('flow_already_linked');
    const remote = await this.call(workspaceId, input.connectionId, (sync, ctx) =>
      input.externalId
        ? sync.getRemoteFlow(ctx, input.externalId)
        : sync.createRemoteFlow(ctx, { displayName: flow.display_name }),
    );
    await this.scoped(workspaceId, async (em) => {
      const { plugin, sync } = await this.target(em, workspaceId, input.connectionId);
      const link = await insertLink(em, {
        workspaceId,
        flowId,
        pluginId: plugin.id,
        syncId: sync.id,
        connectionId: input.connectionId,
        externalId: remote.remoteId,
      });
      // A new remote flow is known as it was created: only PMOS's side is new.
      if (!input.externalId)
        await flowLinks.record(em, link.id, { ...inSync(remote), state: 'linked' });
    });
    return this.syncFlow(workspaceId, flowId, input.externalId ? 'auto' : 'push');
  }

  async unlink(workspaceId: string, flowId: string): Promise<void> {
    const removed = await this.scoped(workspaceId, (em) =>
      flowLinks.remove(em, workspaceId, flowId),
    );
    if (!removed) await this.link(workspaceId, flowId);
  }

  // ------------------------------------------------------------------ sync rounds

  /**
   * One sync round of a linked flow. `wait`: an on-demand round waits a little for a round
   * already running; the poller skips the link instead.
   */
  async syncFlow(
    workspaceId: string,
    flowId: string,
    mode: SyncMode,
    options: { wait?: boolean } = {},
  ): Promise<{ link: FlowLinkRow; outcome: SyncOutcome }> {
    const link = await this.link(workspaceId, flowId);
    if (mode === 'keep_pmos' || mode === 'keep_remote') {
      if (link.state !== 'conflict') throw new SyncError('no_conflict');
    }
    const deadline = Date.now() + (options.wait === false ? 0 : (this.deps.leaseWaitMs ?? 10_000));
    let leased = await this.scoped(workspaceId, (em) => flowLinks.lease(em, link.id, leaseSeconds));
    while (!leased && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      leased = await this.scoped(workspaceId, (em) => flowLinks.lease(em, link.id, leaseSeconds));
    }
    if (!leased) {
      if (options.wait === false) return { link, outcome: 'busy' };
      throw new SyncError('sync_in_progress');
    }
    try {
      return await this.round(workspaceId, leased, mode);
    } finally {
      await this.scoped(workspaceId, (em) => flowLinks.release(em, link.id));
    }
  }

  private record(workspaceId: string, link: FlowLinkRow, sides: SyncedSides) {
    return this.scoped(workspaceId, (em) => flowLinks.record(em, link.id, sides));
  }

  private async round(
    workspaceId: string,
    link: FlowLinkRow,
    mode: SyncMode,
  ): Promise<{ link: FlowLinkRow; outcome: SyncOutcome }> {
    const flow = await this.flowState(workspaceId, link.flow_id);
    const localHash = documentHash(flow.draft);
    let remote: RemoteFlow;
    try {
      remote = await this.call(workspaceId, link.connection_id, (sync, ctx) =>
        sync.getRemoteFlow(ctx, link.external_id),
      );
    } catch (error) {
      const updated = await this.record(workspaceId, link, {
        state: link.state === 'conflict' ? 'conflict' : 'error',
        error: (error as Error).message,
      });
      return { link: updated, outcome: 'failed' };
    }
    const remoteHash = documentHash(remote.document);
    const localChanged = localHash !== link.local_hash;
    const remoteChanged =
      remote.version !== link.last_remote_version && remoteHash !== link.remote_hash;

    if (mode === 'keep_pmos') return this.push(workspaceId, link, flow, remote);
    if (mode === 'keep_remote') return this.pull(workspaceId, link, flow, remote);
    if (localHash === remoteHash) {
      // Both sides say the same (nothing changed, or the same edit on both): in sync.
      const updated = await this.record(workspaceId, link, {
        ...inSync(remote),
        localHash,
        synced: link.state !== 'in_sync',
      });
      return { link: updated, outcome: 'unchanged' };
    }
    const wantsPush = mode === 'push' || (mode === 'auto' && localChanged);
    const wantsPull = mode === 'pull' || (mode === 'auto' && remoteChanged);
    if ((wantsPush && remoteChanged) || (wantsPull && localChanged) || (wantsPush && wantsPull)) {
      return this.conflict(workspaceId, link, flow, remote);
    }
    if (wantsPush) return this.push(workspaceId, link, flow, remote);
    if (wantsPull) return this.pull(workspaceId, link, flow, remote);
    return { link, outcome: 'unchanged' };
  }

  private async conflict(
    workspaceId: string,
    link: FlowLinkRow,
    flow: FlowState,
    remote: RemoteFlow,
  ): Promise<{ link: FlowLinkRow; outcome: SyncOutcome }> {
    const system = remoteSystemName(this.deps.host, link.plugin_id);
    const updated = await this.record(workspaceId, link, {
      state: 'conflict',
      error: `“${flow.display_name}” was changed both in PMOS and in ${system} since the last sync. Nothing was overwritten: choose which version to keep.`,
      conflict: {
        detectedAt: new Date().toISOString(),
        remoteVersion: remote.version,
        remoteUpdatedAt: remote.updatedAt,
        remoteDocument: remote.document as Record<string, unknown>,
        localRevision: flow.revision,
      },
    });
    return { link: updated, outcome: 'conflict' };
  }

  private async push(
    workspaceId: string,
    link: FlowLinkRow,
    flow: FlowState,
    remote: RemoteFlow,
  ): Promise<{ link: FlowLinkRow; outcome: SyncOutcome }> {
    try {
      const pushed = await this.call(workspaceId, link.connection_id, (sync, ctx) =>
        sync.pushFlow(ctx, {
          remoteId: link.external_id,
          document: flow.draft,
          snapshot: remote.snapshot,
        }),
      );
      const updated = await this.record(workspaceId, link, {
        ...inSync(pushed),
        localHash: documentHash(flow.draft),
        lastPushedRevision: flow.revision,
      });
      return { link: updated, outcome: 'pushed' };
    } catch (error) {
      // Busy (someone edits it there): still pending, retried by the next round.
      const busy = error instanceof RemoteFailure && error.code === 'remote_busy';
      const updated = await this.record(workspaceId, link, {
        state: busy ? 'pending_push' : link.state === 'conflict' ? 'conflict' : 'error',
        error: (error as Error).message,
      });
      return { link: updated, outcome: busy ? 'busy' : 'failed' };
    }
  }

  private async pull(
    workspaceId: string,
    link: FlowLinkRow,
    flow: FlowState,
    remote: RemoteFlow,
  ): Promise<{ link: FlowLinkRow; outcome: SyncOutcome }> {
    // PMOS keeps its own notes: the other system's are not PMOS's to show.
    const { notes: _remoteNotes, ...remoteDocument } = remote.document as Record<string, unknown>;
    const document = flow.draft.notes
      ? { ...remoteDocument, notes: flow.draft.notes }
      : remoteDocument;
    try {
      const draft = await this.scoped(workspaceId, async (em) => {
        const catalog = await flowCatalogFor(em, this.deps.host.registry, workspaceId);
        await this.flows.apply(
          em,
          workspaceId,
          link.flow_id,
          // The revision read before the remote call: an edit made meanwhile wins this race,
          // and the next round sees both changes (a conflict), never a silent overwrite.
          { revision: flow.revision, operations: [{ type: 'IMPORT_FLOW', request: document }] },
          systemActor,
          catalog,
        );
        return storedDraft(em, link.flow_id);
      });
      const updated = await this.record(workspaceId, link, {
        ...inSync(remote),
        localHash: documentHash(draft),
      });
      return { link: updated, outcome: 'pulled' };
    } catch (error) {
      if (error instanceof FlowError && error.code === 'flow_conflict') {
        return { link, outcome: 'busy' };
      }
      if (!(error instanceof FlowError)) throw error;
      const updated = await this.record(workspaceId, link, {
        state: 'error',
        error: `The ${remoteSystemName(this.deps.host, link.plugin_id)} flow cannot be taken into PMOS: ${error.message}`,
      });
      return { link: updated, outcome: 'failed' };
    }
  }

  // ------------------------------------------------------------------ background

  /**
   * One polling pass over every link of every workspace: changes made in the other system
   * are pulled, PMOS edits not pushed yet are pushed. Links whose remote version and PMOS
   * draft are unchanged cost one listing per connection (the plugin's `pollChanges`).
   */
  async pollAll(): Promise<{ synced: number; failed: number }> {
    const links = await flowLinks.all(this.deps.orm.em.fork());
    const unchanged = await this.unchangedLinks(links.map((l) => l.id));
    let synced = 0;
    let failed = 0;
    for (const link of links) {
      if (unchanged.has(link.id)) continue;
      try {
        const { outcome } = await this.syncFlow(link.workspace_id, link.flow_id, 'auto', {
          wait: false,
        });
        if (outcome === 'failed') failed++;
        else synced++;
      } catch (error) {
        failed++;
        this.deps.logger.warn({ err: error, flowId: link.flow_id }, 'flow sync round failed');
      }
    }
    return { synced, failed };
  }

  /** Links in sync whose PMOS draft and remote version did not move since the last round. */
  private async unchangedLinks(ids: string[]): Promise<Set<string>> {
    const em = this.deps.orm.em.fork();
    const rows = await sql<FlowLinkRow & { draft: Flow }>(
      em,
      `select l.*, f.draft from flow_link l join flow f on f.id = l.flow_id
       where l.id in (select value::uuid from jsonb_array_elements_text(?::jsonb))
         and l.state = 'in_sync'`,
      [JSON.stringify(ids)],
    );
    const quiet = rows.filter((r) => documentHash(r.draft) === r.local_hash);
    const byConnection = Map.groupBy(quiet, (r) => `${r.workspace_id}/${r.connection_id}`);
    const unchanged = new Set<string>();
    for (const group of byConnection.values()) {
      const first = group[0];
      if (!first) continue;
      try {
        const versions = await this.call(
          first.workspace_id,
          first.connection_id,
          async (sync, ctx) =>
            sync.pollChanges
              ? sync.pollChanges(
                  ctx,
                  group.map((l) => l.external_id),
                )
              : null,
        );
        if (!versions) continue;
        const current = new Map(versions.map((v) => [v.remoteId, v.version]));
        for (const link of group) {
          if (current.get(link.external_id) === link.last_remote_version) unchanged.add(link.id);
        }
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'polling remote flow versions failed');
      }
    }
    return unchanged;
  }

  /** After a PMOS edit: push soon, in the background (the poller catches what this misses). */
  pushSoon(workspaceId: string, flowId: string): void {
    void (async () => {
      const link = await this.scoped(workspaceId, (em) =>
        flowLinks.byFlow(em, workspaceId, flowId),
      );
      if (!link || link.state === 'conflict') return;
      await this.syncFlow(workspaceId, flowId, 'auto', { wait: false });
    })().catch((error) =>
      this.deps.logger.warn({ err: error, flowId }, 'pushing a flow edit failed'),
    );
  }
}

/** What a link records when both sides say `remote` (after a push, a pull or a check). */
function inSync(remote: RemoteFlow): SyncedSides {
  return {
    state: 'in_sync',
    error: null,
    remoteHash: documentHash(remote.document),
    remoteVersion: remote.version,
    remoteUpdatedAt: remote.updatedAt,
    remoteSnapshot: remote.snapshot ?? null,
    conflict: null,
    synced: true,
  };
}

async function storedDraft(em: EntityManager, flowId: string): Promise<Flow> {
  const [row] = await sql<{ draft: Flow }>(em, 'select draft from flow where id = ?', [flowId]);
  if (!row) throw new FlowError('flow_not_found');
  return row.draft;
}

async function insertLink(em: EntityManager, input: Parameters<typeof flowLinks.insert>[1]) {
  try {
    return await flowLinks.insert(em, input);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const taken = await flowLinks.byFlow(em, input.workspaceId, input.flowId);
    throw new SyncError(taken ? 'flow_already_linked' : 'remote_already_linked');
  }
}

function remoteSystemName(host: PluginHost, pluginId: string): string {
  return host.registry.get(pluginId)?.manifest?.displayName ?? pluginId;
}

/** The values of a connection that must never appear in a message. */
function secretValues(auth: AuthDefinition, value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (auth.kind === 'custom') {
    return Object.entries(auth.props)
      .filter(([, p]) => (p as { secret?: boolean }).secret)
      .map(([key]) => record[key])
      .filter((v): v is string => typeof v === 'string' && v !== '');
  }
  return Object.values(record).filter((v): v is string => typeof v === 'string');
}

function failure(
  plugin: LoadedPlugin,
  error: unknown,
  secrets: string[],
  timedOutAfterMs: number | null,
): RemoteFailure {
  const name = plugin.manifest.displayName;
  if (timedOutAfterMs !== null) {
    return new RemoteFailure(
      'timeout',
      `${name} did not answer within ${timedOutAfterMs / 1000} s.`,
    );
  }
  const message = scrubKnown(
    String((error as Error)?.message ?? error).split('\n')[0] ?? '',
    secrets,
  ).slice(0, 500);
  return new RemoteFailure(isFlowSyncError(error) ? error.code : 'remote_failed', message);
}
