/**
 * What `vetta replay --check` says: per recording OK or its divergences, each a place and a diff,
 * as text, as JSON, or as JUnit XML for CI systems.
 */

export interface Divergence {
  /** Where in the recording: "after action 5 at 03:12, /edit (12 lines)". */
  where: string;
  /** A readable diff: "- recorded", "+ today", "  unchanged". */
  diff: string[];
}

export interface CheckResult {
  file: string;
  ok: boolean;
  divergences: Divergence[];
  actions: number;
  llmTurns: number;
  /** The problem's files differ from when it was recorded: likely why it diverges. */
  problemChanged: boolean;
  /** The check could not run (the sandbox would not start), with the cause: neither OK nor a divergence. */
  error: string | null;
  /** The recording's last line was cut short (the process died while writing it); checked up to there. */
  truncated: boolean;
  /** With --update: whether the recording was rewritten, and why not. */
  update?: UpdateOutcome;
  durationMs: number;
}

export type UpdateOutcome = { written: true } | { written: false; why: string };

/** The recording still fails after --update: it diverged, or could not run, and was not rewritten. */
export const failedAfterUpdate = (r: CheckResult) => !r.ok && r.update?.written !== true;

/** A line diff by longest common subsequence: lists of decisions are short. */
export function diffLines(recorded: readonly string[], today: readonly string[]): string[] {
  const n = recorded.length;
  const m = today.length;
  const common: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) common[i]![j] = recorded[i] === today[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && recorded[i] === today[j]) {
      out.push(`  ${recorded[i++]}`);
      j++;
    } else if (i < n && (j === m || common[i + 1]![j]! >= common[i]![j + 1]!)) out.push(`- ${recorded[i++]}`);
    else out.push(`+ ${today[j++]}`);
  }
  return out;
}

/** mm:ss, or h:mm:ss past an hour. */
export function clockLabel(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const two = (x: number) => String(x).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

const xml = (text: string) =>
  text
    .replace(/[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

export function divergenceText(d: Divergence): string {
  return [d.where, ...d.diff.map((l) => `  ${l}`)].join('\n');
}

/**
 * One test case a recording: a failure per diverging recording with its diffs as the body, an error
 * per recording the check could not run, with the cause.
 */
export function junitXml(results: readonly CheckResult[]): string {
  const errors = results.filter((r) => r.error !== null).length;
  const failures = results.filter((r) => !r.ok).length - errors;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const total = results.reduce((t, r) => t + r.durationMs, 0);
  const cases = results.map((r) => {
    const open = `    <testcase classname="vetta.replay" name="${xml(r.file)}" time="${seconds(r.durationMs)}"`;
    if (r.ok) return `${open}/>`;
    if (r.error !== null) return `${open}>\n      <error message="${xml(`the check could not run: ${r.error}`)}" type="environment"/>\n    </testcase>`;
    const message = `${r.divergences.length} divergence${r.divergences.length === 1 ? '' : 's'}${r.problemChanged ? '; the problem changed since it was recorded' : ''}`;
    return `${open}>\n      <failure message="${xml(message)}" type="divergence">${xml(r.divergences.map(divergenceText).join('\n\n'))}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="vetta replay --check" tests="${results.length}" failures="${failures}" errors="${errors}" time="${seconds(total)}">`,
    `  <testsuite name="recordings" tests="${results.length}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds(total)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
