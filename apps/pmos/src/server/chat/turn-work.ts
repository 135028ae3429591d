/**
 * The chat work this process does for each turn. A turn's pieces run one after another: a
 * decision's resume and the sweeper's may both ask for the same turn, and the second must
 * neither run beside the first nor hide it from `idle` and `stop` (the database claim makes
 * the later piece a no-op).
 */
export class TurnWork {
  private readonly running = new Map<
    string,
    { controller: AbortController; done: Promise<void> }
  >();

  constructor(private readonly onCrash: (error: unknown, turnId: string) => void) {}

  /** Runs `work` for a turn once the turn's earlier work in this process is done. */
  add(turnId: string, work: (signal: AbortSignal) => Promise<void>): void {
    const earlier = this.running.get(turnId);
    const controller = earlier?.controller ?? new AbortController();
    const start = earlier
      ? earlier.done.then(() => work(controller.signal))
      : work(controller.signal);
    const done = start
      .catch((error) => this.onCrash(error, turnId))
      .finally(() => {
        if (this.running.get(turnId)?.done === done) this.running.delete(turnId);
      });
    this.running.set(turnId, { controller, done });
  }

  /** Whether this process has work for the turn now. */
  has(turnId: string): boolean {
    return this.running.has(turnId);
  }

  /** Waits until no turn has work here, including work added while waiting. */
  async idle(): Promise<void> {
    while (this.running.size > 0)
      await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  /** Aborts every turn's work and waits for it to end. */
  async abortAll(reason: Error): Promise<void> {
    for (const { controller } of this.running.values()) controller.abort(reason);
    await this.idle();
  }
}
