/**
 * One error type for everything a user can be told about. `code` is stable (scripts match on it),
 * `exitCode` is what the CLI exits with, and the message is one line that says what happened and
 * what to do next.
 */
export type ErrorCode = 'usage' | 'not_found' | 'invalid_problem' | 'invalid_input' | 'io' | 'sandbox_unavailable' | 'provider' | 'internal';

export class VettaError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; retryable?: boolean; exitCode?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'VettaError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.exitCode = options.exitCode ?? (code === 'internal' ? 1 : 2);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
