import {
  authForPlugin,
  type Connections,
  type EntityManager,
  inTenantScope,
  needsRefresh,
  type PluginRegistry,
  refreshOAuth2Tokens,
  requireEnabledPlugin,
  type StoredOAuth2Value,
} from '@pmos/core';
import type { AuthDefinition } from '@pmos/sdk/server';

/**
 * The value `ctx.auth` gets for one call: decrypted already (`revealed`), with OAuth2 tokens
 * about to expire renewed first — outside any transaction — and sealed again.
 */
export async function authForCall(input: {
  em: EntityManager;
  connections: Connections;
  fetch: typeof fetch;
  workspaceId: string;
  connectionId: string;
  auth: AuthDefinition;
  revealed: { value: unknown };
}): Promise<unknown> {
  const { auth } = input;
  if (auth.kind !== 'oauth2') return authForPlugin(auth, input.revealed.value);
  let stored = input.revealed.value as StoredOAuth2Value;
  if (needsRefresh(stored)) {
    const renewed = await refreshOAuth2Tokens(input.fetch, auth, stored);
    await inTenantScope(input.em, input.workspaceId, (em) =>
      input.connections.replaceValue(
        em,
        input.workspaceId,
        input.connectionId,
        JSON.stringify(renewed),
      ),
    );
    stored = renewed;
  }
  return authForPlugin(auth, stored);
}

/**
 * A connection opened for one plugin call: the connection, its plugin (enabled in the
 * workspace), the connector or AI provider it belongs to, and the value `ctx.auth` gets. The
 * database work is one short tenant-scoped transaction; a token renewal happens after it.
 */
export async function openConnection(input: {
  em: EntityManager;
  registry: PluginRegistry;
  connections: Connections;
  fetch: typeof fetch;
  workspaceId: string;
  connectionId: string;
}) {
  const { workspaceId, connectionId } = input;
  const opened = await inTenantScope(input.em, workspaceId, async (em) => {
    const connection = await input.connections.get(em, workspaceId, connectionId);
    const plugin = await requireEnabledPlugin(em, input.registry, workspaceId, connection.pluginId);
    const owner = input.registry.authOwner(plugin, connection.connectorId);
    const revealed = await input.connections.revealForExecution(
      em,
      workspaceId,
      connectionId,
      owner.auth,
    );
    return { connection, plugin, owner, revealed };
  });
  const auth = await authForCall({ ...input, auth: opened.owner.auth, revealed: opened.revealed });
  return { connection: opened.connection, plugin: opened.plugin, owner: opened.owner, auth };
}
