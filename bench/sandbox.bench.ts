/**
 * npm run bench:sandbox: what each available sandbox backend adds to a trivial program.
 *
 * Per backend and language, the median wall time of a trivial program (`pass`, `0`) inside the
 * sandbox against the same program run bare, over at least 20 runs. nsjail is measured when it is
 * on PATH (`PATH=/opt/nsjail:$PATH npm run bench:sandbox`). Goal: bubblewrap with its
 * cgroup adds at most 20 ms. `--json` prints the figures for scripts.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BubblewrapSandbox } from '../src/sandbox/bubblewrap.ts';
import { NsjailSandbox } from '../src/sandbox/nsjail.ts';
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
for (const [name, found] of [
  ['bubblewrap', BubblewrapSandbox.detect()],
  ['nsjail', NsjailSandbox.detect()],
] as const) {
  if (typeof found === 'string') process.stderr.write(`${name}: skipped (${found})\n`);
  else backends.push(found);
}
backends.push(new UnsafeSandbox());

const rows: Record<string, unknown>[] = [];
for (const program of ['python', 'node'] as Program[]) {
  const runtime = runtimeFor(program);
  const main = program === 'python' ? 'main.py' : 'main.js';
  const file = join(box, main);
  const args = [`{box}/${main}`];
  // Round by round, the bare run and each backend in turn: a machine that speeds up or slows down
  // during the benchmark shifts every column alike instead of favouring whichever ran first.
  const bareTimes: number[] = [];
  const times = new Map<Sandbox, number[]>(backends.map((b) => [b, []]));
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    spawnSync(runtime.path, [...interpreterArgs(program, DEFAULT_LIMITS), file], { stdio: 'ignore' });
    bareTimes.push(performance.now() - t);
    for (const sandbox of backends) {
      t = performance.now();
      const r = await sandbox.run({ program, boxDir: box, args, limits: DEFAULT_LIMITS });
      times.get(sandbox)!.push(performance.now() - t);
      if (r.exitCode !== 0) throw new Error(`${sandbox.name} ${program}: exit ${r.exitCode} ${r.stderr}`);
    }
  }
  const bare = median(bareTimes);
  for (const sandbox of backends) {
    const inside = median(times.get(sandbox)!);
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
