import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { VettaError } from '../core/errors.js';
import { findOnPath } from '../core/find-on-path.js';
import type { Program, SandboxLimits } from './spec.js';

/** An interpreter on the host: the binary, and the folders it needs to see inside a sandbox. */
export interface Runtime {
  program: Program;
  path: string;
  /** Host folders the interpreter needs beyond the system ones (a Python prefix outside /usr). */
  mounts: string[];
}

const cache = new Map<Program, Runtime>();

/**
 * The Python the sandbox runs: VETTA_PYTHON, else the system's /usr/bin/python3 (version
 * managers' shims are shell scripts that cannot run inside a sandbox), else python3 on PATH.
 */
function findPython(env: NodeJS.ProcessEnv): Runtime {
  const chosen = env.VETTA_PYTHON || ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => existsSync(p)) || findOnPath('python3', env);
  if (!chosen) throw new VettaError('sandbox_unavailable', 'no python3 found: install Python 3 or set VETTA_PYTHON to its path');
  let prefix: string;
  let executable: string;
  try {
    const out = execFileSync(chosen, ['-I', '-S', '-c', 'import sys; print(sys.executable); print(sys.base_prefix)'], { encoding: 'utf8', timeout: 10_000 });
    [executable, prefix] = out.trim().split('\n') as [string, string];
  } catch (cause) {
    throw new VettaError('sandbox_unavailable', `${chosen} does not run (${(cause as Error).message.split('\n')[0]}); set VETTA_PYTHON to a working python3`, { cause });
  }
  const real = realpathSync(executable);
  const mounts = [real, prefix].filter((p) => !p.startsWith('/usr/'));
  return { program: 'python', path: real, mounts: [...new Set(mounts.map((m) => (m === real ? dirname(m) : m)))] };
}

/** The Node the sandbox runs: VETTA_NODE, else the one running vetta (>= 22 by `engines`). */
function findNode(env: NodeJS.ProcessEnv): Runtime {
  const path = realpathSync(env.VETTA_NODE || process.execPath);
  return { program: 'node', path, mounts: path.startsWith('/usr/') ? [] : [path] };
}

export function runtimeFor(program: Program, env: NodeJS.ProcessEnv = process.env): Runtime {
  let rt = cache.get(program);
  if (!rt) {
    rt = program === 'python' ? findPython(env) : findNode(env);
    cache.set(program, rt);
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
