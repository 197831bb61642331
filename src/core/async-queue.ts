/**
 * Wakes whoever waits for the next change: a loop that re-checks its condition after each wake.
 * A notify with nobody waiting is not kept; the loop sees the change when it next checks.
 */
export class Waker {
  private waiting: (() => void) | null = null;

  /** Resolves at the next notify(). */
  wait(): Promise<void> {
    return new Promise((resolve) => (this.waiting = resolve));
  }

  notify(): void {
    const wake = this.waiting;
    this.waiting = null;
    wake?.();
  }
}

/** A queue one side pushes into and the other reads as an async iterable, until it is ended. */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private readonly waker = new Waker();
  private ended = false;
  private failure: { error: unknown } | null = null;

  push(item: T): void {
    if (this.ended) return;
    this.items.push(item);
    this.waker.notify();
  }

  /** No more items: the reader finishes what is queued, then ends (or throws `error`). */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (error !== undefined) this.failure = { error };
    this.waker.notify();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      if (this.items.length > 0) {
        yield this.items.shift()!;
        continue;
      }
      if (this.ended) {
        if (this.failure) throw this.failure.error;
        return;
      }
      await this.waker.wait();
    }
  }
}
