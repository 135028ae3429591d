import { z } from 'zod';
import { flowSchema } from './flow-schemas.js';

/** Flow sync: request and response bodies of …/flows/:flowId/link and …/flow-sync/… */

export const syncStates = ['linked', 'in_sync', 'pending_push', 'conflict', 'error'] as const;

export const flowLinkSchema = z
  .object({
    flowId: z.uuid(),
    pluginId: z.string(),
    syncId: z.string(),
    connectionId: z.uuid(),
    /** The remote system's id of the flow (an Activepieces flow id). */
    externalId: z.string(),
    /**
     * linked: not synced yet; in_sync: both sides say the same; pending_push: PMOS changed
     * since the last sync; conflict: both changed — choose a side; error: see `error`.
     */
    state: z.enum(syncStates),
    error: z.string().nullable(),
    lastPushedRevision: z.number().int().nullable(),
    lastRemoteVersion: z.string().nullable(),
    lastRemoteUpdatedAt: z.iso.datetime().nullable(),
    syncedAt: z.iso.datetime().nullable(),
    /** Both sides changed since the last sync: what the remote side says now. */
    conflict: z
      .object({
        detectedAt: z.iso.datetime(),
        remoteVersion: z.string(),
        remoteUpdatedAt: z.string(),
        remoteDocument: z.record(z.string(), z.unknown()),
        localRevision: z.number().int(),
      })
      .nullable(),
  })
  .meta({ id: 'FlowLink' });

export const flowLinkListSchema = z.object({
  data: z.array(flowLinkSchema),
  next: z.string().nullable(),
});

export const linkFlowBodySchema = z.object({
  connectionId: z.uuid({ error: 'Choose the connection to the other system.' }),
  /** Link to this existing remote flow; left out, a new remote flow is created from PMOS’s. */
  externalId: z.string().min(1).max(200).optional(),
});

export const resolveConflictBodySchema = z.object({
  keep: z.enum(['pmos', 'remote'], { error: 'Keep either "pmos" or "remote".' }),
});

export const importRemoteFlowBodySchema = z.object({
  connectionId: z.uuid({ error: 'Choose the connection to the other system.' }),
  externalId: z.string().min(1).max(200),
});

export const importedFlowSchema = z.object({ flow: flowSchema, link: flowLinkSchema });

export const remoteFlowQuerySchema = z.object({
  connectionId: z.uuid({ error: 'Choose the connection to the other system.' }),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const remoteFlowListSchema = z.object({
  data: z.array(
    z.object({
      externalId: z.string(),
      displayName: z.string(),
      version: z.string(),
      updatedAt: z.string(),
      status: z.enum(['ENABLED', 'DISABLED']).nullable(),
      /** The PMOS flow already linked to it in this workspace. */
      linkedFlowId: z.uuid().nullable(),
    }),
  ),
  next: z.string().nullable(),
});

export const remoteRunQuerySchema = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const remoteRunListSchema = z.object({
  data: z.array(
    z.object({
      externalId: z.string(),
      status: z.string(),
      startedAt: z.string().nullable(),
      finishedAt: z.string().nullable(),
      failure: z.string().nullable(),
    }),
  ),
  next: z.string().nullable(),
});

export const syncResultSchema = z.object({
  link: flowLinkSchema,
  /** What this sync did. */
  outcome: z.enum(['pushed', 'pulled', 'unchanged', 'conflict', 'failed', 'busy']),
});
