import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  applyOperation,
  type Flow,
  type FlowCatalog,
  type FlowOperation,
  flowFormatVersion,
  isFlowOperationError,
  isLifecycleOperation,
  parseFlow,
  parseFlowOperation,
  type StepProblem,
  validateFlow,
} from '@pmos/flow';
import { type ActorContext, recordAudit } from '../audit/audit-log.js';
import { sql } from '../db/sql.js';
import { FlowError } from './errors.js';

export type FlowStatus = 'ENABLED' | 'DISABLED';

export interface FlowSummary {
  id: string;
  displayName: string;
  folder: string | null;
  tags: string[];
  status: FlowStatus;
  revision: number;
  publishedVersionId: string | null;
  publishedVersionNumber: number | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** The flow's most recent run, if it ever ran. */
  lastRun: { status: string; at: Date } | null;
  /** Why the flow's trigger could not be turned on (its `onEnable` failed), if it could not. */
  triggerProblem: { code: string; message: string; at: Date } | null;
}

export interface FlowView extends FlowSummary {
  draft: Flow;
  /** Whether every step of the draft that will run is complete. */
  valid: boolean;
  problems: StepProblem[];
  /** Where a webhook trigger listens (add `/sync` to wait for the flow's answer). */
  webhookPath: string;
}

export interface FlowVersionView {
  id: string;
  number: number;
  publishedBy: string | null;
  publishedAt: Date;
}

interface FlowRow {
  id: string;
  workspace_id: string;
  display_name: string;
  folder: string | null;
  tags: string[];
  status: FlowStatus;
  draft: Flow;
  revision: number;
  published_version_id: string | null;
  published_version_number: number | null;
  created_by: string | null;
  webhook_secret: string;
  last_run_status: string | null;
  last_run_at: Date | null;
  trigger_error: { code: string; message: string } | null;
  trigger_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const selectFlow = `select f.*, v.number as published_version_number,
    lr.status as last_run_status, lr.created_at as last_run_at,
    ts.error as trigger_error, ts.updated_at as trigger_at
  from flow f
  left join flow_version v on v.id = f.published_version_id
  left join flow_trigger_state ts on ts.flow_id = f.id and ts.status = 'failed'
  left join lateral (
    select r.status, r.created_at from flow_run r
    where r.flow_id = f.id order by r.created_at desc limit 1
  ) lr on true`;

function summary(row: FlowRow): FlowSummary {
  return {
    id: row.id,
    displayName: row.display_name,
    folder: row.folder,
    tags: row.tags,
    status: row.status,
    revision: row.revision,
    publishedVersionId: row.published_version_id,
    publishedVersionNumber: row.published_version_number,
    lastRun:
      row.last_run_status && row.last_run_at
        ? { status: row.last_run_status, at: new Date(row.last_run_at) }
        : null,
    triggerProblem:
      row.trigger_error && row.trigger_at
        ? { ...row.trigger_error, at: new Date(row.trigger_at) }
        : null,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** A new flow's document: a name and an empty trigger waiting to be chosen. */
export function emptyFlowDocument(displayName: string): Flow {
  return {
    displayName,
    schemaVersion: flowFormatVersion,
    trigger: {
      name: 'trigger',
      type: 'EMPTY',
      displayName: 'Choose a trigger',
      valid: false,
      settings: {},
    },
  };
}

/** The file a flow exports to and imports from. */
export interface FlowExport {
  pmosFlowExport: 1;
  displayName: string;
  folder: string | null;
  tags: string[];
  document: Flow;
}

/**
 * Flows of a workspace: one draft edited through `@pmos/flow` operations under optimistic
 * concurrency (`revision`), and immutable published versions. Lifecycle operations (publish,
 * status, use a version as draft) act on the record; everything else on the draft.
 */
export class Flows {
  async list(
    em: EntityManager,
    workspaceId: string,
    filter: {
      search?: string;
      folder?: string;
      tag?: string;
      status?: FlowStatus;
      cursor?: string;
      limit: number;
    },
  ): Promise<{ data: FlowSummary[]; next: string | null }> {
    const after = filter.cursor ? decodeCursor(filter.cursor) : null;
    const rows = await sql<FlowRow>(
      em,
      `${selectFlow} where f.workspace_id = ?
         and (?::text is null or f.display_name ilike '%' || ? || '%')
         and (?::text is null or f.folder = ?)
         and (?::text is null or ? = any(f.tags))
         and (?::text is null or f.status = ?)
         and (?::timestamptz is null or (f.updated_at, f.id) < (?::timestamptz, ?::uuid))
       order by f.updated_at desc, f.id desc limit ?`,
      [
        workspaceId,
        ...twice(filter.search?.replace(/[%_\\]/g, '\\$&') ?? null),
        ...twice(filter.folder ?? null),
        ...twice(filter.tag ?? null),
        ...twice(filter.status ?? null),
        after?.updatedAt ?? null,
        after?.updatedAt ?? null,
        after?.id ?? null,
        filter.limit + 1,
      ],
    );
    const page = rows.slice(0, filter.limit).map(summary);
    const last = page.at(-1);
    return {
      data: page,
      next: rows.length > filter.limit && last ? encodeCursor(last) : null,
    };
  }

  async get(
    em: EntityManager,
    workspaceId: string,
    id: string,
    catalog: FlowCatalog,
  ): Promise<FlowView> {
    return this.view(await this.row(em, workspaceId, id), catalog);
  }

  private view(row: FlowRow, catalog: FlowCatalog): FlowView {
    const validation = validateFlow(row.draft, catalog);
    return {
      ...summary(row),
      draft: validation.flow,
      valid: validation.valid,
      problems: validation.problems,
      webhookPath: `/hooks/${row.id}/${row.webhook_secret}`,
    };
  }

  private async row(
    em: EntityManager,
    workspaceId: string,
    id: string,
    forUpdate = false,
  ): Promise<FlowRow> {
    const [row] = await sql<FlowRow>(
      em,
      `${selectFlow} where f.id = ? and f.workspace_id = ?${forUpdate ? ' for update of f' : ''}`,
      [id, workspaceId],
    );
    if (!row) throw new FlowError('flow_not_found');
    return row;
  }

  async create(
    em: EntityManager,
    workspaceId: string,
    input: { displayName: string; folder?: string | null; tags?: string[]; document?: unknown },
    actor: ActorContext,
    catalog: FlowCatalog,
  ): Promise<FlowView> {
    const document =
      input.document === undefined
        ? emptyFlowDocument(input.displayName)
        : { ...parseDocument(input.document), displayName: input.displayName };
    const id = randomUUID();
    await sql(
      em,
      `insert into flow (id, workspace_id, display_name, folder, tags, draft, created_by, updated_by)
       values (?, ?, ?, ?, ${textArray}, ?::jsonb, ?, ?)`,
      [
        id,
        workspaceId,
        input.displayName,
        input.folder ?? null,
        JSON.stringify(uniqueTags(input.tags)),
        JSON.stringify(document),
        actor.userId,
        actor.userId,
      ],
    );
    await recordAudit(em, actor, {
      action: input.document === undefined ? 'flow.create' : 'flow.import',
      outcome: 'success',
      workspaceId,
      targetType: 'flow',
      targetId: id,
      metadata: { displayName: input.displayName },
    });
    return this.get(em, workspaceId, id, catalog);
  }

  async updateMetadata(
    em: EntityManager,
    workspaceId: string,
    id: string,
    input: { folder?: string | null; tags?: string[] },
    catalog: FlowCatalog,
  ): Promise<FlowView> {
    const row = await this.row(em, workspaceId, id, true);
    await sql(
      em,
      `update flow set folder = ?, tags = ${textArray}, updated_at = now() where id = ?`,
      [
        input.folder === undefined ? row.folder : input.folder,
        JSON.stringify(input.tags === undefined ? row.tags : uniqueTags(input.tags)),
        id,
      ],
    );
    return this.get(em, workspaceId, id, catalog);
  }

  /**
   * Applies operations in order, all or nothing. `revision` must be the one the editor saw:
   * a stale edit is refused with the current flow, so nobody overwrites a change unseen.
   */
  async apply(
    em: EntityManager,
    workspaceId: string,
    id: string,
    input: { revision: number; operations: unknown[] },
    actor: ActorContext,
    catalog: FlowCatalog,
  ): Promise<FlowView> {
    const row = await this.row(em, workspaceId, id, true);
    if (row.revision !== input.revision) {
      throw new FlowError('flow_conflict', {
        details: { currentRevision: row.revision, current: this.view(row, catalog) },
      });
    }
    let draft = row.draft;
    let status = row.status;
    let publishedVersionId = row.published_version_id;
    for (const [index, raw] of input.operations.entries()) {
      const operation = parseOperation(raw, index);
      if (!isLifecycleOperation(operation)) {
        draft = refusing(index, () => applyOperation(draft, operation).flow);
        continue;
      }
      switch (operation.type) {
        case 'LOCK_AND_PUBLISH': {
          const validation = validateFlow(draft, catalog);
          if (!validation.valid) {
            throw new FlowError('flow_incomplete', { details: { problems: validation.problems } });
          }
          publishedVersionId = await this.publish(em, workspaceId, id, validation.flow, actor);
          if (operation.request.status) status = operation.request.status;
          break;
        }
        case 'CHANGE_STATUS':
          status = operation.request.status;
          break;
        case 'USE_AS_DRAFT':
          draft = (await this.version(em, workspaceId, id, operation.request.versionId)).document;
          break;
      }
    }
    if (status === 'ENABLED' && !publishedVersionId) throw new FlowError('flow_not_published');
    if (status !== row.status) {
      await recordAudit(em, actor, {
        action: status === 'ENABLED' ? 'flow.enable' : 'flow.disable',
        outcome: 'success',
        workspaceId,
        targetType: 'flow',
        targetId: id,
        metadata: { displayName: draft.displayName },
      });
    }
    await sql(
      em,
      `update flow set draft = ?::jsonb, display_name = ?, status = ?, published_version_id = ?,
         revision = revision + 1, updated_by = ?, updated_at = now() where id = ?`,
      [JSON.stringify(draft), draft.displayName, status, publishedVersionId, actor.userId, id],
    );
    return this.get(em, workspaceId, id, catalog);
  }

  private async publish(
    em: EntityManager,
    workspaceId: string,
    flowId: string,
    document: Flow,
    actor: ActorContext,
  ): Promise<string> {
    const id = randomUUID();
    const [row] = await sql<{ number: number }>(
      em,
      `insert into flow_version (id, workspace_id, flow_id, number, document, published_by)
       select ?, ?, ?, coalesce(max(number), 0) + 1, ?::jsonb, ? from flow_version where flow_id = ?
       returning number`,
      [id, workspaceId, flowId, JSON.stringify(document), actor.userId, flowId],
    );
    await recordAudit(em, actor, {
      action: 'flow.publish',
      outcome: 'success',
      workspaceId,
      targetType: 'flow',
      targetId: flowId,
      metadata: { version: row?.number, displayName: document.displayName },
    });
    return id;
  }

  async versions(em: EntityManager, workspaceId: string, id: string): Promise<FlowVersionView[]> {
    await this.row(em, workspaceId, id);
    const rows = await sql<{
      id: string;
      number: number;
      published_by: string | null;
      published_at: Date;
    }>(
      em,
      'select id, number, published_by, published_at from flow_version where flow_id = ? and workspace_id = ? order by number desc',
      [id, workspaceId],
    );
    return rows.map((r) => ({
      id: r.id,
      number: r.number,
      publishedBy: r.published_by,
      publishedAt: new Date(r.published_at),
    }));
  }

  async version(
    em: EntityManager,
    workspaceId: string,
    flowId: string,
    versionId: string,
  ): Promise<FlowVersionView & { document: Flow }> {
    const [row] = await sql<{
      id: string;
      number: number;
      document: Flow;
      published_by: string | null;
      published_at: Date;
    }>(
      em,
      `select id, number, document, published_by, published_at from flow_version
       where id::text = ? and flow_id = ? and workspace_id = ?`,
      [versionId, flowId, workspaceId],
    );
    if (!row) throw new FlowError('flow_version_not_found');
    return {
      id: row.id,
      number: row.number,
      document: row.document,
      publishedBy: row.published_by,
      publishedAt: new Date(row.published_at),
    };
  }

  async delete(em: EntityManager, workspaceId: string, id: string, actor: ActorContext) {
    const [row] = await sql<{ display_name: string }>(
      em,
      'delete from flow where id = ? and workspace_id = ? returning display_name',
      [id, workspaceId],
    );
    if (!row) throw new FlowError('flow_not_found');
    await recordAudit(em, actor, {
      action: 'flow.delete',
      outcome: 'success',
      workspaceId,
      targetType: 'flow',
      targetId: id,
      metadata: { displayName: row.display_name },
    });
  }

  async duplicate(
    em: EntityManager,
    workspaceId: string,
    id: string,
    actor: ActorContext,
    catalog: FlowCatalog,
  ): Promise<FlowView> {
    const row = await this.row(em, workspaceId, id);
    const displayName = `${row.display_name} (copy)`.slice(0, 200);
    return this.create(
      em,
      workspaceId,
      { displayName, folder: row.folder, tags: row.tags, document: row.draft },
      actor,
      catalog,
    );
  }

  async export(em: EntityManager, workspaceId: string, id: string): Promise<FlowExport> {
    const row = await this.row(em, workspaceId, id);
    return {
      pmosFlowExport: 1,
      displayName: row.display_name,
      folder: row.folder,
      tags: row.tags,
      document: row.draft,
    };
  }
}

function parseDocument(value: unknown): Flow {
  const parsed = parseFlow(value);
  if (parsed.success) return parsed.flow;
  throw new FlowError('invalid_flow', {
    message: `This is not a valid flow: ${parsed.problems
      .slice(0, 5)
      .map((p) => p.message)
      .join('; ')}`,
    details: { problems: parsed.problems },
  });
}

function parseOperation(raw: unknown, index: number): FlowOperation {
  return refusing(index, () => parseFlowOperation(raw));
}

/** Runs a reducer step; its refusal becomes a 400 that names the operation and the reason. */
function refusing<T>(index: number, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!isFlowOperationError(error)) throw error;
    throw new FlowError('flow_operation_refused', {
      message: `Operation ${index + 1} was refused: ${error.message}`,
      details: { operation: index, reason: error.code, problems: error.problems },
    });
  }
}

/** A text[] from a JSON array parameter (the driver would spread a JS array into a list). */
const textArray = `(select coalesce(array_agg(t), '{}') from jsonb_array_elements_text(?::jsonb) as t)`;

const twice = <T>(value: T): [T, T] => [value, value];

function uniqueTags(tags: string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim()).filter(Boolean))];
}

function encodeCursor(flow: FlowSummary): string {
  return Buffer.from(JSON.stringify([flow.updatedAt.toISOString(), flow.id])).toString('base64url');
}

function decodeCursor(cursor: string): { updatedAt: string; id: string } | null {
  try {
    const [updatedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      typeof updatedAt === 'string' &&
      typeof id === 'string' &&
      !Number.isNaN(Date.parse(updatedAt)) &&
      /^[0-9a-f-]{36}$/.test(id)
    ) {
      return { updatedAt, id };
    }
  } catch {}
  throw new FlowError('invalid_cursor');
}
