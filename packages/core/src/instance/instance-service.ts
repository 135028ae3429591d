import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DatabaseError, dbErrorCodes } from '../db/errors.js';
import { Instance, type InstanceRecord } from './instance.entity.js';

/**
 * Makes sure the database holds exactly one instance row. In embedded mode the row must
 * carry the id written in the data directory's marker: a mismatch means the database files
 * belong to another installation.
 */
export async function ensureInstance(
  em: EntityManager,
  expectedId?: string,
): Promise<InstanceRecord> {
  const existing = await em.findAll(Instance, { orderBy: { createdAt: 'asc' }, limit: 1 });
  const current = existing[0];
  if (current) {
    if (expectedId && current.id !== expectedId) {
      throw new DatabaseError(
        dbErrorCodes.dataDirForeign,
        `The database belongs to PMOS instance ${current.id}, but the data directory marker names ${expectedId}. Restore the matching pgdata/ folder.`,
      );
    }
    return current;
  }
  const created = em.create(Instance, { id: expectedId ?? randomUUID(), name: 'PMOS' });
  await em.flush();
  return created;
}
