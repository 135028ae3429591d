import type { EntityManager } from '@mikro-orm/postgresql';
import { scrub } from '../audit/scrub.js';
import { sql } from '../db/sql.js';
import { RunError } from './errors.js';
import {
  finishedRunStatuses,
  type RunFailure,
  type RunStatus,
  type StepRecord,
  type TriggerKind,
} from './records.js';
import { getRunRow, type RunRow, type WebhookReplyRecord } from './run-store.js';

export interface RunSummary {
  id: string;
  flowId: string;
  flowDisplayName: string | null;
  flowVersionId: string | null;
  draft: boolean;
  triggerKind: TriggerKind;
  status: RunStatus;
  attempt: number;
  error: RunFailure | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface RunView extends RunSummary {
  steps: StepRecord[];
  recordsDropped: number;
  cancelRequested: boolean;
  response: WebhookReplyRecord | null;
}

export interface RunFilter {
  flowId?: string;
  status?: RunStatus;
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

type SummaryRow = Omit<RunRow, 'steps' | 'trigger_payload' | 'draft_document'> & {
  is_draft: boolean;
  flow_display_name: string | null;
};

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);

function summaryOf(row: SummaryRow): RunSummary {
  const started = row.started_at ? new Date(row.started_at).getTime() : null;
  const finished = row.finished_at ? new Date(row.finished_at).getTime() : null;
  return {
    id: row.id,
    flowId: row.flow_id,
    flowDisplayName: row.flow_display_name,
    flowVersionId: row.flow_version_id,
    draft: row.is_draft,
    triggerKind: row.trigger_kind,
    status: row.status,
    attempt: row.attempt,
    error: row.error,
    createdBy: row.created_by,
    createdAt: iso(row.created_at) as string,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    durationMs: started !== null && finished !== null ? finished - started : null,
  };
}

const summaryColumns = `r.id, r.flow_id, r.flow_version_id, r.trigger_kind, r.status, r.attempt,
  r.error, r.created_by, r.created_at, r.started_at, r.finished_at, r.records_dropped,
  r.cancel_requested, r.response, (r.draft_document is not null) as is_draft,
  f.display_name as flow_display_name`;

/** A workspace's runs, newest first, filtered by flow, status and creation time. */
export async function listRuns(
  em: EntityManager,
  workspaceId: string,
  filter: RunFilter,
): Promise<{ data: RunSummary[]; next: string | null }> {
  const after = filter.cursor ? decodeCursor(filter.cursor) : null;
  const rows = await sql<SummaryRow>(
    em,
    `select ${summaryColumns} from flow_run r left join flow f on f.id = r.flow_id
     where r.workspace_id = ?
       and (?::uuid is null or r.flow_id = ?::uuid)
       and (?::text is null or r.status = ?)
       and (?::timestamptz is null or r.created_at >= ?::timestamptz)
       and (?::timestamptz is null or r.created_at < ?::timestamptz)
       and (?::timestamptz is null or (r.created_at, r.id) < (?::timestamptz, ?::uuid))
     order by r.created_at desc, r.id desc limit ?`,
    [
      workspaceId,
      filter.flowId ?? null,
      filter.flowId ?? null,
      filter.status ?? null,
      filter.status ?? null,
      filter.from ?? null,
      filter.from ?? null,
      filter.to ?? null,
      filter.to ?? null,
      after?.createdAt ?? null,
      after?.createdAt ?? null,
      after?.id ?? null,
      filter.limit + 1,
    ],
  );
  const page = rows.slice(0, filter.limit).map(summaryOf);
  const last = page.at(-1);
  return {
    data: page,
    next:
      rows.length > filter.limit && last
        ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url')
        : null,
  };
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      typeof createdAt === 'string' &&
      typeof id === 'string' &&
      !Number.isNaN(Date.parse(createdAt))
    ) {
      return { createdAt, id };
    }
  } catch {
    // fall through to the error
  }
  throw new RunError('invalid_run_filter', {
    message: 'This list cursor is not valid: start again from the first page.',
  });
}

/** One run with its timeline. A finished run shows no step as still running. */
export async function getRun(
  em: EntityManager,
  workspaceId: string,
  runId: string,
): Promise<RunView> {
  await getRunRow(em, workspaceId, runId); // 404 before the join
  const [row] = await sql<SummaryRow & { steps: StepRecord[] }>(
    em,
    `select ${summaryColumns}, r.steps from flow_run r left join flow f on f.id = r.flow_id
     where r.id = ? and r.workspace_id = ?`,
    [runId, workspaceId],
  );
  if (!row) throw new RunError('run_not_found');
  const finished = finishedRunStatuses.has(row.status);
  const steps = row.steps.map((step) =>
    finished && step.status === 'RUNNING'
      ? {
          ...step,
          status: 'FAILED' as const,
          error: row.error ?? { code: 'run_ended', message: 'The run ended during this step.' },
        }
      : step,
  );
  return {
    ...summaryOf(row),
    steps,
    recordsDropped: row.records_dropped ?? 0,
    cancelRequested: row.cancel_requested,
    // Kept whole for the waiting caller; shown like every other record, secrets masked.
    response: row.response ? scrub(row.response) : null,
  };
}
