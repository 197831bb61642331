import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { chooseLimitsProvider, limitGaps, limitsFor } from './limits.js';
import type { LimitsProvider } from './limits.js';
import { findOnPath } from './paths.js';
import { runLimited } from './process.js';
import { interpreterArgs, runtimeFor, SANDBOX_ENV } from './runtimes.js';
import type { Sandbox, SandboxRequest, SandboxResult } from './spec.js';
import { firstStderrLine } from './spec.js';

/** Where the request's box folder appears inside the sandbox. */
export const BOX = '/box';
/** The user the program runs as inside (and, when vetta is root, outside too). */
export const NOBODY = 65534;

/** How the host's top-level system folders look: merged-/usr systems make /bin, /lib... links. */
export type HostLayout = Record<string, { link: string } | 'dir' | 'absent'>;

export function readHostLayout(): HostLayout {
  const layout: HostLayout = {};
  for (const top of ['/bin', '/sbin', '/lib', '/lib64', '/lib32', '/libx32']) {
    try {
      const st = lstatSync(top);
      layout[top] = st.isSymbolicLink() ? { link: readlinkSync(top) } : 'dir';
    } catch {
      layout[top] = 'absent';
    }
  }
  return layout;
}

export interface BubblewrapPlan {
  interpreter: string;
  interpreterArgs: string[];
  /** Extra read-only host paths the interpreter needs, mounted at the same path. */
  interpreterMounts: string[];
  boxDir: string;
  args: string[];
  env: Record<string, string>;
  tmpfsBytes: number;
  layout: HostLayout;
}

/**
 * The bwrap command line, built without touching the system so it can be tested as data.
 * Every namespace is unshared (no network: only a private loopback; a private pid space), the
 * program runs as nobody with no capabilities (bwrap always sets no_new_privs), sees /usr, the
 * interpreter, its box read-only and a small private /tmp, and gets a fixed environment.
 */
export function bubblewrapArgs(plan: BubblewrapPlan): string[] {
  const args = [
    '--unshare-all',
    '--unshare-user',
    '--uid', String(NOBODY),
    '--gid', String(NOBODY),
    '--cap-drop', 'ALL',
    '--die-with-parent',
    '--new-session',
    '--hostname', 'sandbox',
    '--ro-bind', '/usr', '/usr',
  ];
  for (const [top, kind] of Object.entries(plan.layout)) {
    if (kind === 'absent') continue;
    if (kind === 'dir') args.push('--ro-bind', top, top);
    else args.push('--symlink', kind.link, top);
  }
  args.push(
    '--ro-bind-try', '/etc/ld.so.cache', '/etc/ld.so.cache',
    '--ro-bind-try', '/etc/alternatives', '/etc/alternatives',
    '--ro-bind-try', '/etc/localtime', '/etc/localtime',
  );
  for (const m of plan.interpreterMounts) args.push('--ro-bind', m, m);
  args.push(
    '--proc', '/proc',
    '--dev', '/dev',
    '--size', String(plan.tmpfsBytes), '--tmpfs', '/tmp',
    '--ro-bind', plan.boxDir, BOX,
    // bwrap's own root is a tmpfs the program could fill; only /tmp stays writable.
    '--remount-ro', '/',
    '--chdir', '/tmp',
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

export class BubblewrapSandbox implements Sandbox {
  readonly name = 'bubblewrap';
  readonly gaps: readonly string[];
  private readonly layout = readHostLayout();

  private constructor(
    private readonly bwrap: string,
    private readonly limitsProvider: LimitsProvider,
  ) {
    this.gaps = limitGaps(limitsProvider);
  }

  /** The backend, or the reason it cannot run here. */
  static detect(env: NodeJS.ProcessEnv = process.env): BubblewrapSandbox | string {
    const bwrap = findOnPath('bwrap', env, ['/usr/bin', '/usr/local/bin']);
    if (!bwrap) return 'bwrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)';
    return new BubblewrapSandbox(bwrap, chooseLimitsProvider(env));
  }

  explainStartFailure(result: SandboxResult): string {
    return result.stderr.trimStart().startsWith('bwrap:')
      ? explainBwrapFailure(result.stderr)
      : `the interpreter did not start inside the sandbox: ${firstStderrLine(result)}`;
  }

  run(request: SandboxRequest): Promise<SandboxResult> {
    const runtime = runtimeFor(request.program);
    const argv = [
      this.bwrap,
      ...bubblewrapArgs({
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
      // bwrap itself gets an empty environment: the sandbox's pid 1 is bwrap, and its
      // /proc/1/environ is readable from inside even with --clearenv.
      env: {},
      cwd: '/',
      // As root, bwrap would map the sandbox user to real root; start it as nobody instead so
      // even a kernel bug in the namespace code leaves an unprivileged process.
      ...(root ? { uid: NOBODY, gid: NOBODY } : {}),
      limits: request.limits,
      limitsBy: limitsFor(this.limitsProvider, request.limits),
      signal: request.signal,
      onLine: request.onLine,
      backend: this.name,
    });
  }
}
