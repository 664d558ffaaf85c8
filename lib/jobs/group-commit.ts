/**
 * Runs `flush` on batches of submitted items, at most `lanes` flushes at a time: an item
 * submitted while every lane is busy waits for the first to finish, then goes into the next
 * batch with everything else that arrived meanwhile. Under load, many items share one
 * transaction (and one commit) and several transactions overlap their round trips; when idle,
 * an item is flushed at once, without waiting for company.
 */
export class GroupCommit<T, R> {
  private pending: Array<{ item: T; resolve: (result: R) => void; reject: (error: unknown) => void }> = [];
  private busyLanes = 0;

  constructor(
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly options: { maxBatch?: number; lanes?: number } = {},
  ) {}

  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.busyLanes >= (this.options.lanes ?? 1)) return;
    this.busyLanes++;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.options.maxBatch ?? 64);
        try {
          const results = await this.flush(batch.map((entry) => entry.item));
          batch.forEach((entry, index) => entry.resolve(results[index]!));
        } catch (error) {
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      this.busyLanes--;
    }
  }
}
