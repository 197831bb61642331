import { sleep } from '../core/abort.js';
import { ProviderError } from './errors.js';

export interface StreamPolicy {
  provider: string;
  /** Where the model lives, for messages. */
  endpoint: string;
  /** Give up on an attempt that has produced no token by then. */
  firstTokenTimeoutMs: number;
  /** Further attempts after a retryable failure before the first token. */
  retries: number;
  /** The first backoff; it doubles with each retry. */
  backoffMs: number;
}

/**
 * Opens a model's text stream with a first-token timeout and retries with backoff on retryable
 * failures before the first token; after it, a retry would repeat what was already said. `open`
 * maps its own failures to ProviderError.
 */
export async function* streamWithRetries(
  open: (signal: AbortSignal) => AsyncIterable<string>,
  signal: AbortSignal,
  policy: StreamPolicy,
): AsyncGenerator<string> {
  for (let attempt = 0; ; attempt++) {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), policy.firstTokenTimeoutMs);
    const both = AbortSignal.any([signal, timeout.signal]);
    let started = false;
    try {
      for await (const text of open(both)) {
        if (!started) {
          started = true;
          clearTimeout(timer);
        }
        yield text;
      }
      return;
    } catch (error) {
      if (signal.aborted) return;
      const failure =
        timeout.signal.aborted && !started
          ? new ProviderError(policy.provider, `no answer within ${policy.firstTokenTimeoutMs / 1000} s from ${policy.endpoint}`, { retryable: true })
          : error instanceof ProviderError
            ? error
            : new ProviderError(policy.provider, `${(error as Error).message}`, { retryable: false, cause: error });
      if (started || !failure.retryable || attempt >= policy.retries) throw failure;
      await sleep(policy.backoffMs * 2 ** attempt, signal);
    } finally {
      clearTimeout(timer);
    }
  }
}
