import {
  authForPlugin,
  type Connections,
  type EntityManager,
  inTenantScope,
  needsRefresh,
  refreshOAuth2Tokens,
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
