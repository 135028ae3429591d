import { type Connections, type EntityManager, isPmosError, type MikroORM, sql } from '@pmos/core';
import type { FastifyBaseLogger } from 'fastify';
import type { PluginHost } from '../plugins/plugin-host.js';
import { pluginTriggerHook, type TriggerSettings, workspaceRunFacts } from './run-host.js';

interface StateRow {
  plugin_id: string;
  connector_id: string;
  trigger_id: string;
  input: Record<string, unknown>;
  status: 'enabled' | 'failed';
  same_input: boolean;
}

/** What a flow's trigger should be now: its published trigger while the flow is on. */
export interface WantedTrigger {
  settings: TriggerSettings;
  /** The flow's webhook secret: a webhook trigger's `onEnable` is told its URL. */
  webhookSecret: string;
}

type WorkspaceFacts = Awaited<ReturnType<typeof workspaceRunFacts>>;

/**
 * The automations whose trigger, turned on, uses a connection: deleting it would leave their
 * triggers on at their service with no way to turn them off.
 */
export async function flowsTriggeredThrough(
  em: EntityManager,
  workspaceId: string,
  connectionId: string,
): Promise<{ id: string; displayName: string }[]> {
  const rows = await sql<{ id: string; display_name: string }>(
    em,
    `select f.id, f.display_name from flow_trigger_state s join flow f on f.id = s.flow_id
      where s.workspace_id = ? and s.status = 'enabled'
        and (s.input->>'auth' = ? or s.input->>'auth' like ?)
      order by f.display_name`,
    [workspaceId, connectionId, `%connections['${connectionId}']%`],
  );
  return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
}

/** Why a trigger could not be turned on, as the flow shows it. */
export interface TriggerProblem {
  code: string;
  message: string;
}

/**
 * Calls a trigger's `onEnable` when a flow starts using it (published and turned on) and
 * `onDisable` when it stops (turned off, republished with another trigger or other inputs,
 * deleted), so a trigger can register its webhook with its service or reset its cursor.
 * What was turned on is kept in `flow_trigger_state`, past the flow's deletion; a failed
 * `onEnable` is kept with its error, and the next change of the flow tries again.
 */
export class TriggerLifecycle {
  private webhookBase: string | null = null;

  constructor(
    private readonly deps: {
      orm: MikroORM;
      plugins: PluginHost;
      connections: Connections;
      logger: FastifyBaseLogger;
    },
  ) {}

  /** Where this server is reached from outside: webhook triggers are told their URL under it. */
  listensAt(publicUrl: string): void {
    this.webhookBase = publicUrl.replace(/\/+$/, '');
  }

  /**
   * Brings the flow's trigger in line with `wanted` (null: nothing should be on; `gone`: the
   * flow was deleted, so what its plugins kept for it goes too). Returns whether the wanted
   * trigger is on. One flow at a time, across processes (an advisory lock).
   */
  async sync(
    workspaceId: string,
    flowId: string,
    wanted: WantedTrigger | null,
    gone = false,
  ): Promise<boolean> {
    return this.deps.orm.em.fork().transactional(async (tx) => {
      await sql(tx, 'select pg_advisory_xact_lock(hashtextextended(?, 7))', [flowId]);
      const [current] = await sql<StateRow>(
        tx,
        `select plugin_id, connector_id, trigger_id, input, status,
           input = ?::jsonb as same_input
         from flow_trigger_state where flow_id = ?`,
        [JSON.stringify(wanted?.settings.input ?? null), flowId],
      );
      const same =
        current !== undefined &&
        wanted !== null &&
        current.same_input &&
        current.plugin_id === wanted.settings.pluginId &&
        current.connector_id === wanted.settings.connectorId &&
        current.trigger_id === wanted.settings.triggerId;
      // The same trigger stays on while its plugin is enabled here; once it is not, it is
      // turned off, and turning it on again says why it cannot be.
      const facts = await workspaceRunFacts(this.deps.orm, this.deps.plugins, workspaceId);
      if (same && current.status === 'enabled' && facts.enabled.has(current.plugin_id)) {
        return true;
      }
      if (current) {
        if (current.status === 'enabled') await this.disable(workspaceId, flowId, current, facts);
        await sql(tx, 'delete from flow_trigger_state where flow_id = ?', [flowId]);
      }
      if (gone) {
        await sql(tx, `delete from plugin_store where scope = 'flow' and scope_id = ?`, [flowId]);
      }
      if (!wanted) return false;
      const problem = await this.enable(workspaceId, flowId, wanted, facts);
      await sql(
        tx,
        `insert into flow_trigger_state
           (flow_id, workspace_id, plugin_id, connector_id, trigger_id, input, status, error)
         values (?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb)`,
        [
          flowId,
          workspaceId,
          wanted.settings.pluginId,
          wanted.settings.connectorId,
          wanted.settings.triggerId,
          JSON.stringify(wanted.settings.input),
          problem ? 'failed' : 'enabled',
          problem ? JSON.stringify(problem) : null,
        ],
      );
      return problem === null;
    });
  }

  private async enable(
    workspaceId: string,
    flowId: string,
    wanted: WantedTrigger,
    facts: WorkspaceFacts,
  ): Promise<TriggerProblem | null> {
    try {
      await pluginTriggerHook('onEnable', {
        ...this.callInput(workspaceId, flowId, facts),
        settings: wanted.settings,
        ...(this.webhookBase
          ? { webhookUrl: `${this.webhookBase}/hooks/${flowId}/${wanted.webhookSecret}` }
          : {}),
      });
      return null;
    } catch (error) {
      this.deps.logger.warn({ err: error, flowId }, 'a flow trigger could not be turned on');
      return isPmosError(error)
        ? { code: error.code, message: error.message }
        : { code: 'trigger_enable_failed', message: 'The trigger could not be turned on.' };
    }
  }

  private async disable(
    workspaceId: string,
    flowId: string,
    current: StateRow,
    facts: WorkspaceFacts,
  ): Promise<void> {
    try {
      await pluginTriggerHook('onDisable', {
        ...this.callInput(workspaceId, flowId, facts),
        // Turning off is allowed even once the plugin is disabled here: that is when it is due.
        enabled: new Set([...facts.enabled, current.plugin_id]),
        settings: {
          pluginId: current.plugin_id,
          connectorId: current.connector_id,
          triggerId: current.trigger_id,
          input: current.input,
        },
      });
    } catch (error) {
      // Turning off never waits on the service: the flow stops starting runs either way.
      this.deps.logger.warn({ err: error, flowId }, 'a flow trigger could not be turned off');
    }
  }

  private callInput(workspaceId: string, flowId: string, facts: WorkspaceFacts) {
    return {
      ...this.deps,
      workspace: { id: workspaceId, name: facts.name },
      enabled: facts.enabled,
      flowId,
      run: { id: null, flowId, stepName: 'trigger', respond() {} },
    };
  }
}
