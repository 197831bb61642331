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

/** What to tell the user for the statuses that mean a setting is wrong. */
export interface StatusAdvice {
  /** 401 and 403, e.g. "check OPENAI_API_KEY". */
  auth: string;
  /** 404, e.g. "check OPENAI_TTS_BASE_URL and OPENAI_TTS_MODEL". */
  notFound: string;
  /** 400 and 422: the server refused what was asked. */
  badRequest: string;
}

/** An HTTP answer other than success. Never the body: it may echo a key or the candidate's words. */
export function httpStatusError(provider: string, status: number, endpoint: string, advice: StatusAdvice): ProviderError {
  const answered = `HTTP ${status} from ${endpoint}`;
  const retryable = isRetryableStatus(status);
  if (status === 401 || status === 403) return new ProviderError(provider, `the key was refused (${answered}); ${advice.auth}`, { status });
  if (status === 404) return new ProviderError(provider, `nothing there (${answered}); ${advice.notFound}`, { status });
  if (status === 400 || status === 422) return new ProviderError(provider, `the request was refused (${answered}); ${advice.badRequest}`, { status });
  return new ProviderError(provider, `the server failed (${answered})${retryable ? '; try again' : ''}`, { status, retryable });
}

/** A request that got no answer: the network's reason, worth another try. */
export function unreachableError(provider: string, endpoint: string, error: unknown): ProviderError {
  const cause = (error as Error).cause as Error | undefined;
  return new ProviderError(provider, `cannot reach ${endpoint} (${cause?.message ?? (error as Error).message})`, { retryable: true, cause: error });
}
