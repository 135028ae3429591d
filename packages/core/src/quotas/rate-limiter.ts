import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { sql } from '../db/sql.js';
import { type LimitName, limitDefaults, listLimitOverrides } from './limits.js';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  used: number;
  resetsAt: Date;
}

interface WindowCount {
  windowStart: number;
  /** The shared count as last read from the database. */
  known: number;
  /** Counted here since the last flush. */
  pending: number;
}

const windowMs = 60_000;

/**
 * Requests per minute per subject, shared across PMOS processes through PostgreSQL without a
 * write per request: each process counts in memory and flushes its deltas (reading back the
 * shared totals) about once a second, so the limit holds to within about a second. A subject
 * new to this process in the current minute is read from the database first.
 */
export class RateLimiter {
  private readonly windows = new Map<string, WindowCount>();
  private overrides = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private lastOverrideLoad = 0;
  /** Rejections since start, by limit: exported as a metric. */
  readonly rejections = new Map<LimitName, number>();

  constructor(
    private readonly orm: MikroORM,
    private readonly options: { flushEveryMs?: number; overridesEveryMs?: number } = {},
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.flushEveryMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /**
   * The limit in force for a subject: its own override, else the global one, else the default.
   * Pass the caller's `em` when inside a transaction: with the single embedded connection, a
   * query on another connection would wait for that transaction forever.
   */
  async limitFor(name: LimitName, subject: string, em?: EntityManager): Promise<number> {
    if (Date.now() - this.lastOverrideLoad > (this.options.overridesEveryMs ?? 10_000)) {
      await this.reloadOverrides(em);
    }
    return (
      this.overrides.get(`${name}|${subject}`) ??
      this.overrides.get(`${name}|*`) ??
      limitDefaults[name]
    );
  }

  /**
   * A per-workspace limit for everyone at once: the default in force and each workspace's own
   * value (by workspace id) — what a worker needs to cap every workspace in one query.
   */
  async workspaceLimits(
    name: LimitName,
  ): Promise<{ default: number; tiers: Record<string, number> }> {
    const fallback = await this.limitFor(name, '*');
    const tiers: Record<string, number> = {};
    for (const [key, value] of this.overrides) {
      const [limit, subject] = key.split('|');
      if (limit === name && subject?.startsWith('workspace:')) {
        tiers[subject.slice('workspace:'.length)] = value;
      }
    }
    return { default: fallback, tiers };
  }

  async reloadOverrides(em: EntityManager = this.orm.em.fork()): Promise<void> {
    const overrides = await listLimitOverrides(em);
    this.overrides = new Map(overrides.map((o) => [`${o.limitName}|${o.subject}`, o.value]));
    this.lastOverrideLoad = Date.now();
  }

  async hit(name: LimitName, subject: string): Promise<RateDecision> {
    const limit = await this.limitFor(name, subject);
    const key = `${name}|${subject}`;
    const windowStart = Math.floor(Date.now() / windowMs) * windowMs;
    let window = this.windows.get(key);
    if (!window || window.windowStart !== windowStart) {
      window = { windowStart, known: await this.readShared(key, windowStart), pending: 0 };
      this.windows.set(key, window);
    }
    const used = window.known + window.pending;
    const resetsAt = new Date(windowStart + windowMs);
    if (used >= limit) {
      this.rejections.set(name, (this.rejections.get(name) ?? 0) + 1);
      return { allowed: false, limit, used, resetsAt };
    }
    window.pending++;
    return { allowed: true, limit, used: used + 1, resetsAt };
  }

  /** Current usage of a subject, without counting a request (see limitFor about `em`). */
  async usage(
    name: LimitName,
    subject: string,
    em?: EntityManager,
  ): Promise<Omit<RateDecision, 'allowed'>> {
    const limit = await this.limitFor(name, subject, em);
    const windowStart = Math.floor(Date.now() / windowMs) * windowMs;
    const key = `${name}|${subject}`;
    const local = this.windows.get(key);
    const used =
      local && local.windowStart === windowStart
        ? local.known + local.pending
        : await this.readShared(key, windowStart, em);
    return { limit, used, resetsAt: new Date(windowStart + windowMs) };
  }

  private async readShared(
    key: string,
    windowStart: number,
    em: EntityManager = this.orm.em.fork(),
  ): Promise<number> {
    const [row] = await sql<{ count: number }>(
      em,
      'select count from rate_window where key = ? and window_start = ?',
      [key, new Date(windowStart)],
    );
    return row?.count ?? 0;
  }

  /** Adds this process's counts to the shared ones and learns everyone's totals. */
  flush(): Promise<void> {
    this.flushing ??= this.doFlush().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    const current = Math.floor(Date.now() / windowMs) * windowMs;
    const entries = [...this.windows.entries()].filter(
      ([, w]) => w.windowStart >= current - windowMs,
    );
    for (const [key, w] of this.windows)
      if (w.windowStart < current - windowMs) this.windows.delete(key);
    if (entries.length === 0) return;
    const em: EntityManager = this.orm.em.fork();
    const deltas = entries.map(([, w]) => w.pending);
    // One statement for every counter; JSON because the driver would spread plain arrays.
    const batch = JSON.stringify(
      entries.map(([key, w], i) => ({
        key,
        window_start: new Date(w.windowStart),
        count: deltas[i],
      })),
    );
    const rows = await sql<{ key: string; window_start: Date; count: number }>(
      em,
      `insert into rate_window (key, window_start, count)
       select key, window_start, count
       from jsonb_to_recordset(?::jsonb) as x(key text, window_start timestamptz, count int)
       on conflict (key, window_start) do update set count = rate_window.count + excluded.count
       returning key, window_start, count`,
      [batch],
    );
    entries.forEach(([, w], i) => {
      w.pending -= deltas[i] ?? 0;
    });
    for (const row of rows) {
      const w = this.windows.get(row.key);
      if (w && w.windowStart === new Date(row.window_start).getTime()) w.known = row.count;
    }
    if (Math.random() < 0.05) {
      await sql(em, `delete from rate_window where window_start < now() - interval '10 minutes'`);
    }
  }
}
