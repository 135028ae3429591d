import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../db/sql.js';

export const tenantRole = 'pmos_tenant';

/**
 * Narrows the current transaction to one workspace: from here on it runs as `pmos_tenant`,
 * and row-level security shows and accepts only that workspace's rows. Both settings are
 * LOCAL, so they end with the transaction (and never leak to the pooled connection).
 */
export async function enterTenantScope(em: EntityManager, workspaceId: string): Promise<void> {
  if (!em.getTransactionContext()) {
    throw new Error('enterTenantScope needs a transaction: SET LOCAL would not last');
  }
  await sql(em, `select set_config('pmos.workspace_id', ?, true)`, [workspaceId]);
  await sql(em, `set local role ${tenantRole}`);
}

/** Runs `work` in a transaction scoped to one workspace (see enterTenantScope). */
export function inTenantScope<T>(
  em: EntityManager,
  workspaceId: string,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  return em.fork().transactional(async (tx) => {
    await enterTenantScope(tx, workspaceId);
    return work(tx);
  });
}
