import { joinWords } from '../core/text.js';

/** `not_run`: the submission's overall time ran out before this test's turn. */
export type TestVerdict = 'passed' | 'wrong_answer' | 'runtime_error' | 'time_limit' | 'memory_limit' | 'output_limit' | 'not_run';
export type Verdict = 'accepted' | 'compile_error' | Exclude<TestVerdict, 'passed' | 'not_run'>;

/** How the interviewer says a test tag out loud. */
const TAG_PHRASES: Record<string, string> = {
  empty: 'empty input',
  single: 'a single element',
  duplicates: 'duplicates',
  negative: 'negative numbers',
  zeros: 'zeros',
  large: 'large inputs',
  sorted: 'already sorted input',
  'all-same': 'all-equal values',
  'no-solution': 'inputs with no answer',
  unicode: 'non-ASCII text',
  overflow: 'very large values',
  skewed: 'skewed trees',
  cycle: 'cycles',
  thin: 'one-row or one-column matrices',
  touching: 'intervals that only touch',
  head: 'removing the first node',
  order: 'the order of events',
};

const VERDICT_PHRASES: Record<Exclude<TestVerdict, 'passed'>, [string, string]> = {
  wrong_answer: ['wrong answer', 'wrong answers'],
  runtime_error: ['crash', 'crashes'],
  time_limit: ['timeout', 'timeouts'],
  memory_limit: ['out-of-memory', 'out-of-memory'],
  output_limit: ['output overflow', 'output overflows'],
  not_run: ['test not run', 'tests not run'],
};

export interface SummaryInput {
  verdict: Verdict;
  passed: number;
  total: number;
  failures: { verdict: TestVerdict; tags: string[] }[];
  compileError?: { line: number | null; message: string };
}

/** One sentence the interviewer can say: "passes 18 of 20 tests; the failing cases involve empty input". */
export function summarise(input: SummaryInput): string {
  if (input.verdict === 'compile_error') {
    const where = input.compileError?.line ? ` (line ${input.compileError.line})` : '';
    return `does not compile${where}: ${input.compileError?.message ?? 'unknown error'}`;
  }
  if (input.verdict === 'accepted') return input.total === 1 ? 'passes the one test' : `passes all ${input.total} tests`;
  const tagCounts = new Map<string, number>();
  for (const f of input.failures) {
    for (const tag of f.tags) if (tag !== 'example') tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
  }
  const tags = [...tagCounts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([t]) => TAG_PHRASES[t] ?? t.replaceAll('-', ' '));
  const verdictCounts = new Map<Exclude<TestVerdict, 'passed'>, number>();
  for (const f of input.failures) if (f.verdict !== 'passed') verdictCounts.set(f.verdict, (verdictCounts.get(f.verdict) ?? 0) + 1);
  const kinds = [...verdictCounts.entries()].map(([v, n]) => `${n} ${VERDICT_PHRASES[v][n === 1 ? 0 : 1]}`);
  let sentence = `passes ${input.passed} of ${input.total} tests`;
  if (tags.length > 0) sentence += `; the failing cases involve ${joinWords(tags)}`;
  if (kinds.length > 0) sentence += ` (${joinWords(kinds)})`;
  return sentence;
}
