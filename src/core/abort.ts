/**
 * Waiting that an AbortSignal cuts short. An abort is how a caller says "no longer wanted", so it
 * ends the wait quietly instead of as an error.
 */

/** Waits `ms`, or less when the signal aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Resolves with the promise, or with null as soon as the signal aborts. */
export function unlessAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T | null> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve(null);
  return new Promise<T | null>((resolve, reject) => {
    const onAbort = () => resolve(null);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * The items of `body` until it ends; an abort, or a reader that stops early, calls `stop` (which
 * must end `body` quietly). Nothing starts when the signal has already aborted.
 */
export async function* untilAborted<T>(signal: AbortSignal | undefined, stop: () => void, body: () => AsyncIterable<T>): AsyncGenerator<T> {
  if (signal?.aborted) return;
  signal?.addEventListener('abort', stop, { once: true });
  try {
    yield* body();
  } finally {
    signal?.removeEventListener('abort', stop);
    stop();
  }
}
