/** One line of `vetta doctor`'s report; --json prints an array of these, in order, with these names. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  detail: string;
  hint?: string;
}
