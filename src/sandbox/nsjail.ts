import { findOnPath } from './paths.js';
import { runLimited } from './process.js';
import { interpreterArgs, runtimeFor, SANDBOX_ENV } from './runtimes.js';
import { BOX, NOBODY, readHostLayout } from './bubblewrap.js';
import type { HostLayout } from './bubblewrap.js';
import { chooseLimitsProvider, limitGaps, limitsFor } from './limits.js';
import type { LimitsProvider } from './limits.js';
import type { Sandbox, SandboxRequest, SandboxResult } from './spec.js';
import { firstStderrLine } from './spec.js';

export interface NsjailPlan {
  interpreter: string;
  interpreterArgs: string[];
  interpreterMounts: string[];
  boxDir: string;
  args: string[];
  env: Record<string, string>;
  tmpfsBytes: number;
  layout: HostLayout;
}

/**
 * The nsjail command line (one-shot mode), built as data. nsjail unshares every namespace by
 * default (no network), clears the environment, drops capabilities and sets no_new_privs; we add
 * the user, the read-only mounts, a small /tmp and a minimal /dev. Time, memory and process limits
 * come from the same per-run cgroup and timer as the bubblewrap backend.
 */
export function nsjailArgs(plan: NsjailPlan): string[] {
  const args = [
    '--mode', 'o',
    '--really_quiet',
    '--user', String(NOBODY),
    '--group', String(NOBODY),
    '--hostname', 'sandbox',
    '--time_limit', '0',
    // nsjail's default 4 GB address-space limit is not our memory limit (the cgroup is), and V8
    // reserves address space far beyond what it uses.
    '--rlimit_as', 'hard',
    '--rlimit_nofile', '256',
    '-R', '/usr',
  ];
  for (const [top, kind] of Object.entries(plan.layout)) {
    if (kind === 'absent') continue;
    if (kind === 'dir') args.push('-R', top);
    else args.push('-s', `${kind.link}:${top}`);
  }
  for (const m of plan.interpreterMounts) args.push('-R', m);
  args.push(
    '-T', '/dev',
    '-R', '/dev/null', '-R', '/dev/zero', '-R', '/dev/urandom',
    '-m', `none:/tmp:tmpfs:size=${plan.tmpfsBytes}`,
    '-R', `${plan.boxDir}:${BOX}`,
    '--cwd', '/tmp',
  );
  for (const [k, v] of Object.entries(plan.env)) args.push('-E', `${k}=${v}`);
  args.push('--', plan.interpreter, ...plan.interpreterArgs, ...plan.args.map((a) => a.replaceAll('{box}', BOX)));
  return args;
}

export class NsjailSandbox implements Sandbox {
  readonly name = 'nsjail';
  readonly gaps: readonly string[];
  private readonly layout = readHostLayout();

  private constructor(
    private readonly nsjail: string,
    private readonly limitsProvider: LimitsProvider,
  ) {
    this.gaps = limitGaps(limitsProvider);
  }

  static detect(env: NodeJS.ProcessEnv = process.env): NsjailSandbox | string {
    const nsjail = findOnPath('nsjail', env);
    if (!nsjail) return 'nsjail is not installed';
    return new NsjailSandbox(nsjail, chooseLimitsProvider(env));
  }

  explainStartFailure(result: SandboxResult): string {
    return `the nsjail sandbox did not start: ${firstStderrLine(result)}`;
  }

  run(request: SandboxRequest): Promise<SandboxResult> {
    const runtime = runtimeFor(request.program);
    const argv = [
      this.nsjail,
      ...nsjailArgs({
        interpreter: runtime.path,
        interpreterArgs: interpreterArgs(request.program, request.limits),
        interpreterMounts: runtime.mounts,
        boxDir: request.boxDir,
        args: request.args,
        env: SANDBOX_ENV,
        tmpfsBytes: 16 * 1024 * 1024,
        layout: this.layout,
      }),
    ];
    const root = process.getuid?.() === 0;
    return runLimited({
      argv,
      env: {},
      cwd: '/',
      ...(root ? { uid: NOBODY, gid: NOBODY } : {}),
      limits: request.limits,
      limitsBy: limitsFor(this.limitsProvider, request.limits),
      signal: request.signal,
      onLine: request.onLine,
      backend: this.name,
    });
  }
}
