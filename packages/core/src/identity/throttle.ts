import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../db/sql.js';
import { IdentityError } from './errors.js';

/**
 * Sign-in throttling, per account and per client IP, kept in the database so every PMOS
 * process sees the same counts. After `threshold` failures the key is locked, for 30 s
 * at first and twice as long after each further failure, up to an hour. Failures older
 * than an hour are forgotten.
 */
export const throttlePolicy = {
  account: { threshold: 5 },
  ip: { threshold: 30 },
  firstLockSeconds: 30,
  maxLockSeconds: 3600,
} as const;

export type ThrottleKey = { kind: 'account' | 'ip'; value: string };

const keyOf = (key: ThrottleKey) => `${key.kind}:${key.value}`;

/** Throws `too_many_attempts` (with the wait in seconds) if any key is locked now. */
export async function assertNotLocked(em: EntityManager, keys: ThrottleKey[]): Promise<void> {
  const rows = await sql<{ wait: number }>(
    em,
    `select ceil(extract(epoch from (locked_until - now())))::int as wait
     from auth_throttle where key in (?) and locked_until > now()
     order by locked_until desc limit 1`,
    [keys.map(keyOf)],
  );
  const wait = rows[0]?.wait;
  if (wait !== undefined) {
    throw new IdentityError('too_many_attempts', {
      message: `Too many sign-in attempts. Try again in ${describeWait(wait)}.`,
      details: { retryAfterSeconds: Math.max(1, wait) },
    });
  }
}

/** Counts one failure; returns the keys that became locked by it, with their lock length. */
export async function recordFailure(
  em: EntityManager,
  keys: ThrottleKey[],
): Promise<{ key: ThrottleKey; lockSeconds: number }[]> {
  const locked: { key: ThrottleKey; lockSeconds: number }[] = [];
  for (const key of keys) {
    const [row] = await sql<{ failures: number }>(
      em,
      `insert into auth_throttle (key, failures, updated_at) values (?, 1, now())
       on conflict (key) do update set
         failures = case when auth_throttle.updated_at < now() - interval '1 hour'
                      then 1 else auth_throttle.failures + 1 end,
         updated_at = now()
       returning failures`,
      [keyOf(key)],
    );
    const threshold = throttlePolicy[key.kind].threshold;
    const failures = row?.failures ?? 0;
    if (failures >= threshold) {
      const lockSeconds = Math.min(
        throttlePolicy.firstLockSeconds * 2 ** (failures - threshold),
        throttlePolicy.maxLockSeconds,
      );
      await sql(
        em,
        `update auth_throttle set locked_until = now() + make_interval(secs => ?) where key = ?`,
        [lockSeconds, keyOf(key)],
      );
      locked.push({ key, lockSeconds });
    }
  }
  return locked;
}

/** A successful sign-in clears the account's count (not the IP's: one good password proves little). */
export async function clearFailures(em: EntityManager, key: ThrottleKey): Promise<void> {
  await sql(em, 'delete from auth_throttle where key = ?', [keyOf(key)]);
}

function describeWait(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, seconds)} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
