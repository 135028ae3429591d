import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Flow } from '@pmos/flow';
import { sql } from '../db/sql.js';
import { RunError } from './errors.js';
import {
  finishedRunStatuses,
  type RunFailure,
  type RunStatus,
  type StepRecord,
  type TriggerKind,
} from './records.js';

/** A webhook that waits for the flow's answer (sync) or is answered at once with the run id. */
export type ResponseMode = 'async' | 'sync';

export interface WebhookReplyRecord {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface RunRow {
  id: string;
  workspace_id: string;
  flow_id: string;
  flow_version_id: string | null;
  draft_document: Flow | null;
  trigger_kind: TriggerKind;
  status: RunStatus;
  trigger_payload: unknown;
  /** The payload is already the trigger's event (polling, test runs, split deliveries). */
  payload_is_event: boolean;
  steps: StepRecord[];
  records_dropped?: number;
  error: RunFailure | null;
  response_mode: ResponseMode | null;
  response: WebhookReplyRecord | null;
  attempt: number;
  resume_from: string | null;
  cancel_requested: boolean;
  /** The pg-boss job that starts this run (a new one per retry). */
  job_id: string;
  worker_id: string | null;
  heartbeat_at: Date | null;
  created_by: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface NewRun {
  workspaceId: string;
  flowId: string;
  /** The published version to run, or the draft document itself (a test run). */
  source: { versionId: string } | { draft: Flow };
  triggerKind: TriggerKind;
  payload: unknown;
  /** The payload is the trigger's event as is: the trigger does not run again. */
  payloadIsEvent?: boolean;
  responseMode?: ResponseMode;
  createdBy?: string | null;
}

const json = (value: unknown) => JSON.stringify(value ?? null);
const ids = (list: readonly string[]) => JSON.stringify(list);
const idList = '(select value::uuid from jsonb_array_elements_text(?::jsonb))';

/** What enqueueing a run needs. */
export interface QueuedRun {
  runId: string;
  jobId: string;
  workspaceId: string;
}

/** Records a run as QUEUED; the caller enqueues its job once this is committed. */
export async function insertRun(em: EntityManager, run: NewRun): Promise<QueuedRun> {
  const id = randomUUID();
  const jobId = randomUUID();
  await sql(
    em,
    `insert into flow_run (id, job_id, workspace_id, flow_id, flow_version_id, draft_document,
       trigger_kind, trigger_payload, payload_is_event, response_mode, created_by)
     values (?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?)`,
    [
      id,
      jobId,
      run.workspaceId,
      run.flowId,
      'versionId' in run.source ? run.source.versionId : null,
      'draft' in run.source ? json(run.source.draft) : null,
      run.triggerKind,
      json(run.payload),
      run.payloadIsEvent ?? false,
      run.responseMode ?? null,
      run.createdBy ?? null,
    ],
  );
  return { runId: id, jobId, workspaceId: run.workspaceId };
}

/**
 * A sync webhook delivery stored as a run already RUNNING on one worker, its daily quota taken
 * in the same statement — one round trip where the queue takes five. Null when the flow does
 * not answer at that address, the quota is used up, or the workspace already has
 * `concurrencyCap` runs RUNNING on any worker (the caller then takes the slow path, which says
 * which, or waits its turn in the queue).
 */
export async function insertRunningWebhookRun(
  em: EntityManager,
  input: {
    runId: string;
    flowId: string;
    secret: string;
    payload: unknown;
    workerId: string;
    quotaLimit: number;
    /** The workspace's concurrent runs limit, counted across every worker. */
    concurrencyCap: number;
  },
): Promise<ClaimedRun | null> {
  const dayMs = 86_400_000;
  const day = new Date(Math.floor(Date.now() / dayMs) * dayMs);
  const [row] = await sql<ClaimedRun>(
    em,
    `with f as (
       select id, workspace_id, published_version_id from flow
       -- Digests compared, not secrets: how long a comparison takes tells nothing of the secret.
       where id = ? and sha256(convert_to(webhook_secret, 'UTF8')) = sha256(convert_to(?, 'UTF8'))
         and status = 'ENABLED' and published_version_id is not null
         and (select count(*) from flow_run r
               where r.workspace_id = flow.workspace_id and r.status = 'RUNNING') < ?
     ), q as (
       insert into quota_usage (workspace_id, quota, period_start, used)
       select f.workspace_id, 'flow_runs_per_day', ?, 1 from f where 1 <= ?
       on conflict (workspace_id, quota, period_start)
         do update set used = quota_usage.used + 1 where quota_usage.used + 1 <= ?
       returning used
     )
     insert into flow_run (id, workspace_id, flow_id, flow_version_id, trigger_kind,
       trigger_payload, response_mode, status, worker_id, started_at, heartbeat_at)
     select ?, f.workspace_id, f.id, f.published_version_id, 'webhook', ?::jsonb, 'sync',
       'RUNNING', ?, now(), now()
     from f where exists (select 1 from q)
     returning *`,
    [
      input.flowId,
      input.secret,
      input.concurrencyCap,
      day,
      input.quotaLimit,
      input.quotaLimit,
      input.runId,
      json(input.payload),
      input.workerId,
    ],
  );
  return row ?? null;
}

/** A claimed run, with what the worker needs to run it. */
export type ClaimedRun = Omit<RunRow, 'steps'> & { steps: StepRecord[] };

/** Marks QUEUED runs RUNNING for this worker; runs already taken or finished are left out. */
export async function claimRuns(
  em: EntityManager,
  runIds: readonly string[],
  workerId: string,
): Promise<ClaimedRun[]> {
  if (runIds.length === 0) return [];
  return sql<ClaimedRun>(
    em,
    `update flow_run set status = 'RUNNING', started_at = now(), heartbeat_at = now(),
       worker_id = ?, finished_at = null
     where id in ${idList} and status = 'QUEUED'
     returning *`,
    [workerId, ids(runIds)],
  );
}

/** Published documents never change: the worker keeps them by version id. */
export async function loadVersionDocuments(
  em: EntityManager,
  versionIds: readonly string[],
): Promise<Map<string, Flow>> {
  if (versionIds.length === 0) return new Map();
  const rows = await sql<{ id: string; document: Flow }>(
    em,
    `select id, document from flow_version where id in ${idList}`,
    [ids(versionIds)],
  );
  return new Map(rows.map((r) => [r.id, r.document]));
}

/** Keeps this worker's runs alive; answers which of them someone asked to cancel. */
export async function heartbeatRuns(
  em: EntityManager,
  runIds: readonly string[],
): Promise<string[]> {
  if (runIds.length === 0) return [];
  const rows = await sql<{ id: string; cancel_requested: boolean }>(
    em,
    `update flow_run set heartbeat_at = now()
     where id in ${idList} and status = 'RUNNING'
     returning id, cancel_requested`,
    [ids(runIds)],
  );
  return rows.filter((r) => r.cancel_requested).map((r) => r.id);
}

export async function saveProgress(
  em: EntityManager,
  runId: string,
  steps: readonly StepRecord[],
): Promise<void> {
  await sql(em, `update flow_run set steps = ?::jsonb where id = ? and status = 'RUNNING'`, [
    json(steps),
    runId,
  ]);
}

export async function saveResponse(
  em: EntityManager,
  runId: string,
  response: WebhookReplyRecord,
): Promise<void> {
  await sql(em, 'update flow_run set response = ?::jsonb where id = ? and response is null', [
    json(response),
    runId,
  ]);
}

export interface FinishedRun {
  id: string;
  status: Exclude<RunStatus, 'QUEUED' | 'RUNNING'>;
  steps: readonly StepRecord[];
  recordsDropped: number;
  error: RunFailure | null;
  /** The webhook answer the run gave, when not saved already. */
  response?: WebhookReplyRecord | null;
}

/** Writes the outcome of many runs in one statement (a worker finishes runs in batches). */
export async function finishRuns(em: EntityManager, runs: readonly FinishedRun[]): Promise<void> {
  if (runs.length === 0) return;
  await sql(
    em,
    `update flow_run r set status = f.status, steps = f.steps, error = f.error,
       records_dropped = f.records_dropped, finished_at = now(), heartbeat_at = null,
       response = coalesce(r.response, f.response),
       data_bytes = octet_length(f.steps::text) + coalesce(octet_length(r.trigger_payload::text), 0)
     from jsonb_to_recordset(?::jsonb)
       as f(id uuid, status text, steps jsonb, error jsonb, records_dropped integer, response jsonb)
     where r.id = f.id and r.status = 'RUNNING'`,
    [
      JSON.stringify(
        runs.map((r) => ({
          id: r.id,
          status: r.status,
          steps: r.steps,
          error: r.error,
          records_dropped: r.recordsDropped,
          response: r.response ?? null,
        })),
      ),
    ],
  );
}

/** Puts claimed runs back in the queue (e.g. the worker is stopping before it started them). */
export async function releaseRuns(em: EntityManager, runIds: readonly string[]): Promise<void> {
  if (runIds.length === 0) return;
  await sql(
    em,
    `update flow_run set status = 'QUEUED', worker_id = null, heartbeat_at = null, started_at = null
     where id in ${idList} and status = 'RUNNING'`,
    [ids(runIds)],
  );
}

/**
 * Finishes runs whose worker stopped sending heartbeats: they end FAILED with a plain
 * reason, so no run stays RUNNING. Returns their ids (their jobs are failed too).
 */
export async function reapStaleRuns(
  em: EntityManager,
  staleAfterSeconds: number,
): Promise<string[]> {
  const rows = await sql<{ id: string }>(
    em,
    `update flow_run set status = 'FAILED', finished_at = now(), heartbeat_at = null,
       error = jsonb_strip_nulls(jsonb_build_object('code', 'worker_lost', 'message',
         'The worker running this run stopped responding, so the run was ended. Retry it to run it again.',
         -- The step it was in (as last saved), so the run can be retried from there.
         'step', (select e->>'name' from jsonb_array_elements(steps) with ordinality as s(e, i)
                  where e->>'status' = 'RUNNING' order by i desc limit 1)))
     where status = 'RUNNING' and heartbeat_at < now() - make_interval(secs => ?)
     returning id`,
    [staleAfterSeconds],
  );
  return rows.map((r) => r.id);
}

/**
 * QUEUED runs older than `seconds` whose job pg-boss does not have: the process stopped
 * between committing the run and sending its job. Sending it again (same job id) is safe.
 */
export async function runsWithLostJobs(
  em: EntityManager,
  seconds: number,
  queueName: string,
  limit = 500,
): Promise<QueuedRun[]> {
  const rows = await sql<{ id: string; job_id: string; workspace_id: string }>(
    em,
    `select r.id, r.job_id, r.workspace_id from flow_run r
     where r.status = 'QUEUED' and coalesce(r.started_at, r.created_at) < now() - make_interval(secs => ?)
       and not exists (select 1 from pgboss.job j where j.name = ? and j.id = r.job_id)
     order by r.created_at limit ?`,
    [seconds, queueName, limit],
  );
  return rows.map((r) => ({ runId: r.id, jobId: r.job_id, workspaceId: r.workspace_id }));
}

/**
 * Keeps each workspace's stored run data under its limit: beyond it, its oldest finished runs
 * are deleted. Answers how many went.
 */
export async function enforceRunStorage(
  em: EntityManager,
  limits: { default: number; tiers: Record<string, number> },
): Promise<number> {
  const mb = 1024 * 1024;
  const rows = await sql<{ id: string }>(
    em,
    `with sized as (
       select id, workspace_id,
         sum(data_bytes) over (partition by workspace_id order by finished_at desc, id desc) as kept
       from flow_run where finished_at is not null
     )
     delete from flow_run r using sized s
     where r.id = s.id
       and s.kept > coalesce((?::jsonb ->> s.workspace_id::text)::bigint, ?) * ?
     returning r.id`,
    [JSON.stringify(limits.tiers), limits.default, mb],
  );
  return rows.length;
}

/** Stored run data of one workspace, in bytes. */
export async function runStorageUsed(em: EntityManager, workspaceId: string): Promise<number> {
  const [row] = await sql<{ bytes: string }>(
    em,
    `select coalesce(sum(data_bytes), 0) as bytes from flow_run
     where workspace_id = ? and finished_at is not null`,
    [workspaceId],
  );
  return Number(row?.bytes ?? 0);
}

/** Deletes finished runs older than the retention of their workspace. */
export async function deleteExpiredRuns(
  em: EntityManager,
  retentionDays: number,
  limit = 5000,
): Promise<number> {
  const rows = await sql<{ id: string }>(
    em,
    `delete from flow_run where id in (
       select id from flow_run where finished_at < now() - make_interval(days => ?) limit ?
     ) returning id`,
    [retentionDays, limit],
  );
  return rows.length;
}

export async function getRunRow(
  em: EntityManager,
  workspaceId: string,
  runId: string,
  forUpdate = false,
): Promise<RunRow> {
  const [row] = await sql<RunRow>(
    em,
    `select * from flow_run where id = ? and workspace_id = ?${forUpdate ? ' for update' : ''}`,
    [runId, workspaceId],
  );
  if (!row) throw new RunError('run_not_found');
  return row;
}

/**
 * Asks a run to stop: a QUEUED run is CANCELLED at once, a RUNNING one is flagged and its
 * worker aborts it at its next heartbeat (or at once when it runs in this process).
 */
export async function requestCancel(
  em: EntityManager,
  workspaceId: string,
  runId: string,
): Promise<RunStatus> {
  const row = await getRunRow(em, workspaceId, runId, true);
  if (finishedRunStatuses.has(row.status)) throw new RunError('run_not_cancellable');
  if (row.status === 'QUEUED') {
    await sql(
      em,
      `update flow_run set status = 'CANCELLED', finished_at = now(),
         error = jsonb_build_object('code', 'run_cancelled', 'message', 'The run was cancelled before it started.')
       where id = ?`,
      [runId],
    );
    return 'CANCELLED';
  }
  await sql(em, 'update flow_run set cancel_requested = true where id = ?', [runId]);
  return 'RUNNING';
}

/**
 * Queues a finished run again: from the start (a fresh timeline) or from its failed step
 * (the records before it kept). The same run id, its attempt counted up.
 */
export async function requeueRun(
  em: EntityManager,
  row: RunRow,
  resumeFrom: string | null,
): Promise<QueuedRun> {
  const jobId = randomUUID();
  await sql(
    em,
    `update flow_run set status = 'QUEUED', attempt = attempt + 1, resume_from = ?,
       steps = case when ?::text is null then '[]'::jsonb else steps end, job_id = ?,
       error = null, response = null, cancel_requested = false, worker_id = null,
       heartbeat_at = null, started_at = null, finished_at = null, records_dropped = 0
     where id = ? and workspace_id = ?`,
    [resumeFrom, resumeFrom, jobId, row.id, row.workspace_id],
  );
  return { runId: row.id, jobId, workspaceId: row.workspace_id };
}

/** The document a run runs: its published version's, or the draft it was started with. */
export async function runDocument(em: EntityManager, row: RunRow): Promise<Flow | null> {
  if (row.draft_document) return row.draft_document;
  if (!row.flow_version_id) return null;
  const documents = await loadVersionDocuments(em, [row.flow_version_id]);
  return documents.get(row.flow_version_id) ?? null;
}
