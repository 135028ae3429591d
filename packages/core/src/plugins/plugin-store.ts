import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeyValueStore } from '@pmos/sdk/server';
import { sql } from '../db/sql.js';
import { PluginError } from './errors.js';

/** The largest value one key may hold (as JSON): a store is for cursors and state, not files. */
export const maxStoredValueBytes = 256 * 1024;

/**
 * A plugin's `ctx.store` for one run: keys are private to the plugin and the workspace;
 * scope `flow` (the default) is private to the flow too, `workspace` is shared by its flows.
 * Values are JSON, so what comes back is a copy.
 */
export function pluginStore(
  em: EntityManager,
  owner: { workspaceId: string; pluginId: string; flowId?: string },
): KeyValueStore {
  const where = (scope: 'workspace' | 'flow' = 'flow') => {
    if (scope === 'flow' && !owner.flowId) {
      throw new PluginError('plugin_call_failed', {
        message: 'ctx.store with scope "flow" is only available while a flow runs.',
      });
    }
    return [owner.workspaceId, owner.pluginId, scope, scope === 'flow' ? owner.flowId : ''];
  };
  const checkKey = (key: string) => {
    if (typeof key !== 'string' || key.length === 0 || key.length > 200) {
      throw new PluginError('plugin_call_failed', {
        message: 'A store key is text of 1 to 200 characters.',
      });
    }
  };
  return {
    async get<T>(key: string, scope?: 'workspace' | 'flow') {
      checkKey(key);
      const [row] = await sql<{ value: T }>(
        em,
        `select value from plugin_store where workspace_id = ? and plugin_id = ? and scope = ?
           and scope_id = ? and key = ?`,
        [...where(scope), key],
      );
      return row?.value;
    },
    async put(key, value, scope) {
      checkKey(key);
      const json = JSON.stringify(value ?? null);
      if (Buffer.byteLength(json) > maxStoredValueBytes) {
        throw new PluginError('plugin_call_failed', {
          message: `A stored value may be at most ${maxStoredValueBytes / 1024} KB of JSON.`,
        });
      }
      await sql(
        em,
        `insert into plugin_store (workspace_id, plugin_id, scope, scope_id, key, value)
         values (?, ?, ?, ?, ?, ?::jsonb)
         on conflict (workspace_id, plugin_id, scope, scope_id, key)
         do update set value = excluded.value, updated_at = now()`,
        [...where(scope), key, json],
      );
    },
    async delete(key, scope) {
      checkKey(key);
      await sql(
        em,
        `delete from plugin_store where workspace_id = ? and plugin_id = ? and scope = ?
           and scope_id = ? and key = ?`,
        [...where(scope), key],
      );
    },
  };
}
