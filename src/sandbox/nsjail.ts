import { getPriority } from 'node:os';
import { chooseLimitsProvider } from './limits.js';
import { BOX, NamespaceSandbox, NOBODY } from './namespace.js';
import type { NamespacePlan } from './namespace.js';
import { findOnPath } from '../core/find-on-path.js';
import { nsjailSeccompPolicy } from './seccomp.js';
import type { SandboxResult } from '../core/sandbox.js';
import { firstStderrLine } from '../core/sandbox.js';

/** The device nodes the program may use: bwrap's --dev, but for /dev/tty (a run has no terminal). */
const DEVICES = ['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom'];

/**
 * The nsjail command line (one-shot mode), built as data. nsjail unshares every namespace by
 * default (no network: only a private loopback), clears the environment, drops capabilities, sets
 * no_new_privs, starts a new session and kills the program when it dies itself; we add the user,
 * the read-only mounts, a small /tmp and /dev/shm, the devices and the seccomp policy of
 * seccomp.ts (which also keeps the program from making namespaces of its own). nsjail's root is a
 * tmpfs it remounts read-only, /dev included. Time, memory and process limits come from the same
 * per-run cgroup and timer as the bubblewrap backend. `niceness` is vetta's own, which the program
 * keeps as under bwrap.
 */
export function nsjailArgs(plan: NamespacePlan, niceness = 0): string[] {
  const args = [
    '--mode',
    'o',
    // Warnings and errors, so a failed start says why; a run that starts logs nothing more unless
    // the seccomp policy kills the program.
    '--quiet',
    '--user',
    String(NOBODY),
    '--group',
    String(NOBODY),
    '--hostname',
    'sandbox',
    '--time_limit',
    '0',
    // nsjail's defaults would run the program at nice 19 (starved on a busy machine, then stopped
    // by the wall clock) with 1 MB files, 32 descriptors and 4 GB of address space: none of them is
    // our limit (the cgroup, the timer and the tmpfs sizes are), so it gets vetta's own, as under bwrap.
    '--nice_level',
    String(niceness),
    '--disable_rlimits',
  ];
  if (plan.seccompArch) args.push('--seccomp_string', nsjailSeccompPolicy(plan.seccompArch));
  for (const [top, kind] of Object.entries(plan.layout)) {
    if (typeof kind === 'object') args.push('-s', `${kind.link}:${top}`);
  }
  for (const f of plan.etcFiles) args.push('-R', f);
  // The private /tmp goes before the interpreter's mounts, which may live under /tmp.
  args.push('-m', `none:/tmp:tmpfs:size=${plan.tmpfsBytes}`);
  for (const m of plan.interpreterMounts) args.push('-R', plan.mountSources[m] ? `${plan.mountSources[m]}:${m}` : m);
  // Device nodes bound writable, as bwrap does: a read-only mount would refuse even /dev/null.
  for (const d of DEVICES) args.push('-B', d);
  args.push('-m', `none:/dev/shm:tmpfs:size=${plan.tmpfsBytes}`);
  args.push('-s', '/proc/self/fd:/dev/fd', '-s', '/proc/self/fd/0:/dev/stdin', '-s', '/proc/self/fd/1:/dev/stdout', '-s', '/proc/self/fd/2:/dev/stderr');
  args.push('-R', `${plan.boxDir}:${BOX}`, '--cwd', '/tmp');
  for (const [k, v] of Object.entries(plan.env)) args.push('-E', `${k}=${v}`);
  args.push('--', plan.interpreter, ...plan.interpreterArgs, ...plan.args.map((a) => a.replaceAll('{box}', BOX)));
  return args;
}

/**
 * The first warning or error nsjail logged, which names the cause of a failed start (the last ones
 * only say that the launch failed), or null. Its lines look like
 * `[E][2026-01-01T00:00:00+0000][1] buildMountTree():327 Failed to mount mandatory point: '/x'`.
 */
export function nsjailLoggedCause(stderr: string): string | null {
  for (const line of stderr.split('\n')) {
    const m = /^\[[WEF]\]\[[^\]]*\]\[\d+\] (?:\S+\(\):\d+ )?(.*)$/.exec(line.trim());
    if (m) return m[1]!;
  }
  return null;
}

export class NsjailSandbox extends NamespaceSandbox {
  readonly name = 'nsjail';

  static detect(env: NodeJS.ProcessEnv = process.env): NsjailSandbox | string {
    const nsjail = findOnPath('nsjail', env);
    if (!nsjail) return 'nsjail is not installed';
    return new NsjailSandbox(nsjail, chooseLimitsProvider(env));
  }

  protected launcherArgs(plan: NamespacePlan): string[] {
    return nsjailArgs(plan, getPriority());
  }

  explainStartFailure(result: SandboxResult): string {
    const cause = nsjailLoggedCause(result.stderr);
    return cause !== null ? `the nsjail sandbox did not start: ${cause}` : `the interpreter did not start inside the sandbox: ${firstStderrLine(result)}`;
  }
}
