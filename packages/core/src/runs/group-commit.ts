/**
 * Batches writes without waiting on a timer: the first item is written at once; items that
 * arrive while a write is in flight go together in the next one. Low latency when idle,
 * few statements under load.
 */
export class GroupCommit<T> {
  private pending: { item: T; done: () => void; fail: (error: unknown) => void }[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxBatch = 200,
  ) {}

  push(item: T): Promise<void> {
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
          await this.write(batch.map((p) => p.item));
          for (const p of batch) p.done();
        } catch (error) {
          for (const p of batch) p.fail(error);
        }
      }
    } finally {
      this.flushing = null;
    }
  }
}
