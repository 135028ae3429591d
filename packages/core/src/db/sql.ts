import type { EntityManager } from '@mikro-orm/postgresql';

/** Raw SQL on the entity manager's connection, inside its transaction when it has one. */
export function sql<T = Record<string, unknown>>(
  em: EntityManager,
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  return em.getConnection().execute<T[]>(query, params, 'all', em.getTransactionContext());
}
