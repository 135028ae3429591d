import { type Connections, type EntityManager, inTenantScope, PluginError } from '@pmos/core';
import type { AuthDefinition } from '@pmos/sdk/server';
import { authForCall } from '../plugins/connection-auth.js';

/** `input.auth` names a connection by id, as is or as `{{connections['<id>']}}`. */
export function connectionIdOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^\s*\{\{\s*connections\[['"]([0-9a-f-]{36})['"]\]\s*\}\}\s*$/.exec(value);
  const id = match?.[1] ?? value.trim();
  return /^[0-9a-f-]{36}$/.test(id) ? id : null;
}

/**
 * The `ctx.auth` a plugin step gets: none for connectors without auth, else the connection its
 * `input.auth` names — of this plugin and connector, decrypted, OAuth2 tokens renewed.
 */
export async function stepAuth(input: {
  em: EntityManager;
  connections: Connections;
  fetch: typeof fetch;
  workspaceId: string;
  pluginId: string;
  /** The connector (or AI provider) the connection must belong to. */
  connector: { id: string; auth: AuthDefinition };
  reference: unknown;
}): Promise<unknown> {
  const { connector, workspaceId } = input;
  if (connector.auth.kind === 'none') return undefined;
  const connectionId = connectionIdOf(input.reference);
  if (!connectionId) throw new PluginError('connection_required');
  const revealed = await inTenantScope(input.em, workspaceId, (em) =>
    input.connections.revealForExecution(em, workspaceId, connectionId, connector.auth),
  );
  if (
    revealed.connection.pluginId !== input.pluginId ||
    revealed.connection.connectorId !== connector.id
  ) {
    throw new PluginError('connection_mismatch');
  }
  return authForCall({
    em: input.em,
    connections: input.connections,
    fetch: input.fetch,
    workspaceId,
    connectionId,
    auth: connector.auth,
    revealed,
  });
}
