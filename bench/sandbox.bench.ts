/**
 * npm run bench:sandbox: what each available sandbox backend adds to a trivial program.
 *
 * Per backend and language, the median wall time of a trivial program (`pass`, `0`) inside the
 * sandbox against the same program run bare, over at least 20 runs. Goal: bubblewrap with its
 * cgroup adds at most 20 ms. `--json` prints the figures for scripts.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BubblewrapSandbox } from '../src/sandbox/bubblewrap.ts';
import { interpreterArgs, runtimeFor } from '../src/sandbox/runtimes.ts';
import type { Program, Sandbox } from '../src/core/sandbox.ts';
import { DEFAULT_LIMITS } from '../src/core/sandbox.ts';
import { UnsafeSandbox } from '../src/sandbox/unsafe.ts';

const RUNS = Math.max(20, Number(process.env.BENCH_RUNS ?? 31));
const GOAL_MS = 20;
const json = process.argv.includes('--json');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const box = mkdtempSync(join(tmpdir(), 'vetta-bench-'));
chmodSync(box, 0o755);
writeFileSync(join(box, 'main.py'), 'pass\n', { mode: 0o644 });
writeFileSync(join(box, 'main.js'), '0\n', { mode: 0o644 });

const backends: Sandbox[] = [];
const bwrap = BubblewrapSandbox.detect();
if (typeof bwrap === 'string') process.stderr.write(`bubblewrap: skipped (${bwrap})\n`);
else backends.push(bwrap);
backends.push(new UnsafeSandbox());

const rows: Record<string, unknown>[] = [];
for (const program of ['python', 'node'] as Program[]) {
  const runtime = runtimeFor(program);
  const file = join(box, program === 'python' ? 'main.py' : 'main.js');
  const bareTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    spawnSync(runtime.path, [...interpreterArgs(program, DEFAULT_LIMITS), file], { stdio: 'ignore' });
    bareTimes.push(performance.now() - t);
  }
  const bare = median(bareTimes);
  for (const sandbox of backends) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const r = await sandbox.run({ program, boxDir: box, args: [`{box}/${program === 'python' ? 'main.py' : 'main.js'}`], limits: DEFAULT_LIMITS });
      times.push(performance.now() - t);
      if (r.exitCode !== 0) throw new Error(`${sandbox.name} ${program}: exit ${r.exitCode} ${r.stderr}`);
    }
    const inside = median(times);
    rows.push({
      backend: sandbox.name,
      cgroup: sandbox.gaps.length === 0 && sandbox.name !== 'unsafe',
      program,
      runs: RUNS,
      sandboxedMedianMs: Math.round(inside * 10) / 10,
      bareMedianMs: Math.round(bare * 10) / 10,
      addedMs: Math.round((inside - bare) * 10) / 10,
      ...(sandbox.name === 'bubblewrap' ? { goalMs: GOAL_MS, withinGoal: inside - bare <= GOAL_MS } : {}),
    });
  }
}
rmSync(box, { recursive: true, force: true });

if (json) {
  process.stdout.write(`${JSON.stringify({ machine: { cpus: cpus().length, node: process.version }, results: rows }, null, 2)}\n`);
} else {
  process.stdout.write(`sandbox overhead on a trivial program (${RUNS} runs each, ${cpus().length} cores)\n`);
  for (const r of rows) {
    const goal = r.goalMs !== undefined ? `, goal <= ${r.goalMs} ms: ${r.withinGoal ? 'met' : 'MISSED'}` : '';
    process.stdout.write(
      `${String(r.backend).padEnd(10)} ${String(r.program).padEnd(6)} sandboxed ${r.sandboxedMedianMs} ms, bare ${r.bareMedianMs} ms, added ${r.addedMs} ms${r.cgroup ? ' (with cgroup)' : ''}${goal}\n`,
    );
  }
}
