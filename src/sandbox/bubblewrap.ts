import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chooseLimitsProvider } from './limits.js';
import type { LimitsProvider } from './limits.js';
import { BOX, NamespaceSandbox, NOBODY } from './namespace.js';
import type { NamespacePlan } from './namespace.js';
import { findOnPath } from '../core/find-on-path.js';
import { SECCOMP_FD } from './process.js';
import type { SandboxResult } from '../core/sandbox.js';
import { firstStderrLine } from '../core/sandbox.js';

/**
 * The bwrap command line, built without touching the system so it can be tested as data.
 * Every namespace is unshared (no network: only a private loopback; a private pid space), the
 * program runs as nobody with no capabilities (bwrap always sets no_new_privs), sees the
 * interpreter with its standard library and shared libraries, its box read-only and a small
 * private /tmp, and gets a fixed environment. It may not
 * make user namespaces of its own (where it would be root again; bwrap 0.8 and later), and runs
 * under the seccomp filter of seccomp.ts, which bwrap reads from fd 3.
 */
export function bubblewrapArgs(plan: NamespacePlan, disableUserns = true): string[] {
  const args = [
    '--unshare-all',
    '--unshare-user',
    ...(disableUserns ? ['--disable-userns'] : []),
    ...(plan.seccompArch ? ['--seccomp', String(SECCOMP_FD)] : []),
    '--uid',
    String(NOBODY),
    '--gid',
    String(NOBODY),
    '--cap-drop',
    'ALL',
    '--die-with-parent',
    '--new-session',
    '--hostname',
    'sandbox',
  ];
  // The merged-/usr links (/lib -> usr/lib), so library paths resolve as on the host; the
  // folders themselves stay empty but for what the interpreter needs.
  for (const [top, kind] of Object.entries(plan.layout)) {
    if (typeof kind === 'object') args.push('--symlink', kind.link, top);
  }
  for (const f of plan.etcFiles) args.push('--ro-bind-try', f, f);
  // The private /tmp goes before the interpreter's mounts: an interpreter installed under /tmp
  // (a CI checkout's Node) would otherwise be hidden by it.
  args.push('--size', String(plan.tmpfsBytes), '--tmpfs', '/tmp');
  for (const m of plan.interpreterMounts) args.push('--ro-bind', plan.mountSources[m] ?? m, m);
  args.push(
    '--proc',
    '/proc',
    // bwrap's /dev is a tmpfs without a size: the program may write only to /dev/shm, capped like /tmp.
    '--dev',
    '/dev',
    '--size',
    String(plan.tmpfsBytes),
    '--tmpfs',
    '/dev/shm',
    '--remount-ro',
    '/dev',
    '--ro-bind',
    plan.boxDir,
    BOX,
    // bwrap's own root is a tmpfs the program could fill; only /tmp stays writable.
    '--remount-ro',
    '/',
    '--chdir',
    '/tmp',
    '--clearenv',
  );
  for (const [k, v] of Object.entries(plan.env)) args.push('--setenv', k, v);
  args.push('--', plan.interpreter, ...plan.interpreterArgs, ...plan.args.map((a) => a.replaceAll('{box}', BOX)));
  return args;
}

function readSysctl(name: string): string | null {
  try {
    return readFileSync(`/proc/sys/${name.replaceAll('.', '/')}`, 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * Why bwrap could not set up the sandbox, with the fix. The usual cause on desktops is a kernel
 * or AppArmor policy against unprivileged user namespaces (Ubuntu 23.10 and later).
 */
export function explainBwrapFailure(stderr: string, sysctl: (name: string) => string | null = readSysctl): string {
  const line = stderr.trim().split('\n')[0]?.trim() ?? '';
  const namespaces = /namespace|uid map|setting up uid|Operation not permitted|Permission denied/i.test(line);
  if (namespaces && sysctl('kernel.apparmor_restrict_unprivileged_userns') === '1') {
    return `bubblewrap cannot create a user namespace because AppArmor restricts them (${line}); allow bwrap with an AppArmor profile (docs/sandbox.md) or run: sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0`;
  }
  if (namespaces && sysctl('kernel.unprivileged_userns_clone') === '0') {
    return `bubblewrap cannot create a user namespace because the kernel forbids them for unprivileged users (${line}); run: sudo sysctl kernel.unprivileged_userns_clone=1`;
  }
  if (namespaces && sysctl('user.max_user_namespaces') === '0') {
    return `bubblewrap cannot create a user namespace: user.max_user_namespaces is 0 (${line}); run: sudo sysctl user.max_user_namespaces=10000`;
  }
  return `the bubblewrap sandbox did not start: ${line || 'no error message'}`;
}

/** Whether this bwrap has --disable-userns (0.8.0 and later), from `bwrap --version`. */
export function bwrapDisablesUserns(versionOutput: string): boolean {
  const m = /(\d+)\.(\d+)/.exec(versionOutput);
  return m !== null && (Number(m[1]) > 0 || Number(m[2]) >= 8);
}

export class BubblewrapSandbox extends NamespaceSandbox {
  readonly name = 'bubblewrap';
  protected override readonly seccompOnFd3 = true;

  private constructor(
    bwrap: string,
    limits: LimitsProvider,
    private readonly disableUserns: boolean,
  ) {
    super(
      bwrap,
      limits,
      disableUserns ? [] : ['nested user namespaces stay possible: this bwrap is older than 0.8 and has no --disable-userns; upgrade bubblewrap'],
    );
  }

  /** The backend, or the reason it cannot run here. */
  static detect(env: NodeJS.ProcessEnv = process.env): BubblewrapSandbox | string {
    const bwrap = findOnPath('bwrap', env, ['/usr/bin', '/usr/local/bin']);
    if (!bwrap) return 'bwrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)';
    let version = '';
    try {
      version = execFileSync(bwrap, ['--version'], { encoding: 'utf8', timeout: 5000 });
    } catch {
      // an old bwrap without --version: treat it as older than 0.8
    }
    return new BubblewrapSandbox(bwrap, chooseLimitsProvider(env), bwrapDisablesUserns(version));
  }

  protected launcherArgs(plan: NamespacePlan): string[] {
    return bubblewrapArgs(plan, this.disableUserns);
  }

  explainStartFailure(result: SandboxResult): string {
    return result.stderr.trimStart().startsWith('bwrap:')
      ? explainBwrapFailure(result.stderr)
      : `the interpreter did not start inside the sandbox: ${firstStderrLine(result)}`;
  }
}
