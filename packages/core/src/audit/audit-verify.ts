import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../db/sql.js';

export interface ChainReport {
  chain: string;
  events: number;
  /** The first link that does not hold, or null when the whole chain verifies. */
  firstBroken: { seq: number; id: string; reason: string } | null;
}

/**
 * Recomputes every audit row's hash (with the same database function that wrote it) and
 * checks each row links to the one before it in its chain. A changed row, a removed row in
 * the middle of a chain, or rows reordered show up as the first broken link.
 */
export async function verifyAuditChains(em: EntityManager): Promise<ChainReport[]> {
  const rows = await sql<{
    chain: string;
    events: number;
    seq: number | null;
    id: string | null;
    reason: string | null;
  }>(
    em,
    `with checked as (
       select a.chain, a.chain_seq, a.id,
         case
           when a.chain <> coalesce(a.workspace_id::text, 'instance') then 'row moved to another chain'
           when a.chain_seq <> coalesce(lag(a.chain_seq) over w, 0) + 1 then 'a row is missing before this one'
           when a.prev_hash is distinct from lag(a.hash) over w then 'does not link to the row before it'
           when a.hash <> audit_event_digest(a) then 'contents were changed after it was written'
         end as reason
       from audit_event a
       window w as (partition by a.chain order by a.chain_seq)
     )
     select chain, count(*)::int as events,
       (array_agg(chain_seq order by chain_seq) filter (where reason is not null))[1]::int as seq,
       (array_agg(id order by chain_seq) filter (where reason is not null))[1]::text as id,
       (array_agg(reason order by chain_seq) filter (where reason is not null))[1] as reason
     from checked group by chain order by chain`,
  );
  return rows.map((row) => ({
    chain: row.chain,
    events: row.events,
    firstBroken:
      row.seq === null || row.reason === null
        ? null
        : { seq: row.seq, id: String(row.id), reason: row.reason },
  }));
}
