import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VettaError } from '../core/errors.js';
import type { Sandbox } from '../core/sandbox.js';
import { DEFAULT_LIMITS, firstStderrLine } from '../core/sandbox.js';

/** A Python expression's value, or why it has none. */
export type Evaluated = { ok: true; value: unknown } | { ok: false; reason: string };

/** Evaluates Python expressions; the importer's one way to run a dataset's code. */
export type PythonEvaluator = (expressions: string[], signal?: AbortSignal) => Promise<Evaluated[]>;

const HARNESS = join(dirname(fileURLToPath(import.meta.url)), 'harness', 'harness.py');
/** A test value bigger than this is a generator gone wrong, not a test. */
export const VALUE_SIZE_CAP = 4_000_000;
/** For all of one record's expressions together. */
export const EVALUATION_TIME_MS = 10_000;

/** Runs that expressions may take down before the rest are given up: each costs up to EVALUATION_TIME_MS. */
const MAX_RUNS = 4;

/**
 * Expressions from a dataset are untrusted code: they are evaluated by the judge's Python harness
 * in the sandbox, with its time, memory and output limits, never in Vetta's own process. An
 * expression that takes the process down (memory, time) is refused, and a fresh process carries on
 * with the ones after it.
 */
export function sandboxEvaluator(sandbox: Sandbox): PythonEvaluator {
  return async (expressions, signal) => {
    const results: Evaluated[] = [];
    for (let run = 0; run < MAX_RUNS && results.length < expressions.length; run++) {
      const { answered, stopped } = await evaluateRun(sandbox, expressions.slice(results.length), signal);
      results.push(...answered);
      // The first unanswered expression is the one the process died on.
      if (results.length < expressions.length) results.push({ ok: false, reason: stopped });
    }
    while (results.length < expressions.length) results.push({ ok: false, reason: 'not evaluated: earlier expressions used up the time' });
    return results;
  };
}

async function evaluateRun(sandbox: Sandbox, expressions: string[], signal?: AbortSignal): Promise<{ answered: Evaluated[]; stopped: string }> {
  const box = mkdtempSync(join(tmpdir(), 'vetta-eval-'));
  try {
    chmodSync(box, 0o755);
    copyFileSync(HARNESS, join(box, 'harness.py'));
    writeFileSync(join(box, 'job.json'), JSON.stringify({ kind: 'evaluate', expressions, sizeCap: VALUE_SIZE_CAP }), { mode: 0o644 });
    const answered: Evaluated[] = [];
    let started = false;
    const result = await sandbox.run({
      program: 'python',
      boxDir: box,
      args: ['{box}/harness.py', '{box}/job.json'],
      limits: { ...DEFAULT_LIMITS, wallMs: EVALUATION_TIME_MS, memoryMb: 512, stdoutBytes: 64 * 1024 * 1024 },
      signal,
      onLine: (line) => {
        if (!line.startsWith('{"t":')) return;
        const r = JSON.parse(line) as { t: string; value?: unknown; reason?: string };
        if (r.t === 'hello') started = true;
        else if (r.t === 'value') answered.push({ ok: true, value: r.value });
        else if (r.t === 'refused') answered.push({ ok: false, reason: r.reason ?? 'refused' });
      },
    });
    signal?.throwIfAborted();
    if (!started && !result.timedOut) throw new VettaError('sandbox_unavailable', sandbox.explainStartFailure(result));
    const stopped = result.memoryExceeded
      ? 'over the memory limit'
      : result.timedOut
        ? `over the time limit (${EVALUATION_TIME_MS / 1000} s)`
        : result.outputExceeded
          ? 'over the size limit'
          : `the evaluator stopped (${firstStderrLine(result)})`;
    return { answered, stopped };
  } finally {
    rmSync(box, { recursive: true, force: true });
  }
}
