/**
 * npm run bench:sandbox: what each available sandbox backend adds to a trivial program.
 *
 * Per backend and language, the median wall time of a trivial program (`pass`, `0`) inside the
 * sandbox against the same program run bare, over at least 20 runs. nsjail is measured when it is
 * on PATH (`PATH=/opt/nsjail:$PATH npm run bench:sandbox`). Goal: bubblewrap with its
 * cgroup adds at most 20 ms. `--json` prints the figures for scripts.
 *
 * Then what two of bubblewrap's protections cost (issue 12: at most 5 ms a run together): its
 * real command line, as the backend builds it, against the same command line with the seccomp
 * filter left out, and with the old filesystem view (all of /usr bound read-only instead of the
 * interpreter's own files). bwrap is started directly, without the cgroup or the timer, the same
 * way for all three (run()'s environment, user, stdio and fd 3), taking turns run by run
 * (BENCH_PROTECTION_RUNS, default 101); a cost is the median of the per-round differences.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { BubblewrapSandbox } from '../src/sandbox/bubblewrap.ts';
import type { NamespacePlan } from '../src/sandbox/namespace.ts';
import { NOBODY } from '../src/sandbox/namespace.ts';
import { SECCOMP_FD } from '../src/sandbox/process.ts';
import { seccompFilter } from '../src/sandbox/seccomp.ts';
import { cgroupUnavailableReason, RunCgroup } from '../src/sandbox/cgroup.ts';
import { NsjailSandbox } from '../src/sandbox/nsjail.ts';
import { interpreterArgs, runtimeFor } from '../src/sandbox/runtimes.ts';
import type { Program, Sandbox } from '../src/core/sandbox.ts';
import { DEFAULT_LIMITS } from '../src/core/sandbox.ts';
import { UnsafeSandbox } from '../src/sandbox/unsafe.ts';

const RUNS = Math.max(20, Number(process.env.BENCH_RUNS ?? 31));
const PROTECTION_RUNS = Math.max(20, Number(process.env.BENCH_PROTECTION_RUNS ?? 101));
const GOAL_MS = 20;
const PROTECTION_GOAL_MS = 5;
const json = process.argv.includes('--json');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round1 = (ms: number) => Math.round(ms * 10) / 10;

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
/**
 * The command line with the view bwrap had before the filtered one: /usr bound whole, the
 * top-level system folders bound or linked, and only interpreter files outside /usr mounted.
 */
function oldViewCommandLine(sandbox: BubblewrapSandbox, plan: NamespacePlan): string[] {
  const argv = sandbox.commandLine({ ...plan, interpreterMounts: plan.interpreterMounts.filter((m) => !m.startsWith('/usr/')), layout: {} });
  const view = ['--ro-bind', '/usr', '/usr'];
  for (const [top, kind] of Object.entries(plan.layout)) {
    if (kind === 'dir') view.push('--ro-bind', top, top);
    else if (typeof kind === 'object') view.push('--symlink', kind.link, top);
  }
  const at = argv.indexOf('--hostname') + 2;
  return [...argv.slice(0, at), ...view, ...argv.slice(at)];
}

/** Whether each run gets a cgroup of its own that counts its CPU time, as run() makes one. */
const cpuCounted = (() => {
  if (cgroupUnavailableReason() !== null) return false;
  const probe = RunCgroup.create({ memoryBytes: 64 * 1024 * 1024, maxProcesses: 8 });
  const counted = probe.cpuMs() !== null;
  probe.remove();
  return counted;
})();

/**
 * One run of a launcher command line, started as run() starts it but without the timer: in a
 * cgroup of its own where one counts CPU time (through the same start gate), so that the CPU
 * time of the whole run, which a busy machine hardly changes, is measured beside the wall time.
 */
function timeLauncher(argv: string[], seccomp: Buffer | null): Promise<{ wallMs: number; cpuMs: number | null }> {
  const cgroup = cpuCounted ? RunCgroup.create({ memoryBytes: DEFAULT_LIMITS.memoryMb * 1024 * 1024, maxProcesses: DEFAULT_LIMITS.maxProcesses }) : null;
  const started = performance.now();
  const command = cgroup ? ['/bin/sh', '-c', 'read -r _ && exec "$0" "$@"', ...argv] : argv;
  const child = spawn(command[0]!, command.slice(1), {
    env: {},
    cwd: '/',
    stdio: seccomp ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
    detached: true,
    ...(process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  cgroup?.add(child.pid!);
  if (seccomp) (child.stdio[SECCOMP_FD] as Writable).end(seccomp);
  child.stdin!.end(cgroup ? '\n' : undefined);
  child.stdout!.resume();
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const cpuMs = cgroup?.cpuMs() ?? null;
      cgroup?.remove();
      if (code === 0) resolve({ wallMs, cpuMs });
      else reject(new Error(`${argv[0]} exit ${code}: ${stderr}`));
    }),
  );
}

const protections: Record<string, unknown>[] = [];
const bwrap = backends.find((b): b is BubblewrapSandbox => b instanceof BubblewrapSandbox);
const seccomp = seccompFilter();
if (bwrap && seccomp) {
  for (const program of ['python', 'node'] as Program[]) {
    const main = program === 'python' ? 'main.py' : 'main.js';
    const plan = bwrap.plan({ program, boxDir: box, args: [`{box}/${main}`], limits: DEFAULT_LIMITS });
    const variants = [
      { name: 'real', argv: bwrap.commandLine(plan), seccomp },
      { name: 'noSeccomp', argv: bwrap.commandLine({ ...plan, seccompArch: null }), seccomp: null },
      { name: 'oldView', argv: oldViewCommandLine(bwrap, plan), seccomp },
    ];
    const times: Record<string, number[]> = { real: [], noSeccomp: [], oldView: [] };
    const cpu: Record<string, number[]> = { real: [], noSeccomp: [], oldView: [] };
    for (let i = 0; i < PROTECTION_RUNS; i++) {
      // Each round in a different order, so no variant always runs right after another.
      for (let k = 0; k < variants.length; k++) {
        const v = variants[(i + k) % variants.length]!;
        const t = await timeLauncher(v.argv, v.seccomp);
        times[v.name]!.push(t.wallMs);
        if (t.cpuMs !== null) cpu[v.name]!.push(t.cpuMs);
      }
    }
    const paired = (other: string) => median(times.real!.map((t, i) => t - times[other]![i]!));
    const seccompCost = paired('noSeccomp');
    const viewCost = paired('oldView');
    protections.push({
      backend: 'bubblewrap',
      program,
      runs: PROTECTION_RUNS,
      mounts: plan.interpreterMounts.length,
      seccompBytes: seccomp.length,
      realMedianMs: round1(median(times.real!)),
      noSeccompMedianMs: round1(median(times.noSeccomp!)),
      oldViewMedianMs: round1(median(times.oldView!)),
      seccompCostMs: round1(seccompCost),
      filteredViewCostMs: round1(viewCost),
      ...(cpu.real!.length > 0
        ? {
            realCpuMs: round1(median(cpu.real!)),
            seccompCpuCostMs: round1(median(cpu.real!) - median(cpu.noSeccomp!)),
            filteredViewCpuCostMs: round1(median(cpu.real!) - median(cpu.oldView!)),
          }
        : {}),
      goalMs: PROTECTION_GOAL_MS,
      withinGoal: seccompCost + viewCost <= PROTECTION_GOAL_MS,
    });
  }
} else {
  process.stderr.write(`protections: skipped (${bwrap ? `no seccomp filter for ${process.arch}` : 'no bubblewrap'})\n`);
}
rmSync(box, { recursive: true, force: true });

if (json) {
  process.stdout.write(`${JSON.stringify({ machine: { cpus: cpus().length, node: process.version }, results: rows, protections }, null, 2)}\n`);
} else {
  process.stdout.write(`sandbox overhead on a trivial program (${RUNS} runs each, ${cpus().length} cores)\n`);
  for (const r of rows) {
    const goal = r.goalMs !== undefined ? `, goal <= ${r.goalMs} ms: ${r.withinGoal ? 'met' : 'MISSED'}` : '';
    process.stdout.write(
      `${String(r.backend).padEnd(10)} ${String(r.program).padEnd(6)} sandboxed ${r.sandboxedMedianMs} ms, bare ${r.bareMedianMs} ms, added ${r.addedMs} ms${r.cgroup ? ' (with cgroup)' : ''}${goal}\n`,
    );
  }
  if (protections.length > 0)
    process.stdout.write(`\nwhat the filtered view and seccomp cost (bwrap started directly, ${PROTECTION_RUNS} runs each, taking turns)\n`);
  for (const p of protections) {
    process.stdout.write(
      `${String(p.program).padEnd(6)} real ${p.realMedianMs} ms, without seccomp ${p.noSeccompMedianMs} ms, with /usr whole ${p.oldViewMedianMs} ms: seccomp ${p.seccompCostMs} ms, filtered view (${p.mounts} mounts) ${p.filteredViewCostMs} ms, goal <= ${p.goalMs} ms together: ${p.withinGoal ? 'met' : 'MISSED'}${p.realCpuMs !== undefined ? `; CPU time ${p.realCpuMs} ms a run, of it seccomp ${p.seccompCpuCostMs} ms, filtered view ${p.filteredViewCpuCostMs} ms` : ''}\n`,
    );
  }
}
