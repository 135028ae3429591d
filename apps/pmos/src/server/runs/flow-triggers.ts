import { createHash } from 'node:crypto';
import {
  type Connections,
  consumeQuota,
  insertRun,
  type MikroORM,
  type QueuedRun,
  type RateLimiter,
  type RunQueue,
  type TriggerJob,
  triggerQueueName,
} from '@pmos/core';
import type { Flow } from '@pmos/flow';
import { parseProps } from '@pmos/sdk/server';
import type { FastifyBaseLogger } from 'fastify';
import type { PluginHost } from '../plugins/plugin-host.js';
import { pluginTriggerEvents, triggerOf, workspaceRunFacts } from './run-host.js';
import { TriggerLifecycle } from './trigger-lifecycle.js';

interface FlowState {
  workspace_id: string;
  status: 'ENABLED' | 'DISABLED';
  document: Flow | null;
  webhook_secret: string;
}

/**
 * What starts flows besides webhooks and people: an enabled, published flow's trigger is
 * turned on (its `onEnable`, see TriggerLifecycle); a schedule or polling trigger then gets a
 * pg-boss cron schedule (key = flow id) on the trigger queue; each firing becomes a run
 * (schedule) or a poll whose new events — never seen before by this flow — become runs.
 */
export class FlowTriggers {
  readonly lifecycle: TriggerLifecycle;
  private stopping = false;
  private reconciling: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      orm: MikroORM;
      queue: RunQueue;
      plugins: PluginHost;
      connections: Connections;
      rateLimiter: RateLimiter;
      logger: FastifyBaseLogger;
    },
  ) {
    this.lifecycle = new TriggerLifecycle(deps);
  }

  private async state(flowId: string): Promise<FlowState | null> {
    const [row] = await this.deps.orm.em
      .fork()
      .getConnection()
      .execute<FlowState[]>(
        `select f.workspace_id, f.status, f.webhook_secret, v.document from flow f
         left join flow_version v on v.id = f.published_version_id where f.id = ?`,
        [flowId],
      );
    return row ?? null;
  }

  /**
   * Brings the flow's trigger and schedule in line with its state (call after enable,
   * disable, publish, delete — once committed).
   */
  async sync(workspaceId: string, flowId: string): Promise<void> {
    const { boss } = this.deps.queue;
    const state = await this.state(flowId);
    const document = state?.status === 'ENABLED' ? state.document : null;
    const wanted =
      state && document?.trigger.type === 'PLUGIN_TRIGGER'
        ? { settings: document.trigger.settings, webhookSecret: state.webhook_secret }
        : null;
    const on = await this.lifecycle.sync(workspaceId, flowId, wanted, state === null);
    const timing = on && document ? this.timing(document) : null;
    if (!timing) {
      await boss.unschedule(triggerQueueName, flowId);
      return;
    }
    await boss.schedule(
      triggerQueueName,
      timing.cron,
      { flowId, workspaceId } satisfies TriggerJob,
      {
        tz: timing.timezone,
        key: flowId,
      },
    );
  }

  /**
   * Brings every flow whose trigger state disagrees with it in line: flows on without a
   * turned-on trigger (turned on before PMOS called `onEnable`, or a process that stopped
   * between a commit and its sync) and triggers still on for flows that are off or gone.
   * Failed triggers wait for a person's next change. Returns how many flows it synced.
   */
  async reconcile(limit = 500): Promise<number> {
    if (this.stopping) return 0;
    const rows = await this.deps.orm.em
      .fork()
      .getConnection()
      .execute<{ workspace_id: string; flow_id: string }[]>(
        `select f.workspace_id, f.id as flow_id from flow f
          where f.status = 'ENABLED' and f.published_version_id is not null
            and not exists (select 1 from flow_trigger_state s where s.flow_id = f.id)
         union all
         select s.workspace_id, s.flow_id from flow_trigger_state s
          where s.status = 'enabled' and not exists (
            select 1 from flow f where f.id = s.flow_id
              and f.status = 'ENABLED' and f.published_version_id is not null)
         limit ?`,
        [limit],
      );
    for (const row of rows) {
      if (this.stopping) break;
      await this.sync(row.workspace_id, row.flow_id).catch((error) =>
        this.deps.logger.error({ err: error, flowId: row.flow_id }, 'a flow trigger sync failed'),
      );
    }
    return rows.length;
  }

  /**
   * After a plugin is enabled or disabled in a workspace (or, `workspaceId` null, offered or
   * withdrawn on the instance): the flows whose trigger is the plugin's are synced — disabled,
   * their triggers are turned off (and show why they are not on); enabled again, turned back on.
   */
  async syncPlugin(workspaceId: string | null, pluginId: string): Promise<void> {
    const rows = await this.deps.orm.em
      .fork()
      .getConnection()
      .execute<{ id: string; workspace_id: string }[]>(
        `select f.id, f.workspace_id from flow f
           left join flow_version v on v.id = f.published_version_id
          where (?::uuid is null or f.workspace_id = ?::uuid) and (
            exists (select 1 from flow_trigger_state s where s.flow_id = f.id and s.plugin_id = ?)
            or (f.status = 'ENABLED' and v.document #>> '{trigger,settings,pluginId}' = ?))`,
        [workspaceId, workspaceId, pluginId, pluginId],
      );
    for (const row of rows) {
      await this.sync(row.workspace_id, row.id).catch((error) =>
        this.deps.logger.error({ err: error, flowId: row.id }, 'a flow trigger sync failed'),
      );
    }
  }

  /** `reconcile` in the background (at start): its outcome is logged. */
  reconcileInBackground(): void {
    this.reconciling = this.reconcile()
      .then((synced) => {
        if (synced > 0) this.deps.logger.info({ synced }, 'flow triggers brought in line');
      })
      .catch((error) => this.deps.logger.error({ err: error }, 'reconciling flow triggers failed'));
  }

  /** Stops reconciling (after the flow at hand) and waits for it. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.reconciling;
  }

  private timing(document: Flow): { cron: string; timezone: string } | null {
    const found = triggerOf(this.deps.plugins, document);
    if (!found || document.trigger.type !== 'PLUGIN_TRIGGER') return null;
    const { trigger } = found;
    if (trigger.strategy === 'schedule' && trigger.schedule) {
      const { auth: _auth, ...input } = document.trigger.settings.input;
      return trigger.schedule(parseProps(trigger.props, input) as never);
    }
    if (trigger.strategy === 'polling') {
      const minutes = Math.max(1, Math.round(trigger.pollingIntervalMinutes ?? 5));
      // Cron steps stop at 59 minutes: longer intervals poll every N hours (rounded up).
      const cron =
        minutes === 1
          ? '* * * * *'
          : minutes < 60
            ? `*/${minutes} * * * *`
            : `0 */${Math.min(23, Math.ceil(minutes / 60))} * * *`;
      return { cron, timezone: 'UTC' };
    }
    return null;
  }

  /** Handles the trigger queue's jobs in this process. */
  async start(): Promise<void> {
    await this.deps.queue.boss.work<TriggerJob>(
      triggerQueueName,
      { batchSize: 10, pollingIntervalSeconds: 1 },
      async (jobs) => {
        for (const job of jobs) {
          await this.fire(job.data).catch((error) =>
            this.deps.logger.error(
              { err: error, flowId: job.data.flowId },
              'a flow trigger failed',
            ),
          );
        }
      },
    );
  }

  /** One firing: a schedule's run, or a poll's new events as runs. Returns the runs queued. */
  async fire(job: TriggerJob): Promise<QueuedRun[]> {
    const state = await this.state(job.flowId);
    if (state?.status !== 'ENABLED' || !state.document) {
      await this.deps.queue.boss.unschedule(triggerQueueName, job.flowId);
      return [];
    }
    const document = state.document;
    const found = triggerOf(this.deps.plugins, document);
    if (!found) return [];
    const versionRows = await this.deps.orm.em
      .fork()
      .getConnection()
      .execute<{ published_version_id: string }[]>(
        'select published_version_id from flow where id = ?',
        [job.flowId],
      );
    const versionId = versionRows[0]?.published_version_id;
    if (!versionId) return [];
    let payloads: { payload: unknown; isEvent: boolean; key?: string }[];
    if (found.trigger.strategy === 'polling') {
      const facts = await workspaceRunFacts(this.deps.orm, this.deps.plugins, job.workspaceId);
      const events = await pluginTriggerEvents({
        ...this.deps,
        workspace: { id: job.workspaceId, name: facts.name },
        enabled: facts.enabled,
        flowId: job.flowId,
        flow: document,
        payload: undefined,
        run: { id: null, flowId: job.flowId, stepName: 'trigger', respond() {} },
      });
      const fresh = await this.unseen(job, events, found.trigger.dedupeKey);
      payloads = fresh.map(({ event, key }) => ({ payload: event, isEvent: true, key }));
    } else {
      payloads = [{ payload: { firedAt: new Date().toISOString() }, isEvent: false }];
    }
    const em = this.deps.orm.em.fork();
    const queued: QueuedRun[] = [];
    const limit = await this.deps.rateLimiter.limitFor(
      'flow_runs_per_day',
      `workspace:${job.workspaceId}`,
    );
    for (const [index, { payload, isEvent }] of payloads.entries()) {
      try {
        await consumeQuota(em, {
          workspaceId: job.workspaceId,
          quota: 'flow_runs_per_day',
          amount: 1,
          limit,
        });
      } catch (error) {
        // Over the quota: the polled events not run yet are forgotten, so a later poll takes them.
        const unrun = payloads.slice(index).flatMap((p) => (p.key ? [p.key] : []));
        if (unrun.length > 0) await this.forget(job.flowId, unrun);
        await this.deps.queue.enqueue(queued);
        throw error;
      }
      queued.push(
        await insertRun(em, {
          workspaceId: job.workspaceId,
          flowId: job.flowId,
          source: { versionId },
          triggerKind: found.trigger.strategy === 'polling' ? 'polling' : 'schedule',
          payload,
          payloadIsEvent: isEvent,
        }),
      );
    }
    await this.deps.queue.enqueue(queued);
    return queued;
  }

  /** The events this flow has not turned into runs before (by the trigger's key, or a hash). */
  private async unseen(
    job: TriggerJob,
    events: unknown[],
    keyOf?: (event: never) => string,
  ): Promise<{ event: unknown; key: string }[]> {
    if (events.length === 0) return [];
    const keyed = events.map((event) => ({
      event,
      key: keyOf
        ? String(keyOf(event as never))
        : createHash('sha256')
            .update(JSON.stringify(event) ?? 'null')
            .digest('hex'),
    }));
    const rows = await this.deps.orm.em
      .fork()
      .getConnection()
      .execute<{ dedupe_key: string }[]>(
        `insert into flow_trigger_seen (workspace_id, flow_id, dedupe_key)
         select ?, ?, value from jsonb_array_elements_text(?::jsonb)
         on conflict do nothing returning dedupe_key`,
        [job.workspaceId, job.flowId, JSON.stringify(keyed.map((k) => k.key))],
      );
    const fresh = new Set(rows.map((r) => r.dedupe_key));
    const seen = new Set<string>();
    return keyed.filter((k) => fresh.has(k.key) && !seen.has(k.key) && seen.add(k.key));
  }

  private async forget(flowId: string, keys: string[]): Promise<void> {
    await this.deps.orm.em
      .fork()
      .getConnection()
      .execute(
        `delete from flow_trigger_seen where flow_id = ?
           and dedupe_key in (select value from jsonb_array_elements_text(?::jsonb))`,
        [flowId, JSON.stringify(keys)],
      );
  }
}
