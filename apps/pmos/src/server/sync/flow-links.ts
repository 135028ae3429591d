import { randomUUID } from 'node:crypto';
import { type EntityManager, sql } from '@pmos/core';

export type SyncState = 'linked' | 'in_sync' | 'pending_push' | 'conflict' | 'error';

export interface SyncConflict {
  detectedAt: string;
  remoteVersion: string;
  remoteUpdatedAt: string;
  remoteDocument: Record<string, unknown>;
  localRevision: number;
}

export interface FlowLinkRow {
  id: string;
  workspace_id: string;
  flow_id: string;
  plugin_id: string;
  sync_id: string;
  connection_id: string;
  external_id: string;
  state: SyncState;
  error: string | null;
  last_pushed_revision: number | null;
  local_hash: string | null;
  remote_hash: string | null;
  last_remote_version: string | null;
  last_remote_updated_at: Date | null;
  remote_snapshot: unknown;
  conflict: SyncConflict | null;
  synced_at: Date | null;
  lease_until: Date | null;
}

/** What a sync round records about both sides. */
export interface SyncedSides {
  state: SyncState;
  error?: string | null;
  lastPushedRevision?: number | null;
  localHash?: string | null;
  remoteHash?: string | null;
  remoteVersion?: string | null;
  remoteUpdatedAt?: string | null;
  remoteSnapshot?: unknown;
  conflict?: SyncConflict | null;
  synced?: boolean;
}

/** flow_link rows: every query scoped by workspace (and row-level security under it). */
export const flowLinks = {
  async byFlow(em: EntityManager, workspaceId: string, flowId: string) {
    const [row] = await sql<FlowLinkRow>(
      em,
      'select * from flow_link where workspace_id = ? and flow_id = ?',
      [workspaceId, flowId],
    );
    return row ?? null;
  },

  async list(em: EntityManager, workspaceId: string): Promise<FlowLinkRow[]> {
    return sql<FlowLinkRow>(
      em,
      'select * from flow_link where workspace_id = ? order by created_at, id',
      [workspaceId],
    );
  },

  async byExternal(em: EntityManager, workspaceId: string, connectionId: string) {
    return sql<{ flow_id: string; external_id: string }>(
      em,
      'select flow_id, external_id from flow_link where workspace_id = ? and connection_id = ?',
      [workspaceId, connectionId],
    );
  },

  async insert(
    em: EntityManager,
    input: {
      workspaceId: string;
      flowId: string;
      pluginId: string;
      syncId: string;
      connectionId: string;
      externalId: string;
    },
  ): Promise<FlowLinkRow> {
    const [row] = await sql<FlowLinkRow>(
      em,
      `insert into flow_link (id, workspace_id, flow_id, plugin_id, sync_id, connection_id, external_id)
       values (?, ?, ?, ?, ?, ?, ?) returning *`,
      [
        randomUUID(),
        input.workspaceId,
        input.flowId,
        input.pluginId,
        input.syncId,
        input.connectionId,
        input.externalId,
      ],
    );
    if (!row) throw new Error('flow_link insert returned nothing');
    return row;
  },

  async record(em: EntityManager, id: string, sides: SyncedSides): Promise<FlowLinkRow> {
    const set: string[] = ['state = ?', 'updated_at = now()'];
    const values: unknown[] = [sides.state];
    const put = (column: string, value: unknown, cast = '') => {
      set.push(`${column} = ?${cast}`);
      values.push(value);
    };
    if (sides.error !== undefined) put('error', sides.error);
    if (sides.lastPushedRevision !== undefined)
      put('last_pushed_revision', sides.lastPushedRevision);
    if (sides.localHash !== undefined) put('local_hash', sides.localHash);
    if (sides.remoteHash !== undefined) put('remote_hash', sides.remoteHash);
    if (sides.remoteVersion !== undefined) put('last_remote_version', sides.remoteVersion);
    if (sides.remoteUpdatedAt !== undefined) {
      put('last_remote_updated_at', sides.remoteUpdatedAt, '::timestamptz');
    }
    if (sides.remoteSnapshot !== undefined) {
      put('remote_snapshot', JSON.stringify(sides.remoteSnapshot ?? null), '::jsonb');
    }
    if (sides.conflict !== undefined) {
      put('conflict', sides.conflict === null ? null : JSON.stringify(sides.conflict), '::jsonb');
    }
    if (sides.synced) set.push('synced_at = now()');
    const [row] = await sql<FlowLinkRow>(
      em,
      `update flow_link set ${set.join(', ')} where id = ? returning *`,
      [...values, id],
    );
    if (!row) throw new Error('flow_link vanished');
    return row;
  },

  /**
   * Takes the link for one sync round, or null when another process (or request) holds it:
   * the lease makes every round exclusive across processes without holding a transaction
   * open during the remote calls; it expires by itself if its holder dies.
   */
  async lease(em: EntityManager, id: string, seconds: number): Promise<FlowLinkRow | null> {
    const [row] = await sql<FlowLinkRow>(
      em,
      `update flow_link set lease_until = now() + make_interval(secs => ?)
       where id = ? and (lease_until is null or lease_until < now()) returning *`,
      [seconds, id],
    );
    return row ?? null;
  },

  async release(em: EntityManager, id: string): Promise<void> {
    await sql(em, 'update flow_link set lease_until = null where id = ?', [id]);
  },

  async remove(em: EntityManager, workspaceId: string, flowId: string): Promise<boolean> {
    const rows = await sql<{ id: string }>(
      em,
      'delete from flow_link where workspace_id = ? and flow_id = ? returning id',
      [workspaceId, flowId],
    );
    return rows.length > 0;
  },

  /** Every link of every workspace, for the poller (a system process, outside tenant scope). */
  async all(em: EntityManager): Promise<{ id: string; workspace_id: string; flow_id: string }[]> {
    return sql(
      em,
      'select id, workspace_id, flow_id from flow_link order by synced_at nulls first',
    );
  },
};
