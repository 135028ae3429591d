/**
 * Batches writes without waiting on a timer: the first item is written at once; items that
 * arrive while a write is in flight go together in the next one. Low latency when idle,
 * few statements under load. `write` may answer one result per item (an Error rejects just
 * that item's promise); throwing rejects the whole batch.
 */
export class GroupCommit<T, R = void> {
  private pending: { item: T; done: (result: R) => void; fail: (error: unknown) => void }[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    /** One result per item (an Error rejects that item), or nothing when items have none. */
    private readonly write: (items: T[]) => Promise<readonly (R | Error)[] | unknown>,
    private readonly maxBatch = 200,
  ) {}

  push(item: T): Promise<R> {
    return new Promise((done, fail) => {
      this.pending.push({ item, done, fail });
      this.flushing ??= this.drain();
    });
  }

  /** Resolves when everything pushed so far is written. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          const written = await this.write(batch.map((p) => p.item));
          const results = Array.isArray(written) ? (written as (R | Error)[]) : null;
          batch.forEach((p, i) => {
            const result = results ? results[i] : undefined;
            if (result instanceof Error) p.fail(result);
            else p.done(result as R);
          });
        } catch (error) {
          for (const p of batch) p.fail(error);
        }
      }
    } finally {
      this.flushing = null;
    }
  }
}
