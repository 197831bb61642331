import { VettaError } from '../core/errors.js';

/** A provider failed. The message names the provider and what to do; never a key or a transcript. */
export class ProviderError extends VettaError {
  constructor(
    readonly provider: string,
    message: string,
    options: { status?: number; retryable?: boolean; cause?: unknown } = {},
  ) {
    super('provider', `${provider}: ${message}`, { retryable: options.retryable ?? false, cause: options.cause, exitCode: 1 });
    this.status = options.status;
  }

  readonly status: number | undefined;
}


/** Statuses worth another try: timeouts, conflicts, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
