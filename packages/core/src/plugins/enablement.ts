import type { EntityManager } from '@mikro-orm/postgresql';
import { type ActorContext, recordAudit } from '../audit/audit-log.js';
import { sql } from '../db/sql.js';
import { PluginError } from './errors.js';
import type { HostedPlugin, LoadedPlugin } from './loader.js';
import type { PluginRegistry } from './registry.js';

/**
 * Two switches decide whether a workspace can use a plugin: the super admin makes it
 * available on the instance, then a workspace admin enables it. First-party (bundled)
 * plugins are available until withdrawn; examples and installed plugins only once offered.
 */
export function availableByDefault(plugin: HostedPlugin): boolean {
  return plugin.source === 'bundled';
}

/**
 * Whether a workspace uses a plugin: its own switch, else on for bundled plugins whose
 * manifest asks for it (Core's steps work in every new workspace with no setup), off for the rest.
 */
export function isEnabledIn(
  plugin: HostedPlugin,
  state: WorkspacePluginState | undefined,
): boolean {
  return (
    state?.enabled ?? (plugin.source === 'bundled' && plugin.manifest?.enabledByDefault === true)
  );
}

export async function pluginAvailability(em: EntityManager): Promise<Map<string, boolean>> {
  const rows = await sql<{ plugin_id: string; available: boolean }>(
    em,
    'select plugin_id, available from plugin_availability',
  );
  return new Map(rows.map((r) => [r.plugin_id, r.available]));
}

export function isAvailable(plugin: HostedPlugin, availability: Map<string, boolean>): boolean {
  return plugin.status === 'loaded' && (availability.get(plugin.id) ?? availableByDefault(plugin));
}

export async function setPluginAvailability(
  em: EntityManager,
  registry: PluginRegistry,
  pluginId: string,
  available: boolean,
  actor: ActorContext,
): Promise<void> {
  const plugin = registry.get(pluginId);
  if (!plugin) throw new PluginError('plugin_not_found', { details: { pluginId } });
  if (available && plugin.status !== 'loaded') registry.require(pluginId); // explains why not
  await sql(
    em,
    `insert into plugin_availability (plugin_id, available, updated_by, updated_at)
     values (?, ?, ?, now())
     on conflict (plugin_id) do update set available = excluded.available,
       updated_by = excluded.updated_by, updated_at = now()`,
    [pluginId, available, actor.userId],
  );
  await recordAudit(em, actor, {
    action: available ? 'plugin.make_available' : 'plugin.withdraw',
    outcome: 'success',
    targetType: 'plugin',
    targetId: pluginId,
    metadata: { version: plugin.version },
  });
}

export async function countEnabledWorkspaces(em: EntityManager): Promise<Map<string, number>> {
  const rows = await sql<{ plugin_id: string; n: number }>(
    em,
    'select plugin_id, count(*)::int as n from workspace_plugin where enabled group by plugin_id',
  );
  return new Map(rows.map((r) => [r.plugin_id, r.n]));
}

export interface WorkspacePluginState {
  enabled: boolean;
  updatedAt: Date | null;
}

export async function workspacePluginStates(
  em: EntityManager,
  workspaceId: string,
): Promise<Map<string, WorkspacePluginState>> {
  const rows = await sql<{ plugin_id: string; enabled: boolean; updated_at: Date }>(
    em,
    'select plugin_id, enabled, updated_at from workspace_plugin where workspace_id = ?',
    [workspaceId],
  );
  return new Map(
    rows.map((r) => [r.plugin_id, { enabled: r.enabled, updatedAt: new Date(r.updated_at) }]),
  );
}

/** The plugins this workspace may use right now: available on the instance and enabled. */
export async function enabledPlugins(
  em: EntityManager,
  registry: PluginRegistry,
  workspaceId: string,
): Promise<LoadedPlugin[]> {
  const [availability, states] = await Promise.all([
    pluginAvailability(em),
    workspacePluginStates(em, workspaceId),
  ]);
  return registry
    .loaded()
    .filter((p) => isAvailable(p, availability) && isEnabledIn(p, states.get(p.id)));
}

/** The plugin, if this workspace may use it; otherwise `plugin_disabled` (or not found). */
export async function requireEnabledPlugin(
  em: EntityManager,
  registry: PluginRegistry,
  workspaceId: string,
  pluginId: string,
): Promise<LoadedPlugin> {
  const plugin = registry.get(pluginId);
  if (!plugin) throw new PluginError('plugin_not_found', { details: { pluginId } });
  const enabled = (await enabledPlugins(em, registry, workspaceId)).find((p) => p.id === pluginId);
  if (!enabled) throw new PluginError('plugin_disabled', { details: { pluginId } });
  return enabled;
}

export async function setWorkspacePluginEnabled(
  em: EntityManager,
  registry: PluginRegistry,
  workspaceId: string,
  pluginId: string,
  enabled: boolean,
  actor: ActorContext,
): Promise<WorkspacePluginState> {
  const plugin = registry.get(pluginId);
  if (!plugin) throw new PluginError('plugin_not_found', { details: { pluginId } });
  if (enabled) {
    registry.require(pluginId);
    if (!isAvailable(plugin, await pluginAvailability(em))) {
      throw new PluginError('plugin_unavailable', { details: { pluginId } });
    }
  }
  const [row] = await sql<{ updated_at: Date }>(
    em,
    `insert into workspace_plugin (workspace_id, plugin_id, enabled, updated_by, updated_at)
     values (?, ?, ?, ?, now())
     on conflict (workspace_id, plugin_id) do update set enabled = excluded.enabled,
       updated_by = excluded.updated_by, updated_at = now()
     returning updated_at`,
    [workspaceId, pluginId, enabled, actor.userId],
  );
  await recordAudit(em, actor, {
    action: enabled ? 'plugin.enable' : 'plugin.disable',
    outcome: 'success',
    workspaceId,
    targetType: 'plugin',
    targetId: pluginId,
    metadata: { version: plugin.version },
  });
  return { enabled, updatedAt: row ? new Date(row.updated_at) : null };
}
