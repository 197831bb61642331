import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { preview } from '../core/text.js';
import type { Sandbox } from '../core/sandbox.js';
import { judge } from './judge.js';
import type { Language, Problem, ProblemTest } from './load.js';
import { EXTENSIONS, languageOfFile, loadTests, ProblemFormatError } from './load.js';
import { typeMismatch } from './types.js';

export const MIN_TESTS = 15;

export interface ValidationCheck {
  /** What was checked: "schema", "solution.py", "starter.ts", "wrong/brute-force.py" */
  subject: string;
  ok: boolean;
  detail: string;
}

export interface ProblemValidation {
  id: string;
  dir: string;
  ok: boolean;
  checks: ValidationCheck[];
  warnings: string[];
}

/** Each test value that does not fit its declared type, as `case 4 args.nums: expected int[], got a string "abc"`. */
function wronglyTyped(problem: Problem, tests: ProblemTest[]): string[] {
  const fn = problem.meta.function;
  if (!fn) return [];
  const found: string[] = [];
  for (const t of tests) {
    fn.params.forEach((p, k) => {
      const m = typeMismatch(t.args[k], p.type);
      if (m) found.push(`${t.name} args.${p.name}: ${m}`);
    });
    const m = typeMismatch(t.expected, fn.returns);
    if (m) found.push(`${t.name} expected: ${m}`);
  }
  return found;
}

/**
 * Everything that makes a problem usable: the format, reference solutions accepted in Python and
 * JavaScript, every starter loading, every wrong/ fixture rejected. Reference failures show the
 * actual output even for hidden tests, because the author is the one reading.
 */
export async function validateProblem(problem: Problem, sandbox: Sandbox, signal?: AbortSignal): Promise<ProblemValidation> {
  const checks: ValidationCheck[] = [];
  const warnings: string[] = [];
  let tests: ProblemTest[];
  try {
    tests = loadTests(problem);
  } catch (e) {
    if (!(e instanceof ProblemFormatError)) throw e;
    return { id: problem.id, dir: problem.dir, ok: false, checks: e.errors.map((d) => ({ subject: 'tests.json', ok: false, detail: d })), warnings };
  }
  checks.push({ subject: 'schema', ok: true, detail: `${tests.length} tests` });
  const mistyped = wronglyTyped(problem, tests);
  if (mistyped.length > 0) {
    const more = mistyped.length > 5 ? `; and ${mistyped.length - 5} more` : '';
    checks.push({ subject: 'tests.json', ok: false, detail: `values that do not match the signature: ${mistyped.slice(0, 5).join('; ')}${more}` });
  }
  if (tests.length < MIN_TESTS) warnings.push(`only ${tests.length} tests; a problem should have at least ${MIN_TESTS}`);
  if (!tests.some((t) => !t.hidden)) warnings.push('no visible tests: the candidate\'s "run" would have nothing to run');
  const authorView = tests.map((t) => ({ ...t, hidden: false }));

  const judgeFile = async (file: string, language: Language, only?: ProblemTest[], untilFirstFailure = false) =>
    judge(problem, authorView, {
      source: readFileSync(join(problem.dir, file), 'utf8'),
      language,
      sandbox,
      signal,
      untilFirstFailure,
      ...(only ? { tests: only } : {}),
    });

  const noHints = (['nudge', 'hint', 'reveal'] as const).filter((level) => problem.meta.hints[level].length === 0);
  if (noHints.length > 0) warnings.push(`no hints at level ${noHints.join(', ')}: the interviewer will have none to give`);
  const references = (['python', 'javascript'] as const).filter((l) => existsSync(join(problem.dir, `solution.${EXTENSIONS[l]}`)));
  if (references.length === 0) checks.push({ subject: 'solution', ok: false, detail: 'no reference solution: add solution.py or solution.js' });
  for (const language of references) {
    const file = `solution.${EXTENSIONS[language]}`;
    const report = await judgeFile(file, language);
    if (report.verdict === 'accepted') {
      const slowest = Math.max(...report.tests.map((t) => t.timeMs ?? 0));
      checks.push({ subject: file, ok: true, detail: `accepted (${report.durationMs} ms, slowest test ${Math.round(slowest)} ms)` });
    } else {
      const failed = report.tests.filter((t) => t.verdict !== 'passed');
      const detail = report.compileError
        ? `compile error: ${report.compileError.message}`
        : failed
            .slice(0, 5)
            .map(
              (t) =>
                `${t.name}: ${t.verdict}${t.actual !== undefined ? `, actual ${preview(t.actual)}` : ''}${t.error ? ` (${t.error.split('\n').pop()})` : ''}`,
            )
            .join('; ');
      checks.push({ subject: file, ok: false, detail: `${report.summary}: ${detail}` });
    }
  }

  const first = tests.slice(0, 1);
  for (const language of ['python', 'javascript', 'typescript'] as const) {
    const file = `starter.${EXTENSIONS[language]}`;
    if (!existsSync(join(problem.dir, file))) {
      warnings.push(`no ${file}: a candidate in ${language} starts from an empty file`);
      continue;
    }
    const report = await judgeFile(file, language, first);
    const loads =
      report.verdict !== 'compile_error' && !report.tests.some((t) => t.verdict === 'runtime_error' && /before running any test/.test(t.error ?? ''));
    checks.push({ subject: file, ok: loads, detail: loads ? 'loads' : `does not load: ${report.summary}` });
  }

  const wrongDir = join(problem.dir, 'wrong');
  const wrong = existsSync(wrongDir)
    ? readdirSync(wrongDir)
        .filter((f) => languageOfFile(f))
        .sort()
    : [];
  if (wrong.length === 0) warnings.push('no wrong/ solutions: nothing shows the tests catch a plausible mistake');
  for (const f of wrong) {
    // One failing test is enough to show it is caught.
    const report = await judgeFile(join('wrong', f), languageOfFile(f)!, undefined, true);
    const rejected = report.verdict !== 'accepted';
    checks.push({
      subject: `wrong/${f}`,
      ok: rejected,
      detail: rejected ? `rejected: ${report.verdict}, ${report.summary}` : 'ACCEPTED, but it is kept as a wrong solution; add a test it fails',
    });
  }
  return { id: problem.id, dir: problem.dir, ok: checks.every((c) => c.ok), checks, warnings };
}

export interface ValidateManyOptions {
  /** How many problems are judged at once: one per core by default, each in its own sandbox processes. */
  concurrency?: number;
  signal?: AbortSignal;
  /** Called as each problem finishes, in the order they finish. */
  onResult?: (result: ProblemValidation, done: number) => void;
}

/** Validates problems side by side; the results come back in the order of `problems`. */
export async function validateMany(problems: Problem[], sandbox: Sandbox, options: ValidateManyOptions = {}): Promise<ProblemValidation[]> {
  const results: ProblemValidation[] = new Array(problems.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < problems.length) {
      options.signal?.throwIfAborted();
      const index = next++;
      results[index] = await validateProblem(problems[index]!, sandbox, options.signal);
      options.onResult?.(results[index], ++done);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? availableParallelism(), problems.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
