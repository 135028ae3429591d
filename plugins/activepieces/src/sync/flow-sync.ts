import {
  defineFlowSync,
  type FlowSyncContext,
  FlowSyncError,
  type RemoteFlow,
  type RemoteRun,
} from '@pmos/sdk/server';
import type { OfferedPiece } from '../pieces/catalog.js';
import {
  ActivepiecesClient,
  ActivepiecesHttpError,
  type ApFlow,
  type ApFlowVersion,
} from './client.js';
import { type instanceAuth, instanceConnectorId, instanceSettings } from './connection.js';
import { pieceIndex, toActivepiecesImport, toPmosDocument } from './mapping.js';

export interface FlowSyncOptions {
  /** The pieces this PMOS offers (the instance setting may narrow them after start). */
  offered: () => readonly OfferedPiece[];
  pluginVersion: string;
  /** The instance setting's retry waits, read at each call (default: the client's). */
  retryDelaysMs?: () => readonly number[] | undefined;
}

/** A version token that changes with every edit of the flow's draft. */
const versionOf = (flow: ApFlow) => `${flow.version.id}@${flow.version.updated}`;

/**
 * Flow sync with an Activepieces instance: flows of one project, read and written through
 * its REST API; PMOS edits replace the draft with one IMPORT_FLOW operation (the faithful
 * choice: the PMOS document is the whole truth of what was edited, and one operation cannot
 * half-apply).
 */
export function activepiecesFlowSync(options: FlowSyncOptions) {
  const client = (ctx: FlowSyncContext<typeof instanceAuth>) => {
    const retryDelaysMs = options.retryDelaysMs?.();
    return new ActivepiecesClient(instanceSettings(ctx.auth), ctx.http, {
      signal: ctx.signal,
      ...(retryDelaysMs ? { retryDelaysMs } : {}),
    });
  };
  const remote = (flow: ApFlow): RemoteFlow => ({
    remoteId: flow.id,
    displayName: flow.version.displayName,
    version: versionOf(flow),
    updatedAt: flow.version.updated,
    status: flow.status,
    document: toPmosDocument(flow.version, pieceIndex(options.offered()), options.pluginVersion),
    snapshot: flow.version,
  });
  const notFound = (remoteId: string) => (error: unknown) => {
    if (error instanceof ActivepiecesHttpError && error.status === 404) {
      throw new FlowSyncError(
        'remote_not_found',
        `The Activepieces flow ${remoteId} no longer exists (deleted, or moved to another project).`,
        { cause: error },
      );
    }
    throw error;
  };

  return defineFlowSync({
    id: 'activepieces',
    displayName: 'Activepieces',
    description: 'Flows of one Activepieces project, kept in step with PMOS flows.',
    connector: instanceConnectorId,
    async listRemoteFlows(ctx, page) {
      const answer = await client(ctx).listFlows(page);
      return {
        data: answer.data.map((flow) => ({
          remoteId: flow.id,
          displayName: flow.version.displayName,
          version: versionOf(flow),
          updatedAt: flow.version.updated,
          status: flow.status,
        })),
        next: answer.next,
      };
    },
    async getRemoteFlow(ctx, remoteId) {
      return remote(await client(ctx).getFlow(remoteId).catch(notFound(remoteId)));
    },
    async createRemoteFlow(ctx, input) {
      return remote(await client(ctx).createFlow(input.displayName, { createdBy: 'pmos' }));
    },
    async pushFlow(ctx, input) {
      const snapshot = (input.snapshot ?? null) as ApFlowVersion | null;
      const request = toActivepiecesImport(
        input.document as Record<string, unknown>,
        snapshot,
        pieceIndex(options.offered()),
        new Date().toISOString(),
      );
      const flow = await client(ctx)
        .applyOperation(input.remoteId, { type: 'IMPORT_FLOW', request })
        .catch(notFound(input.remoteId));
      // Activepieces has answered 200 and kept an empty trigger before (issue #8436): check.
      if (
        (flow.version.trigger as { type?: string }).type !==
        (request.trigger as { type: string }).type
      ) {
        throw new FlowSyncError(
          'remote_refused',
          'Activepieces accepted the flow but did not keep its trigger: open it in Activepieces to check, then push again.',
        );
      }
      return remote(flow);
    },
    async pollChanges(ctx, remoteIds) {
      // One listing of the project instead of one request per flow.
      const wanted = new Set(remoteIds);
      const found: { remoteId: string; version: string }[] = [];
      const api = client(ctx);
      let cursor: string | null = null;
      do {
        const page = await api.listFlows({ cursor, limit: 100 });
        for (const flow of page.data) {
          if (wanted.has(flow.id)) found.push({ remoteId: flow.id, version: versionOf(flow) });
        }
        cursor = page.next;
      } while (cursor && found.length < wanted.size);
      return found;
    },
    async listRuns(ctx, input) {
      const page = await client(ctx).listRuns({
        flowId: input.remoteId,
        cursor: input.cursor,
        limit: input.limit,
      });
      return {
        data: page.data.map(
          (run): RemoteRun => ({
            remoteId: run.id,
            status: run.status,
            startedAt: run.startTime ?? null,
            finishedAt: run.finishTime ?? null,
            ...(run.failedStep
              ? {
                  failure: `${run.failedStep.displayName} (${run.failedStep.name})${run.failedStep.message ? `: ${run.failedStep.message}` : ''}`,
                }
              : {}),
          }),
        ),
        next: page.next,
      };
    },
  });
}
