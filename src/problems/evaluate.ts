import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VettaError } from '../core/errors.js';
import type { Sandbox } from '../sandbox/spec.js';
import { DEFAULT_LIMITS } from '../sandbox/spec.js';

/** A Python expression's value, or why it has none. */
export type Evaluated = { ok: true; value: unknown } | { ok: false; reason: string };

/** Evaluates Python expressions; the importer's one way to run a dataset's code. */
export type PythonEvaluator = (expressions: string[], signal?: AbortSignal) => Promise<Evaluated[]>;

const HARNESS = join(dirname(fileURLToPath(import.meta.url)), 'harness', 'harness.py');
/** A test value bigger than this is a generator gone wrong, not a test. */
export const VALUE_SIZE_CAP = 4_000_000;
/** For all of one record's expressions together. */
export const EVALUATION_TIME_MS = 10_000;

/**
 * Expressions from a dataset are untrusted code: they are evaluated by the judge's Python harness
 * in the sandbox, with its time, memory and output limits, never in Vetta's own process.
 */
export function sandboxEvaluator(sandbox: Sandbox): PythonEvaluator {
  return async (expressions, signal) => {
    if (expressions.length === 0) return [];
    const box = mkdtempSync(join(tmpdir(), 'vetta-eval-'));
    try {
      chmodSync(box, 0o755);
      copyFileSync(HARNESS, join(box, 'harness.py'));
      writeFileSync(join(box, 'job.json'), JSON.stringify({ kind: 'evaluate', expressions, sizeCap: VALUE_SIZE_CAP }), { mode: 0o644 });
      const results: Evaluated[] = expressions.map(() => ({ ok: false, reason: 'not evaluated: the evaluation ran out of time' }));
      let started = false;
      const result = await sandbox.run({
        program: 'python',
        boxDir: box,
        args: ['{box}/harness.py', '{box}/job.json'],
        limits: { ...DEFAULT_LIMITS, wallMs: EVALUATION_TIME_MS, memoryMb: 512, stdoutBytes: 64 * 1024 * 1024 },
        signal,
        onLine: (line) => {
          if (!line.startsWith('{"t":')) return;
          const r = JSON.parse(line) as { t: string; i: number; value?: unknown; reason?: string };
          if (r.t === 'hello') started = true;
          else if (r.t === 'value') results[r.i] = { ok: true, value: r.value };
          else if (r.t === 'refused') results[r.i] = { ok: false, reason: r.reason ?? 'refused' };
        },
      });
      signal?.throwIfAborted();
      if (!started && !result.timedOut) throw new VettaError('sandbox_unavailable', sandbox.explainStartFailure(result));
      if (result.memoryExceeded) for (const r of results) if (!r.ok && r.reason.startsWith('not evaluated')) r.reason = 'not evaluated: the evaluation ran out of memory';
      return results;
    } finally {
      rmSync(box, { recursive: true, force: true });
    }
  };
}
