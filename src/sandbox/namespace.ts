import { chmodSync, copyFileSync, existsSync, linkSync, lstatSync, mkdtempSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { VettaError } from '../core/errors.js';
import { limitGaps, limitsFor } from './limits.js';
import type { LimitsProvider } from './limits.js';
import { runLimited } from './process.js';
import { interpreterArgs, runtimeFor, SANDBOX_ENV } from './runtimes.js';
import type { SeccompArch } from './seccomp.js';
import { seccompArch, seccompFilter } from './seccomp.js';
import type { Sandbox, SandboxRequest, SandboxResult } from '../core/sandbox.js';

/** Where the request's box folder appears inside the sandbox. */
export const BOX = '/box';
/** The user the program runs as inside (and, when vetta is root, outside too). */
export const NOBODY = 65534;
const TMPFS_BYTES = 16 * 1024 * 1024;
/** The files of /etc every program may read: the loader's cache, the alternatives links, the time zone. */
const SHARED_ETC = ['/etc/ld.so.cache', '/etc/alternatives', '/etc/localtime'];

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
  /** Where to mount some of them from instead of their own path: a copy the sandbox user can reach
   *  of an interpreter it cannot (a Node under /root, mode 0700). */
  mountSources: Record<string, string>;
  boxDir: string;
  args: string[];
  env: Record<string, string>;
  tmpfsBytes: number;
  layout: HostLayout;
  /** Those of the shared /etc files this host has. */
  etcFiles: string[];
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
  private readonly etcFiles = SHARED_ETC.filter((f) => existsSync(f));
  private readonly seccompProgram = seccompFilter() ?? undefined;

  protected constructor(
    private readonly launcher: string,
    private readonly limitsProvider: LimitsProvider,
    launcherGaps: string[] = [],
  ) {
    this.gaps = [
      ...limitGaps(limitsProvider),
      ...launcherGaps,
      ...(seccompArch() ? [] : [`no seccomp filter for ${process.arch}: the kernel's full system-call surface is reachable`]),
    ];
  }

  protected abstract launcherArgs(plan: NamespacePlan): string[];
  /** Whether the launcher reads the seccomp program from fd 3 (bwrap) rather than from its arguments. */
  protected readonly seccompOnFd3: boolean = false;
  abstract explainStartFailure(result: SandboxResult): string;

  /** What the launcher is given for a request: the plan its command line is built from. */
  plan(request: SandboxRequest): NamespacePlan {
    const runtime = runtimeFor(request.program);
    // As root the launcher runs as nobody (run()), who cannot reach an interpreter in a private
    // folder (nvm under /root in a CI container): it mounts a reachable link or copy instead.
    const mountSources =
      process.getuid?.() === 0 ? Object.fromEntries(runtime.mounts.filter((m) => !reachableByOthers(m)).map((m) => [m, reachableCopy(m)])) : {};
    return {
      interpreter: runtime.path,
      interpreterArgs: interpreterArgs(request.program, request.limits),
      interpreterMounts: runtime.mounts,
      mountSources,
      boxDir: request.boxDir,
      args: request.args,
      env: SANDBOX_ENV,
      tmpfsBytes: TMPFS_BYTES,
      layout: this.layout,
      etcFiles: this.etcFiles,
      seccompArch: seccompArch(),
    };
  }

  /** The launcher's command line for a plan, program first (bench:sandbox times variants of it). */
  commandLine(plan: NamespacePlan): string[] {
    return [this.launcher, ...this.launcherArgs(plan)];
  }

  run(request: SandboxRequest): Promise<SandboxResult> {
    const root = process.getuid?.() === 0;
    const argv = this.commandLine(this.plan(request));
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
      ...(request.onMeter ? { onMeter: request.onMeter } : {}),
      ...(this.seccompOnFd3 && this.seccompProgram ? { seccompProgram: this.seccompProgram } : {}),
      // The launcher's arguments, and so those of the sandbox's pid 1 (a copy of it), hold the box folder.
      ifVettaDies: { matching: request.boxDir },
      backend: this.name,
    });
  }
}

const copies = new Map<string, string>();

/**
 * A path nobody can reach for a file it cannot: a hard link in a private, world-searchable folder
 * of the temporary directory (instant, no space), or a copy where the two are on different file
 * systems. Made once per process and removed at exit. A folder cannot be linked; the error says
 * how to make it reachable.
 */
function reachableCopy(path: string): string {
  const done = copies.get(path);
  if (done) return done;
  if (!statSync(path).isFile()) {
    throw new VettaError(
      'sandbox_unavailable',
      `the sandbox runs as nobody, who cannot reach ${path}: set VETTA_PYTHON / VETTA_NODE to an interpreter in a folder others can enter (chmod o+x on the folders above it)`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'vetta-interpreter-'));
  chmodSync(dir, 0o755);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const copy = join(dir, basename(path));
  try {
    // A link shares the file's mode: only a file others may read and run can be linked.
    if ((statSync(path).mode & 0o005) !== 0o005) throw new Error('not readable by others');
    linkSync(path, copy);
  } catch {
    copyFileSync(path, copy);
    chmodSync(copy, 0o755);
  }
  copies.set(path, copy);
  return copy;
}

/** Whether a user other than the owner could read the path: it is readable by others and every folder above it searchable. */
export function reachableByOthers(path: string): boolean {
  try {
    if ((statSync(path).mode & 0o004) === 0) return false;
  } catch {
    return false;
  }
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      if ((statSync(dir).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (dir === '/') return true;
  }
}
