import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Flow } from '@pmos/flow';
import { scrub } from '../audit/scrub.js';
import { consumeQuota, QuotaExceededError } from '../quotas/quota-counter.js';
import {
  defaultEngineLimits,
  type EngineLimits,
  type EngineOutcome,
  executeFlow,
  RunAbort,
  type StepExecutor,
} from './engine.js';
import type { RunEvents } from './events.js';
import { GroupCommit } from './group-commit.js';
import { type RunJob, type RunQueue, runQueueName } from './queue.js';
import { limitForRecord, type StepRecord } from './records.js';
import {
  type ClaimedRun,
  claimRuns,
  deleteExpiredRuns,
  enforceRunStorage,
  type FinishedRun,
  finishRuns,
  heartbeatRuns,
  insertRun,
  insertRunningWebhookRun,
  loadVersionDocuments,
  reapStaleRuns,
  runsWithLostJobs,
  saveProgress,
  saveResponse,
  type WebhookReplyRecord,
} from './run-store.js';

/** What the host knows how to do for one run: its trigger's events and its steps. */
export interface PreparedRun {
  executor: StepExecutor;
  /** The events the trigger makes of this run's delivery (none: the run is skipped). */
  triggerEvents(signal: AbortSignal): Promise<unknown[]>;
}

export interface RunHost {
  prepare(
    run: ClaimedRun,
    flow: Flow,
    hooks: { respond(reply: WebhookReplyRecord): void },
  ): Promise<PreparedRun>;
  /** Per-workspace caps on concurrent runs: the default and each workspace's own. */
  concurrency(): Promise<{ default: number; tiers: Record<string, number> }>;
  /** Days a finished run is kept. */
  retentionDays(): Promise<number>;
  /** Megabytes of run data each workspace may keep: the default and each workspace's own. */
  runStorage(): Promise<{ default: number; tiers: Record<string, number> }>;
  /** The workspace's daily run quota (runs the worker starts itself count too). */
  runQuota(workspaceId: string): Promise<number>;
  logError(message: string, error: unknown, fields?: Record<string, unknown>): void;
}

export interface RunWorkerOptions {
  /** Runs this worker runs at once. */
  maxConcurrent: number;
  batchSize: number;
  /** How often an idle worker asks pg-boss for jobs (new local jobs wake it at once). */
  pollIntervalMs: number;
  heartbeatMs: number;
  /** A RUNNING run without a heartbeat for this long is finished by the reaper. */
  staleAfterSeconds: number;
  runTimeoutMs: number;
  /** A run's timeline is saved at most this often while it goes (live view of long runs). */
  progressEveryMs: number;
  engineLimits: Partial<EngineLimits>;
}

export const defaultRunWorkerOptions: RunWorkerOptions = {
  maxConcurrent: 64,
  batchSize: 64,
  pollIntervalMs: 1000,
  heartbeatMs: 5000,
  staleAfterSeconds: 30,
  runTimeoutMs: 10 * 60_000,
  progressEveryMs: 1000,
  engineLimits: {},
};

interface ActiveRun {
  controller: AbortController;
  workspaceId: string;
}

interface Settled {
  run: FinishedRun;
  /** Its pg-boss job; null for a run started on the fast path. */
  jobId: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * Takes run jobs from pg-boss and runs them: claims the runs (QUEUED → RUNNING, so a job
 * delivered twice runs once), runs each flow with a time limit, keeps their heartbeats
 * (which is also how it hears of cancellations), and writes outcomes and completes jobs in
 * batches. Its reaper finishes runs whose worker died and resends jobs lost at enqueue time.
 */
export class RunWorker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly options: RunWorkerOptions;
  private readonly active = new Map<string, ActiveRun>();
  private readonly documents = new Map<string, Flow>();
  private readonly settle: GroupCommit<Settled>;
  private stopping = false;
  private loopDone: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** A wake-up that came while the loop was busy: the next idle wait ends at once. */
  private woken = false;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly queue: RunQueue,
    private readonly host: RunHost,
    readonly events: RunEvents,
    options: Partial<RunWorkerOptions> = {},
  ) {
    this.options = { ...defaultRunWorkerOptions, ...options };
    this.settle = new GroupCommit(async (items) => {
      await finishRuns(
        this.orm.em.fork(),
        items.map((i) => i.run),
      );
      const jobIds = items.flatMap((i) => (i.jobId ? [i.jobId] : []));
      if (jobIds.length > 0) await this.queue.boss.complete(runQueueName, jobIds);
    });
  }

  start(): void {
    this.unsubscribe = this.queue.onEnqueue(() => this.nudge());
    this.loopDone = this.loop();
    this.timers.push(setInterval(() => void this.heartbeat(), this.options.heartbeatMs));
    this.timers.push(
      setInterval(() => void this.reap(), (this.options.staleAfterSeconds * 1000) / 2),
    );
    for (const timer of this.timers) timer.unref();
  }

  /** Stops taking jobs and waits for the runs in progress (they are cancelled after `graceMs`). */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    this.nudge();
    this.unsubscribe?.();
    for (const timer of this.timers) clearInterval(timer);
    await this.loopDone;
    const deadline = Date.now() + graceMs;
    while (this.active.size > 0 && Date.now() < deadline) await sleep(20);
    for (const run of this.active.values()) run.controller.abort(new RunAbort('CANCELLED'));
    while (this.active.size > 0) await sleep(20);
    await this.settle.idle();
  }

  /** Aborts a run if this worker is running it (the cancel API's fast path). */
  cancelLocal(runId: string): boolean {
    const run = this.active.get(runId);
    if (!run) return false;
    run.controller.abort(new RunAbort('CANCELLED'));
    return true;
  }

  get activeCount(): number {
    return this.active.size;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const room = this.options.maxConcurrent - this.active.size;
      if (room <= 0) {
        await this.idle(this.options.pollIntervalMs);
        continue;
      }
      let jobs: { id: string; data: RunJob }[];
      try {
        jobs = await this.queue.boss.fetch<RunJob>(runQueueName, {
          batchSize: Math.min(room, this.options.batchSize),
          groupConcurrency: await this.host.concurrency(),
        });
      } catch (error) {
        if (this.stopping) break;
        this.host.logError('fetching run jobs failed', error);
        await this.idle(this.options.pollIntervalMs);
        continue;
      }
      if (jobs.length === 0) {
        await this.idle(this.options.pollIntervalMs);
        continue;
      }
      try {
        await this.startBatch(jobs);
      } catch (error) {
        this.host.logError('claiming runs failed', error);
        // The jobs stay active until pg-boss expires them; the reaper resends their runs.
      }
    }
  }

  private nudge(): void {
    if (this.wake) this.wake();
    else this.woken = true;
  }

  /** Waits for a poll interval, a local enqueue, or a free slot — whichever comes first. */
  private idle(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async startBatch(jobs: readonly { id: string; data: RunJob }[]): Promise<void> {
    const jobOf = new Map(jobs.map((job) => [job.data.runId, job.id]));
    const claimed = await claimRuns(this.orm.em.fork(), [...jobOf.keys()], this.id);
    const claimedIds = new Set(claimed.map((r) => r.id));
    // A job whose run is not QUEUED any more (cancelled, or delivered twice) has nothing to do.
    const idle = jobs.filter((j) => !claimedIds.has(j.data.runId)).map((j) => j.id);
    if (idle.length > 0) await this.queue.boss.complete(runQueueName, idle);
    await this.loadDocuments(claimed);
    for (const run of claimed) this.launch(run, jobOf.get(run.id) ?? null);
  }

  private async loadDocuments(runs: readonly ClaimedRun[]): Promise<void> {
    const missing = [
      ...new Set(
        runs
          .map((r) => r.flow_version_id)
          .filter((id): id is string => id !== null && !this.documents.has(id)),
      ),
    ];
    if (missing.length === 0) return;
    for (const [id, document] of await loadVersionDocuments(this.orm.em.fork(), missing)) {
      if (this.documents.size > 500) this.documents.clear();
      this.documents.set(id, document);
    }
  }

  /** Runs a claimed run in the background; `jobId` is its pg-boss job, if it came as one. */
  private launch(run: ClaimedRun, jobId: string | null): void {
    const controller = new AbortController();
    this.active.set(run.id, { controller, workspaceId: run.workspace_id });
    void this.execute(run, controller).then(
      (finished) => this.finish(finished, jobId),
      (error) => {
        this.host.logError('a run crashed', error, { runId: run.id });
        return this.finish(
          {
            id: run.id,
            status: 'FAILED',
            steps: run.steps,
            recordsDropped: 0,
            error: { code: 'internal_error', message: 'The run stopped on an internal error.' },
          },
          jobId,
        );
      },
    );
  }

  /**
   * The sync-webhook fast path: when this worker has room (and the workspace is under its
   * cap here), the delivery is stored as a run already RUNNING here — quota taken in the same
   * statement — and starts at once, with no job to send and fetch. A caller waits on this
   * process anyway; should it die, the reaper ends the run `worker_lost`. Answers null when
   * the fast path does not apply (the caller then takes the queue).
   */
  async acceptAndRun(delivery: {
    runId: string;
    flowId: string;
    secret: string;
    payload: unknown;
    workspaceId: string;
    quotaLimit: number;
  }): Promise<string | null> {
    if (this.stopping || this.active.size >= this.options.maxConcurrent) return null;
    const caps = await this.host.concurrency();
    const cap = caps.tiers[delivery.workspaceId] ?? caps.default;
    let mine = 0;
    for (const run of this.active.values()) if (run.workspaceId === delivery.workspaceId) mine++;
    if (mine >= cap) return null;
    const claimed = await insertRunningWebhookRun(this.orm.em.fork(), {
      ...delivery,
      workerId: this.id,
      concurrencyCap: cap,
    });
    if (!claimed) return null;
    await this.loadDocuments([claimed]);
    this.launch(claimed, null);
    return claimed.id;
  }

  private async finish(run: FinishedRun, jobId: string | null): Promise<void> {
    try {
      await this.settle.push({ run, jobId });
      this.events.emit(run.id, { type: 'finished', status: run.status, error: run.error });
    } catch (error) {
      // The heartbeat stops with the run: the reaper will finish it.
      this.host.logError('saving a run outcome failed', error, { runId: run.id });
    } finally {
      this.active.delete(run.id);
      this.nudge();
    }
  }

  private async execute(run: ClaimedRun, controller: AbortController): Promise<FinishedRun> {
    this.events.emit(run.id, { type: 'started' });
    const flow = run.flow_version_id
      ? this.documents.get(run.flow_version_id)
      : (run.draft_document ?? undefined);
    const limits = { ...defaultEngineLimits, ...this.options.engineLimits };
    const failed = (code: string, message: string, steps: StepRecord[] = []): FinishedRun => ({
      id: run.id,
      status: 'FAILED',
      steps,
      recordsDropped: 0,
      error: { code, message },
    });
    if (!flow) return failed('flow_version_missing', 'The version of the flow to run is gone.');
    if (flow.trigger.type !== 'PLUGIN_TRIGGER') {
      return failed('flow_has_no_trigger', 'The flow has no trigger.');
    }
    const timer = setTimeout(
      () => controller.abort(new RunAbort('TIMED_OUT')),
      this.options.runTimeoutMs,
    );
    timer.unref();
    let answered: WebhookReplyRecord | null = null;
    const respond = (reply: WebhookReplyRecord) => {
      answered ??= reply;
      // The caller waits in this process: hand the answer over; else through the database.
      const local = this.events.isFollowed(run.id);
      this.events.emit(run.id, { type: 'response', response: reply });
      if (run.response_mode === 'sync' && !local) {
        void saveResponse(this.orm.em.fork(), run.id, reply).catch((error) =>
          this.host.logError('saving a webhook response failed', error, { runId: run.id }),
        );
      }
    };
    try {
      const prepared = await this.host.prepare(run, flow, { respond });
      const startedAt = new Date();
      let event: unknown;
      // A resumed run keeps its trigger record; its event is made again from the delivery.
      let resumed = run.resume_from ? run.steps.find((s) => s.name === 'trigger') : undefined;
      if (run.payload_is_event) {
        event = run.trigger_payload;
      } else {
        let events: unknown[];
        try {
          events = await prepared.triggerEvents(controller.signal);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return failed('trigger_failed', message.slice(0, 500), [
            triggerRecord(flow, startedAt, 'FAILED', run.trigger_payload, undefined, limits),
          ]);
        }
        if (events.length === 0) {
          return {
            id: run.id,
            status: 'SKIPPED',
            steps: [triggerRecord(flow, startedAt, 'SUCCEEDED', run.trigger_payload, [], limits)],
            recordsDropped: 0,
            error: null,
          };
        }
        event = events[0];
        // Only the delivery's first attempt starts runs for its other events (no duplicates on retry).
        if (events.length > 1 && run.attempt === 1) await this.spawnRuns(run, events.slice(1));
      }
      resumed ??= triggerRecord(flow, startedAt, 'SUCCEEDED', run.trigger_payload, event, limits);
      // Throttled with a trailing save: a step that runs long is visible (and its record is
      // there for the reaper) about a second after it starts, not only when it ends.
      let lastSaved = Date.now();
      let saveTimer: NodeJS.Timeout | undefined;
      let latest: readonly StepRecord[] | null = null;
      const saveLatest = () => {
        saveTimer = undefined;
        if (!latest) return;
        const steps = latest;
        latest = null;
        lastSaved = Date.now();
        void saveProgress(this.orm.em.fork(), run.id, steps).catch(() => {});
      };
      const outcome: EngineOutcome = await executeFlow({
        flow,
        triggerOutput: event,
        triggerRecord: resumed,
        executor: prepared.executor,
        signal: controller.signal,
        limits,
        ...(run.resume_from ? { resume: { fromStep: run.resume_from, previous: run.steps } } : {}),
        onProgress: (steps) => {
          this.events.emit(run.id, { type: 'progress', steps });
          latest = steps;
          saveTimer ??= setTimeout(
            saveLatest,
            Math.max(0, lastSaved + this.options.progressEveryMs - Date.now()),
          );
        },
      });
      clearTimeout(saveTimer);
      return {
        id: run.id,
        status: outcome.status,
        steps: outcome.records,
        recordsDropped: outcome.recordsDropped,
        error: outcome.error ?? null,
        response: answered,
      };
    } catch (error) {
      if (controller.signal.reason instanceof RunAbort) {
        const abort = controller.signal.reason;
        return { ...failed(abort.kind, abort.message), status: abort.kind };
      }
      const message = error instanceof Error ? error.message : String(error);
      const code = (error as { code?: unknown }).code;
      return failed(typeof code === 'string' ? code : 'run_failed', message.slice(0, 500));
    } finally {
      clearTimeout(timer);
    }
  }

  /** A delivery the trigger split into several events: one more run per extra event. */
  private async spawnRuns(run: ClaimedRun, events: unknown[]): Promise<void> {
    const em = this.orm.em.fork();
    const queued = [];
    const limit = await this.host.runQuota(run.workspace_id);
    for (const event of events) {
      try {
        await consumeQuota(em, {
          workspaceId: run.workspace_id,
          quota: 'flow_runs_per_day',
          amount: 1,
          limit,
        });
      } catch (error) {
        if (!(error instanceof QuotaExceededError)) throw error;
        this.host.logError('the daily run quota stopped a delivery’s further events', error, {
          runId: run.id,
          dropped: events.length - queued.length,
        });
        break;
      }
      queued.push(
        await insertRun(em, {
          workspaceId: run.workspace_id,
          flowId: run.flow_id,
          source: run.flow_version_id
            ? { versionId: run.flow_version_id }
            : { draft: run.draft_document as Flow },
          triggerKind: run.trigger_kind,
          payload: event,
          payloadIsEvent: true,
        }),
      );
    }
    await this.queue.enqueue(queued);
  }

  private async heartbeat(): Promise<void> {
    if (this.active.size === 0) return;
    try {
      const cancelled = await heartbeatRuns(this.orm.em.fork(), [...this.active.keys()]);
      for (const id of cancelled) this.cancelLocal(id);
    } catch (error) {
      this.host.logError('run heartbeat failed', error);
    }
  }

  private reaps = 0;

  /**
   * Finishes abandoned runs, resends lost jobs, and deletes runs past their retention — and,
   * every 20th time (about every 5 minutes), the oldest runs of workspaces over their storage.
   */
  async reap(
    options: { storage?: boolean } = {},
  ): Promise<{ reaped: string[]; resent: number; deleted: number; pruned: number }> {
    try {
      const em = this.orm.em.fork();
      const reaped = await reapStaleRuns(em, this.options.staleAfterSeconds);
      for (const id of reaped) {
        this.events.emit(id, {
          type: 'finished',
          status: 'FAILED',
          error: { code: 'worker_lost', message: 'The worker running this run stopped.' },
        });
      }
      const lost = await runsWithLostJobs(em, 60, runQueueName);
      await this.queue.enqueue(lost);
      const deleted = await deleteExpiredRuns(em, await this.host.retentionDays());
      const storage = options.storage ?? this.reaps++ % 20 === 0;
      const pruned = storage ? await enforceRunStorage(em, await this.host.runStorage()) : 0;
      return { reaped, resent: lost.length, deleted, pruned };
    } catch (error) {
      this.host.logError('run reaper failed', error);
      return { reaped: [], resent: 0, deleted: 0, pruned: 0 };
    }
  }
}

function triggerRecord(
  flow: Flow,
  startedAt: Date,
  status: 'SUCCEEDED' | 'FAILED',
  delivery: unknown,
  output: unknown,
  limits: EngineLimits,
): StepRecord {
  const finishedAt = new Date();
  return {
    name: 'trigger',
    displayName: flow.trigger.displayName,
    type: 'TRIGGER',
    status,
    // Deliveries carry the sender's headers: credentials and signatures are masked here.
    input: limitForRecord(scrub(delivery), limits.maxRecordedBytes),
    ...(output === undefined
      ? {}
      : { output: limitForRecord(scrub(output), limits.maxRecordedBytes) }),
    attempts: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
  };
}
