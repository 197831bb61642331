import { chooseLimitsProvider } from './limits.js';
import { BOX, NamespaceSandbox, NOBODY } from './namespace.js';
import type { NamespacePlan } from './namespace.js';
import { findOnPath } from '../core/find-on-path.js';
import { nsjailSeccompPolicy } from './seccomp.js';
import type { SandboxResult } from '../core/sandbox.js';
import { firstStderrLine } from '../core/sandbox.js';

/**
 * The nsjail command line (one-shot mode), built as data. nsjail unshares every namespace by
 * default (no network), clears the environment, drops capabilities and sets no_new_privs; we add
 * the user, the read-only mounts, a small /tmp, a minimal /dev and the seccomp policy of seccomp.ts
 * (which also keeps the program from making namespaces of its own). Time, memory and process limits
 * come from the same per-run cgroup and timer as the bubblewrap backend.
 */
export function nsjailArgs(plan: NamespacePlan): string[] {
  const args = [
    '--mode',
    'o',
    '--really_quiet',
    '--user',
    String(NOBODY),
    '--group',
    String(NOBODY),
    '--hostname',
    'sandbox',
    '--time_limit',
    '0',
    // nsjail's default 4 GB address-space limit is not our memory limit (the cgroup is), and V8
    // reserves address space far beyond what it uses.
    '--rlimit_as',
    'hard',
    '--rlimit_nofile',
    '256',
  ];
  if (plan.seccompArch) args.push('--seccomp_string', nsjailSeccompPolicy(plan.seccompArch));
  for (const [top, kind] of Object.entries(plan.layout)) {
    if (typeof kind === 'object') args.push('-s', `${kind.link}:${top}`);
  }
  // The private /tmp goes before the interpreter's mounts, which may live under /tmp.
  args.push('-m', `none:/tmp:tmpfs:size=${plan.tmpfsBytes}`);
  for (const m of plan.interpreterMounts) args.push('-R', plan.mountSources[m] ? `${plan.mountSources[m]}:${m}` : m);
  args.push('-T', '/dev', '-R', '/dev/null', '-R', '/dev/zero', '-R', '/dev/urandom', '-R', `${plan.boxDir}:${BOX}`, '--cwd', '/tmp');
  for (const [k, v] of Object.entries(plan.env)) args.push('-E', `${k}=${v}`);
  args.push('--', plan.interpreter, ...plan.interpreterArgs, ...plan.args.map((a) => a.replaceAll('{box}', BOX)));
  return args;
}

export class NsjailSandbox extends NamespaceSandbox {
  readonly name = 'nsjail';

  static detect(env: NodeJS.ProcessEnv = process.env): NsjailSandbox | string {
    const nsjail = findOnPath('nsjail', env);
    if (!nsjail) return 'nsjail is not installed';
    return new NsjailSandbox(nsjail, chooseLimitsProvider(env));
  }

  protected launcherArgs(plan: NamespacePlan): string[] {
    return nsjailArgs(plan);
  }

  explainStartFailure(result: SandboxResult): string {
    return `the nsjail sandbox did not start: ${firstStderrLine(result)}`;
  }
}
