import { sleep } from './abort.js';
import { VettaError } from './errors.js';

export interface RetryPolicy {
  /** Further attempts after a retryable failure. */
  retries: number;
  /** The first wait; it doubles with each retry. */
  backoffMs: number;
}

/**
 * A stream opened again after a retryable failure (VettaError.retryable), but only until its first
 * item: after that a retry would deliver what was already delivered (words said twice). An abort
 * ends it quietly.
 */
export async function* retryUntilFirst<T>(open: () => AsyncIterable<T>, policy: RetryPolicy, signal?: AbortSignal): AsyncGenerator<T> {
  let delivered = false;
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) return;
    try {
      for await (const item of open()) {
        delivered = true;
        yield item;
      }
      return;
    } catch (error) {
      if (signal?.aborted) return;
      if (delivered || attempt >= policy.retries || !(error instanceof VettaError && error.retryable)) throw error;
      await sleep(policy.backoffMs * 2 ** attempt, signal);
    }
  }
}
