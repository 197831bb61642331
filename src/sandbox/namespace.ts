import { lstatSync, readlinkSync } from 'node:fs';
import { limitGaps, limitsFor } from './limits.js';
import type { LimitsProvider } from './limits.js';
import { runLimited } from './process.js';
import { interpreterArgs, runtimeFor, SANDBOX_ENV } from './runtimes.js';
import type { SeccompArch } from './seccomp.js';
import { seccompArch, seccompFilter } from './seccomp.js';
import type { Sandbox, SandboxRequest, SandboxResult } from './spec.js';

/** Where the request's box folder appears inside the sandbox. */
export const BOX = '/box';
/** The user the program runs as inside (and, when vetta is root, outside too). */
export const NOBODY = 65534;
const TMPFS_BYTES = 16 * 1024 * 1024;

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

/** What a namespace launcher (bwrap, nsjail) needs to build its command line. */
export interface NamespacePlan {
  interpreter: string;
  interpreterArgs: string[];
  /** Extra read-only host paths the interpreter needs, mounted at the same path. */
  interpreterMounts: string[];
  boxDir: string;
  args: string[];
  env: Record<string, string>;
  tmpfsBytes: number;
  layout: HostLayout;
  /** The architecture the seccomp filter is built for, or null where there is none. */
  seccompArch: SeccompArch | null;
}

/**
 * A backend that isolates with Linux namespaces through a launcher program; the subclass only
 * builds the launcher's arguments and explains its start failures.
 */
export abstract class NamespaceSandbox implements Sandbox {
  abstract readonly name: string;
  readonly gaps: readonly string[];
  private readonly layout = readHostLayout();
  private readonly seccompProgram = seccompFilter() ?? undefined;

  protected constructor(
    private readonly launcher: string,
    private readonly limitsProvider: LimitsProvider,
    launcherGaps: string[] = [],
  ) {
    this.gaps = [...limitGaps(limitsProvider), ...launcherGaps, ...(seccompArch() ? [] : [`no seccomp filter for ${process.arch}: the kernel's full system-call surface is reachable`])];
  }

  protected abstract launcherArgs(plan: NamespacePlan): string[];
  /** Whether the launcher reads the seccomp program from fd 3 (bwrap) rather than from its arguments. */
  protected readonly seccompOnFd3: boolean = false;
  abstract explainStartFailure(result: SandboxResult): string;

  run(request: SandboxRequest): Promise<SandboxResult> {
    const runtime = runtimeFor(request.program);
    const argv = [
      this.launcher,
      ...this.launcherArgs({
        interpreter: runtime.path,
        interpreterArgs: interpreterArgs(request.program, request.limits),
        interpreterMounts: runtime.mounts,
        boxDir: request.boxDir,
        args: request.args,
        env: SANDBOX_ENV,
        tmpfsBytes: TMPFS_BYTES,
        layout: this.layout,
        seccompArch: seccompArch(),
      }),
    ];
    const root = process.getuid?.() === 0;
    return runLimited({
      argv,
      // The launcher gets an empty environment: the sandbox's pid 1 is the launcher, and its
      // /proc/1/environ is readable from inside whatever environment the program is given.
      env: {},
      cwd: '/',
      // As root the launcher would map the sandbox user to real root; start it as nobody instead
      // so even a kernel bug in the namespace code leaves an unprivileged process.
      ...(root ? { uid: NOBODY, gid: NOBODY } : {}),
      limits: request.limits,
      limitsBy: limitsFor(this.limitsProvider, request.limits),
      signal: request.signal,
      onLine: request.onLine,
      ...(this.seccompOnFd3 && this.seccompProgram ? { seccompProgram: this.seccompProgram } : {}),
      backend: this.name,
    });
  }
}
