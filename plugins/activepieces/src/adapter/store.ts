import type { KeyValueStore } from '@pmos/sdk/server';

/** Activepieces' `StoreScope`: PROJECT is "COLLECTION"; FLOW is the default. */
export type ApStoreScope = 'COLLECTION' | 'FLOW';

/**
 * The `store` a piece expects, over the plugin's durable `ctx.store`: PROJECT (COLLECTION)
 * scope is the workspace (shared by its flows, as by a project's), FLOW scope the flow. Keys
 * are shared by every piece of the workspace, as in an Activepieces project. A missing key
 * reads as null, and `put` answers the value, as Activepieces does.
 */
export function pieceStore(store: KeyValueStore) {
  const scopeOf = (scope?: string) =>
    scope === 'COLLECTION' || scope === 'PROJECT' ? 'workspace' : 'flow';
  return {
    async put<T>(key: string, value: T, scope?: ApStoreScope): Promise<T> {
      await store.put(key, value, scopeOf(scope));
      return value;
    },
    async get<T>(key: string, scope?: ApStoreScope): Promise<T | null> {
      const value = await store.get<T>(key, scopeOf(scope));
      return value === undefined ? null : value;
    },
    async delete(key: string, scope?: ApStoreScope): Promise<void> {
      await store.delete(key, scopeOf(scope));
    },
  };
}
