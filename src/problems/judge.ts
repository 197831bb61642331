import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VettaError } from '../core/errors.js';
import type { Sandbox, SandboxLimits, SandboxResult } from '../core/sandbox.js';
import { DEFAULT_LIMITS } from '../core/sandbox.js';
import { matches } from './compare.js';
import type { Language, Problem, ProblemTest } from './load.js';
import { EXTENSIONS } from './load.js';
import { summarise } from './summary.js';
import { TEST_KILL_GRACE_MS, TestClock } from './test-clock.js';
import type { TestVerdict, Verdict } from './summary.js';

export const MAX_SOURCE_BYTES = 1024 * 1024;
const DEFAULT_TEST_TIME_MS = 1000;
/** How often a test's CPU time is looked at while it runs. */
const CPU_POLL_MS = 25;
/** A run stopped for time that had used this share of its memory ran out of memory (see whyItStopped):
 *  a Node heap hog stalls at about 105 of 128 MB (its heap is kept 48 MB under the limit). */
const NEAR_MEMORY_LIMIT = 0.75;
/** The submission's limit is kept on our clock (time a busy machine kept the run waiting for a CPU
 *  does not count); the sandbox's own wall-clock timer is only a backstop at this multiple of it. */
const WALL_BACKSTOP_FACTOR = 4;
const OUTPUT_CAP = 4096;

export interface TestOutcome {
  index: number;
  name: string;
  verdict: TestVerdict;
  hidden: boolean;
  tags: string[];
  timeMs: number | null;
  /** Visible tests only: the arguments by parameter name, the expected and the actual value. */
  input?: Record<string, unknown> | { ops: string[]; args: unknown[] };
  expected?: unknown;
  actual?: unknown;
  /** What went wrong, for runtime errors and limits; the candidate's traceback for errors. */
  error?: string;
  /** What the solution printed during this test (visible tests only). */
  output?: string;
}

export interface JudgeReport {
  problem: string;
  language: Language;
  verdict: Verdict;
  passed: number;
  total: number;
  summary: string;
  compileError?: { line: number | null; message: string };
  tests: TestOutcome[];
  sandbox: string;
  durationMs: number;
}

export interface JudgeOptions {
  source: string;
  language: Language;
  sandbox: Sandbox;
  /** Judge only these tests (default: all). */
  tests?: ProblemTest[];
  limits?: Partial<SandboxLimits> & { testTimeMs?: number };
  signal?: AbortSignal;
  /** Called as each test gets its verdict. */
  onTest?: (outcome: TestOutcome) => void;
  /** Stop at the first test that fails and leave the rest not run: enough to show a solution is
   *  rejected (a wrong/ fixture), without waiting out a time limit on every large test. */
  untilFirstFailure?: boolean;
}

interface HarnessError {
  type: string;
  message: string;
  trace: string;
  line: number | null;
}

type HarnessRecord =
  | { t: 'hello' }
  | { t: 'ready' }
  | { t: 'result'; i: number; value: unknown; ms: number; out?: string }
  | { t: 'error'; i: number; error: HarnessError; ms: number; out?: string }
  | { t: 'compile_error'; line: number | null; message: string }
  | { t: 'load_error'; error: HarnessError }
  | { t: 'done' };

function parseRecord(line: string): HarnessRecord | null {
  if (!line.startsWith('{"t":')) return null;
  try {
    const r = JSON.parse(line) as HarnessRecord;
    return typeof r === 'object' && r !== null && typeof r.t === 'string' ? r : null;
  } catch {
    return null;
  }
}

const HARNESS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'harness');

export function effectiveLimits(problem: Problem, overrides: JudgeOptions['limits']): { sandbox: SandboxLimits; testTimeMs: number } {
  const pl = problem.meta.limits;
  const sandbox: SandboxLimits = {
    ...DEFAULT_LIMITS,
    ...(pl.time_ms ? { wallMs: Math.min(pl.time_ms, DEFAULT_LIMITS.wallMs) } : {}),
    ...(pl.memory_mb ? { memoryMb: Math.min(pl.memory_mb, DEFAULT_LIMITS.memoryMb) } : {}),
    ...overrides,
  };
  // The user's values (already capped by the CLI) win over the problem's; a test never gets more
  // time than the whole submission.
  const testTimeMs = Math.min(overrides?.testTimeMs ?? pl.test_time_ms ?? DEFAULT_TEST_TIME_MS, sandbox.wallMs);
  return { sandbox, testTimeMs };
}

/** Errors that mean the solution asked for more memory than it may have. */
function isMemoryError(e: HarnessError): boolean {
  return e.type === 'MemoryError' || /Array buffer allocation failed|Invalid array length|Invalid typed array length|heap out of memory/.test(e.message);
}

function namedInput(problem: Problem, test: ProblemTest): TestOutcome['input'] {
  if (test.ops) return { ops: test.ops, args: test.args };
  const params = problem.meta.function!.params;
  return Object.fromEntries(params.map((p, k) => [p.name, test.args[k]]));
}

export function checkSource(source: string, file: string): void {
  const bytes = Buffer.byteLength(source);
  if (bytes > MAX_SOURCE_BYTES) {
    throw new VettaError('invalid_input', `${file} is ${(bytes / 1024 / 1024).toFixed(1)} MB; a solution may be at most 1 MB`);
  }
  if (source.trim().length === 0) throw new VettaError('invalid_input', `${file} is empty; write a solution first`);
  if (source.includes('\u0000')) throw new VettaError('invalid_input', `${file} is not a text file`);
}

/**
 * Judges a solution test by test in one sandboxed process per submission. When a test takes the
 * process down (a timeout, the memory limit, a crash, an early exit), that test gets its verdict
 * and a fresh process carries on with the remaining tests, within the submission's overall limit.
 */
export async function judge(problem: Problem, allTests: ProblemTest[], options: JudgeOptions): Promise<JudgeReport> {
  const started = performance.now();
  const tests = options.tests ?? allTests;
  const { sandbox: limits, testTimeMs } = effectiveLimits(problem, options.limits);
  const unrun = `not run: the submission's ${limits.wallMs / 1000} s limit was reached`;
  const outcomes = new Map<number, TestOutcome>();
  let compileError: JudgeReport['compileError'];

  const box = mkdtempSync(join(tmpdir(), 'vetta-judge-'));
  try {
    // The sandbox user (nobody) must be able to read the box.
    chmodSync(box, 0o755);
    const solutionName = `solution.${EXTENSIONS[options.language]}`;
    // Editors on Windows save a byte-order mark; python3 reading a file skips it, but the harness
    // compiles the text, where it is a stray character.
    writeFileSync(join(box, solutionName), options.source.replace(/^\uFEFF/, ''), { mode: 0o644 });
    const harness = options.language === 'python' ? 'harness.py' : 'harness.mjs';
    copyFileSync(join(HARNESS_DIR, harness), join(box, harness));
    chmodSync(join(box, harness), 0o644);

    const finish = (test: ProblemTest, verdict: TestVerdict, extra: Partial<TestOutcome> = {}) => {
      if (outcomes.has(test.index)) return;
      const visible = !test.hidden;
      const outcome: TestOutcome = {
        index: test.index,
        name: test.name,
        verdict,
        hidden: test.hidden,
        tags: test.tags,
        timeMs: extra.timeMs ?? null,
        ...(visible ? { input: namedInput(problem, test), expected: test.expected } : {}),
        ...(visible && extra.actual !== undefined ? { actual: extra.actual } : {}),
        ...(extra.error !== undefined ? { error: visible || verdict !== 'runtime_error' ? extra.error : firstLine(extra.error) } : {}),
        ...(visible && extra.output ? { output: extra.output } : {}),
      };
      outcomes.set(test.index, outcome);
      options.onTest?.(outcome);
      if (options.untilFirstFailure && verdict !== 'passed' && verdict !== 'not_run' && !stoppedAtFailure) {
        stoppedAtFailure = true;
        running?.abort();
      }
    };
    let stoppedAtFailure = false;
    let running: AbortController | undefined;
    const leaveUnrun = () => {
      for (const t of tests) finish(t, 'not_run', { error: 'not run: judging stopped at the first failing test' });
    };

    let runs = 0;
    // The submission's time so far, summed over its runs on each run's TestClock.
    let spentMs = 0;
    while (!compileError) {
      if (stoppedAtFailure) {
        leaveUnrun();
        break;
      }
      const pending = tests.filter((t) => !outcomes.has(t.index));
      if (pending.length === 0) break;
      const left = limits.wallMs - spentMs;
      if (left < 50 || options.signal?.aborted) {
        for (const t of pending) finish(t, 'not_run', { error: unrun });
        break;
      }
      runs++;
      const job = {
        language: options.language,
        solution: solutionName,
        kind: problem.meta.design ? 'design' : 'function',
        ...(problem.meta.function
          ? {
              entry: problem.meta.function[options.language] ?? problem.meta.function.javascript,
              params: problem.meta.function.params.map((p) => p.type),
              returns: problem.meta.function.returns,
            }
          : {
              design: {
                class: problem.meta.design!.class,
                constructor: problem.meta.design!.constructor.map((p) => p.type),
                methods: Object.fromEntries(
                  Object.entries(problem.meta.design!.methods).map(([name, m]) => [name, { params: m.params.map((p) => p.type), returns: m.returns }]),
                ),
              },
            }),
        outputCap: OUTPUT_CAP,
        tests: pending.map((t) => ({ i: t.index, args: t.args, ...(t.ops ? { ops: t.ops } : {}) })),
      };
      const jobName = `job-${runs}.json`;
      writeFileSync(join(box, jobName), JSON.stringify(job), { mode: 0o644 });

      const controller = new AbortController();
      running = controller;
      const onOuterAbort = () => controller.abort();
      options.signal?.addEventListener('abort', onOuterAbort, { once: true });
      // Each window runs from the arrival of one record to the next (test-clock.ts).
      const clock = new TestClock(testTimeMs);
      const runClock = new TestClock(left);
      let overSubmission = false;
      let windowTimer: NodeJS.Timeout | undefined;
      let openPhase: 'loading' | 'test' | null = null;
      let window = 0;
      let overran: 'loading' | 'test' | undefined;
      let loaded = false;
      let loadError: HarnessError | undefined;
      let progressed = false;
      let harnessStarted = false;
      const due = () => pending.find((t) => !outcomes.has(t.index));
      const overrun = (phase: 'loading' | 'test') => {
        overran = phase;
        controller.abort();
      };
      // One poll for the run: the submission's time left, and the open window's CPU time.
      const poll = setInterval(() => {
        if (runClock.wallMs() > left) {
          overSubmission = true;
          controller.abort();
        } else if (openPhase && !overran && (clock.cpuMs() ?? 0) > testTimeMs + TEST_KILL_GRACE_MS) overrun(openPhase);
      }, CPU_POLL_MS);
      const openWindow = (phase: 'loading' | 'test') => {
        const opened = ++window;
        openPhase = phase;
        clock.start();
        clearTimeout(windowTimer);
        // Looked at after pending output is read (setImmediate runs after the poll phase): a record
        // that arrived while this process was busy is not a window overrun.
        const check = () =>
          setImmediate(() => {
            if (opened !== window) return;
            const left = clock.wallAllowanceMs() - clock.wallMs();
            if (left <= 0) overrun(phase);
            else windowTimer = setTimeout(check, left);
          });
        windowTimer = setTimeout(check, clock.wallAllowanceMs());
      };
      const closeWindow = () => {
        window++;
        openPhase = null;
        clearTimeout(windowTimer);
      };

      const onLine = (line: string) => {
        if (stoppedAtFailure) return;
        const r = parseRecord(line);
        if (!r) return;
        switch (r.t) {
          case 'hello':
            if (harnessStarted) return;
            harnessStarted = true;
            openWindow('loading');
            return;
          case 'ready':
            if (!harnessStarted || loaded) return;
            loaded = true;
            openWindow('test');
            return;
          case 'result':
          case 'error': {
            // The harness answers the job's tests in order; an answer for any other test is forged.
            const t = loaded ? due() : undefined;
            if (!t || r.i !== t.index) return;
            const wall = clock.wallMs();
            const cpu = clock.cpuMs();
            progressed = true;
            // Counted CPU time is the test's time; without it, the harness's own figure, which a
            // solution can only make larger.
            const ms = cpu !== null ? Math.round(cpu) : typeof r.ms === 'number' ? r.ms : null;
            if (cpu !== null && cpu > testTimeMs) {
              finish(t, 'time_limit', { timeMs: ms, error: `used ${Math.round(cpu)} ms of CPU; the limit per test is ${testTimeMs} ms` });
            } else if (wall > clock.wallAllowanceMs()) {
              finish(t, 'time_limit', { timeMs: Math.round(wall), error: `took ${Math.round(wall)} ms; the limit per test is ${testTimeMs} ms` });
            } else if (cpu === null && ms !== null && ms > testTimeMs) {
              finish(t, 'time_limit', { timeMs: ms, error: `took ${Math.round(ms)} ms; the limit per test is ${testTimeMs} ms` });
            } else if (r.t === 'result') {
              const ok = matches(r.value, t.expected, t.compare, t.tolerance);
              finish(t, ok ? 'passed' : 'wrong_answer', { timeMs: ms, actual: r.value, output: r.out });
            } else if (isMemoryError(r.error)) {
              finish(t, 'memory_limit', { timeMs: ms, error: `ran out of memory (${limits.memoryMb} MB): ${r.error.type}`, output: r.out });
            } else {
              finish(t, 'runtime_error', { timeMs: ms, error: r.error.trace || `${r.error.type}: ${r.error.message}`, output: r.out });
            }
            if (due()) openWindow('test');
            else closeWindow();
            return;
          }
          case 'compile_error':
            if (harnessStarted && !loaded) compileError = { line: r.line ?? null, message: String(r.message) };
            return;
          case 'load_error':
            if (harnessStarted && !loaded) loadError = r.error;
            return;
          default:
            return;
        }
      };

      let result: SandboxResult;
      try {
        runClock.start();
        const ran = await options.sandbox.run({
          program: options.language === 'python' ? 'python' : 'node',
          boxDir: box,
          args: [`{box}/${harness}`, `{box}/${jobName}`],
          limits: { ...limits, wallMs: left * WALL_BACKSTOP_FACTOR },
          signal: controller.signal,
          onLine,
          onMeter: (meter) => {
            clock.measure(meter);
            runClock.measure(meter);
          },
        });
        result = { ...ran, timedOut: ran.timedOut || overSubmission };
      } finally {
        clearInterval(poll);
        spentMs += runClock.wallMs();
        closeWindow();
        options.signal?.removeEventListener('abort', onOuterAbort);
      }
      if (options.signal?.aborted) throw options.signal.reason ?? new DOMException('aborted', 'AbortError');
      if (stoppedAtFailure) {
        leaveUnrun();
        break;
      }
      // The harness speaks before it loads candidate code, so silence means the sandbox or the
      // interpreter failed: that is never the candidate's fault.
      if (!harnessStarted && !result.timedOut && !result.aborted) {
        throw new VettaError('sandbox_unavailable', options.sandbox.explainStartFailure(result));
      }

      if (compileError) break;
      if (loadError) {
        const message = loadError.trace || `${loadError.type}: ${loadError.message}`;
        const verdict: TestVerdict = isMemoryError(loadError) ? 'memory_limit' : 'runtime_error';
        for (const t of tests) finish(t, verdict, { error: message });
        break;
      }
      if (overran === 'loading') {
        // Work done before the first test (a precomputed table of answers) is held to one test's time.
        for (const t of pending) finish(t, 'time_limit', { error: `loading the solution took more than ${testTimeMs} ms` });
        break;
      }
      const interrupted = loaded ? due() : undefined;
      if (interrupted) {
        progressed = true;
        const [verdict, error] = whyItStopped(result, overran === 'test', testTimeMs, limits);
        finish(interrupted, verdict, { error, timeMs: verdict === 'time_limit' ? testTimeMs : null });
      }
      if (!progressed) {
        // The program died before running any test: nothing will go better on a second try.
        const [verdict, error] = whyItStopped(result, false, testTimeMs, limits, true);
        // Unless the submission's time ran out first (a fresh process after one stopped for its
        // output or a crash): then these tests never ran.
        const neverRan = verdict === 'time_limit' && result.timedOut;
        for (const t of pending) finish(t, neverRan ? 'not_run' : verdict, { error: neverRan ? unrun : error });
        break;
      }
    }
  } finally {
    rmSync(box, { recursive: true, force: true });
  }

  const ordered = tests.map((t) => outcomes.get(t.index)!).filter(Boolean);
  const passed = ordered.filter((o) => o.verdict === 'passed').length;
  let verdict: Verdict;
  if (compileError) verdict = 'compile_error';
  else {
    // Tests left unrun mean the submission as a whole ran out of time.
    const firstFailure = ordered.find((o) => o.verdict !== 'passed');
    verdict = !firstFailure ? 'accepted' : firstFailure.verdict === 'not_run' ? 'time_limit' : (firstFailure.verdict as Verdict);
  }
  const report: JudgeReport = {
    problem: problem.id,
    language: options.language,
    verdict,
    passed,
    total: tests.length,
    summary: '',
    ...(compileError ? { compileError } : {}),
    tests: compileError ? [] : ordered,
    sandbox: options.sandbox.name,
    durationMs: Math.round(performance.now() - started),
  };
  report.summary = summarise({
    verdict,
    passed,
    total: tests.length,
    failures: ordered.filter((o) => o.verdict !== 'passed'),
    ...(compileError ? { compileError } : {}),
  });
  return report;
}

function firstLine(text: string): string {
  const lines = text.split('\n').filter(Boolean);
  return lines[lines.length - 1] ?? text;
}

/** Why a sandboxed run ended while a test was running (or before any test ran). */
function whyItStopped(result: SandboxResult, perTestTimeout: boolean, testTimeMs: number, limits: SandboxLimits, beforeAnyTest = false): [TestVerdict, string] {
  if (result.memoryExceeded) return ['memory_limit', `ran out of memory (${limits.memoryMb} MB)`];
  if (result.outputExceeded) return ['output_limit', `printed more than ${Math.round(limits.stderrBytes / 1024)} KB`];
  if (perTestTimeout || result.timedOut) {
    // Near its heap limit a runtime spends its time collecting garbage before it gives up, and on a
    // busy machine the clock runs out first: the cause the candidate must fix is the memory.
    const peak = result.peakMemoryBytes;
    if (peak !== null && peak >= NEAR_MEMORY_LIMIT * limits.memoryMb * 1024 * 1024) {
      const usedMb = Math.round(peak / (1024 * 1024));
      return ['memory_limit', `ran out of memory (${limits.memoryMb} MB): it had used ${usedMb} MB and stalled until its time ran out`];
    }
  }
  if (perTestTimeout) return ['time_limit', `did not finish within ${testTimeMs} ms`];
  if (result.timedOut) return ['time_limit', `the submission's ${limits.wallMs / 1000} s limit was reached`];
  const how = result.signal ? `was killed by ${result.signal}` : `exited with status ${result.exitCode}`;
  const tail = result.stderr.trim().split('\n').slice(-3).join('\n');
  const when = beforeAnyTest ? 'before running any test' : 'in the middle of this test';
  return ['runtime_error', `the program ${how} ${when}${tail ? `:\n${tail}` : ''}`];
}
