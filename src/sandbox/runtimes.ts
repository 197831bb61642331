import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { VettaError } from '../core/errors.js';
import { findOnPath } from '../core/find-on-path.js';
import { sharedLibraryClosure } from './elf.js';
import type { Program, SandboxLimits } from '../core/sandbox.js';

/** An interpreter on the host: the binary, and the files it needs to see inside a sandbox. */
export interface Runtime {
  program: Program;
  path: string;
  /** Everything of the host the sandbox shows, each at its own path: the interpreter, its
   *  standard library, the shared libraries they load, and /bin/sh. Never /usr as a whole, where
   *  a system-wide npm install keeps Vetta's problems with their hidden tests. */
  mounts: string[];
}

/** The shell, for solutions that start a command; it can read nothing the program cannot. */
const SHELL = '/bin/sh';

/** The paths, the libraries their binaries load, and the shell, without duplicates or paths inside another. */
function withLibraries(paths: string[], binaries: string[]): string[] {
  const shell = existsSync(SHELL) ? [SHELL] : [];
  const all = [...new Set([...paths, ...shell, ...sharedLibraryClosure([...binaries, ...shell])].map(inCanonicalFolder))];
  return all.filter((p) => !all.some((q) => q !== p && p.startsWith(`${q}/`)));
}

/**
 * The path with its folder's links resolved (/lib64/ld-linux-x86-64.so.2 -> /usr/lib64/...): a
 * mount cannot be made through a link whose target folder the sandbox does not have. The file
 * itself may stay a link (a soname): the mount follows it.
 */
function inCanonicalFolder(path: string): string {
  return join(realpathSync(dirname(path)), basename(path));
}

/**
 * Compiled modules that cannot work in a run, which has no terminal (curses, readline) and no
 * network (nis, a NIS client removed in Python 3.13): their libraries are not shown, so importing
 * them fails. Each library is one more bind mount, about 0.16 ms of every run's start; these
 * were 13 of Python's 31 mounts on Debian 12 (nis alone brings 9: libnsl, libtirpc and Kerberos).
 */
const UNUSABLE_MODULES = /^(nis|_curses|_curses_panel|readline)\./;

/** Python's compiled modules (lib-dynload): their libraries must be visible too. */
function extensionModules(dirs: string[]): string[] {
  return dirs.flatMap((d) => {
    try {
      return readdirSync(d)
        .filter((f) => f.endsWith('.so') && !UNUSABLE_MODULES.test(f))
        .map((f) => join(d, f));
    } catch {
      return [];
    }
  });
}

/** By program and the interpreter the environment names. */
const cache = new Map<string, Runtime>();

/**
 * The one package the Python harness gives imported problems, as LeetCode does: Debian's
 * python3-sortedcontainers (pure Python). Only its own folder is shown, never the rest of
 * dist-packages.
 */
export const HARNESS_PACKAGES = ['/usr/lib/python3/dist-packages/sortedcontainers'];

/**
 * The Python the sandbox runs: VETTA_PYTHON, else the system's /usr/bin/python3 (version
 * managers' shims are shell scripts that cannot run inside a sandbox), else python3 on PATH.
 */
function findPython(env: NodeJS.ProcessEnv): Runtime {
  const chosen = env.VETTA_PYTHON || ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => existsSync(p)) || findOnPath('python3', env);
  if (!chosen) throw new VettaError('sandbox_unavailable', 'no python3 found: install Python 3 or set VETTA_PYTHON to its path');
  let executable: string;
  let searchPath: string[];
  try {
    const out = execFileSync(chosen, ['-I', '-S', '-c', 'import sys; print(sys.executable); print("\\n".join(sys.path))'], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    [executable, ...searchPath] = out.trim().split('\n') as [string, ...string[]];
  } catch (cause) {
    throw new VettaError('sandbox_unavailable', `${chosen} does not run (${(cause as Error).message.split('\n')[0]}); set VETTA_PYTHON to a working python3`, {
      cause,
    });
  }
  const real = realpathSync(executable);
  // The standard library: sys.path without site-packages (-S), so only what exists of it.
  const stdlib = searchPath.filter((p) => existsSync(p) && statSync(p).isDirectory());
  const packages = HARNESS_PACKAGES.filter((p) => existsSync(p));
  return { program: 'python', path: real, mounts: withLibraries([real, ...stdlib, ...packages], [real, ...extensionModules(stdlib)]) };
}

/** The oldest Node the harness runs on (package.json `engines`: stripTypeScriptTypes). */
const MIN_NODE: [number, number] = [22, 13];

/** The Node the sandbox runs: VETTA_NODE, else the one running vetta (>= 22.13 by `engines`). */
function findNode(env: NodeJS.ProcessEnv): Runtime {
  if (env.VETTA_NODE) {
    let version: string;
    try {
      version = execFileSync(env.VETTA_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 10_000 }).trim();
    } catch (cause) {
      throw new VettaError(
        'sandbox_unavailable',
        `VETTA_NODE (${env.VETTA_NODE}) does not run (${(cause as Error).message.split('\n')[0]}); point it at a working node ${MIN_NODE.join('.')} or later`,
        { cause },
      );
    }
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
      throw new VettaError(
        'sandbox_unavailable',
        `VETTA_NODE is Node ${version}; solutions need Node ${MIN_NODE.join('.')} or later: point VETTA_NODE at a newer node, or unset it to use the one running vetta`,
      );
    }
  }
  const path = realpathSync(env.VETTA_NODE || process.execPath);
  return { program: 'node', path, mounts: withLibraries([path], [path]) };
}

export function runtimeFor(program: Program, env: NodeJS.ProcessEnv = process.env): Runtime {
  const key = `${program}:${(program === 'python' ? env.VETTA_PYTHON : env.VETTA_NODE) ?? ''}`;
  let rt = cache.get(key);
  if (!rt) {
    rt = program === 'python' ? findPython(env) : findNode(env);
    cache.set(key, rt);
  }
  return rt;
}

/** Interpreter flags: Python isolated from the user's site and env; Node's heap kept under the
 *  memory limit so a heap overflow is reported by V8 instead of by the OOM killer. */
export function interpreterArgs(program: Program, limits: SandboxLimits): string[] {
  if (program === 'python') return ['-I', '-S', '-B'];
  const heapMb = Math.max(16, limits.memoryMb - 48);
  return [`--max-old-space-size=${heapMb}`, '--max-semi-space-size=4', '--no-warnings'];
}

/** The fixed environment every sandboxed program gets; nothing of the user's. */
export const SANDBOX_ENV: Record<string, string> = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/tmp',
  LANG: 'C.UTF-8',
  PYTHONDONTWRITEBYTECODE: '1',
  PYTHONHASHSEED: '0',
};
