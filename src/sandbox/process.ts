import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { RunCgroup } from './cgroup.js';
import type { Undo } from './reaper.js';
import { undoIfVettaDies } from './reaper.js';
import type { RunMeter, SandboxLimits, SandboxResult } from '../core/sandbox.js';

/** A run's counters (CgroupCounters, or a container's), including the most memory it has held. */
export interface RunCounters extends RunMeter {
  peakBytes(): number | null;
}

export interface LimitedRun {
  argv: string[];
  env: Record<string, string>;
  cwd?: string;
  /** Drop to this user before exec (when vetta runs as root). */
  uid?: number;
  gid?: number;
  limits: SandboxLimits;
  /** Where the memory and process limits come from: a cgroup we make, a systemd user scope
   *  (the argv prefix that makes it), or nothing. */
  limitsBy: 'cgroup' | { scopePrefix: string[] } | 'none';
  signal?: AbortSignal;
  onLine?: (line: string) => void;
  /** Given the run's counters once it is in its cgroup; never called without one. */
  onMeter?: (meter: RunMeter) => void;
  /** The counters of a cgroup the run is put in by someone else (a container engine's). */
  counters?: RunCounters;
  /** Given to the program on fd SECCOMP_FD, then closed: bwrap reads its seccomp filter there. */
  seccompProgram?: Buffer;
  /** Also called when the run is killed: for programs whose process tree is not ours (a container). */
  onKill?: () => void;
  /** How the reaper undoes the run if vetta dies during it (reaper.ts); its cgroup is added here. */
  ifVettaDies?: Undo;
  backend: string;
}

const STDERR_KEEP = 32 * 1024;
/** The descriptor a launcher reads the seccomp program from. */
export const SECCOMP_FD = 3;

/** Collects a stream's first and last bytes and counts the rest. */
class HeadTail {
  private head = '';
  private tail = '';
  bytes = 0;

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    const text = chunk.toString('utf8');
    if (this.head.length < STDERR_KEEP) {
      const room = STDERR_KEEP - this.head.length;
      this.head += text.slice(0, room);
      if (text.length <= room) return;
    }
    this.tail = (this.tail + text).slice(-STDERR_KEEP);
  }

  text(): string {
    return this.tail ? `${this.head}\n[...]\n${this.tail}` : this.head;
  }
}

/**
 * Runs a program with a wall-clock limit, output limits, an optional cgroup, and kills the whole
 * process tree when any limit is hit or the signal aborts. The only process runner in the sandbox;
 * backends differ in the argv they build.
 */
export function runLimited(run: LimitedRun): Promise<SandboxResult> {
  const { limits } = run;
  const started = performance.now();
  let cgroup: RunCgroup | null = null;
  if (run.limitsBy === 'cgroup') {
    cgroup = RunCgroup.create({ memoryBytes: limits.memoryMb * 1024 * 1024, maxProcesses: limits.maxProcesses });
  }
  const scope = typeof run.limitsBy === 'object' ? run.limitsBy.scopePrefix : null;
  // Before the first process starts: a vetta killed from now on leaves nothing behind.
  const ended = undoIfVettaDies({ ...run.ifVettaDies, ...(cgroup ? { cgroups: cgroup.dirs } : {}) });
  // With a cgroup, a tiny shell waits on stdin until the parent has moved it into the cgroup,
  // then execs the real program: nothing runs outside the limits, even for a millisecond.
  // systemd-run does the same on its own before it execs the program.
  const argv = cgroup ? ['/bin/sh', '-c', 'read -r _ && exec "$0" "$@"', ...run.argv] : scope ? [...scope, ...run.argv] : run.argv;
  const child = spawn(argv[0]!, argv.slice(1), {
    env: run.env,
    cwd: run.cwd,
    stdio: run.seccompProgram ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
    detached: true,
    ...(run.uid !== undefined ? { uid: run.uid, gid: run.gid } : {}),
  });

  let timedOut = false;
  let outputExceeded = false;
  let aborted = false;
  let killed = false;
  const stderr = new HeadTail();
  let stdoutBytes = 0;
  let pending: Buffer[] = [];

  const counters: RunCounters | undefined = cgroup?.counters ?? run.counters;
  const kill = () => {
    if (killed) return;
    killed = true;
    // Before the kill: a container's cgroup, and with it its memory reading, goes when it stops.
    counters?.peakBytes();
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    }
    cgroup?.killAll();
    run.onKill?.();
  };

  if (cgroup && child.pid !== undefined) {
    try {
      cgroup.add(child.pid);
    } catch (e) {
      kill();
      cgroup.remove();
      ended();
      return Promise.reject(e);
    }
    run.onMeter?.(cgroup.counters);
  } else if (run.counters) {
    run.onMeter?.(run.counters);
  }
  if (run.seccompProgram) {
    const input = child.stdio[SECCOMP_FD] as Writable;
    input.on('error', () => {});
    input.end(run.seccompProgram);
  }
  child.stdin.on('error', () => {});
  child.stdin.end(cgroup ? '\n' : undefined);

  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, limits.wallMs);
  const onAbort = () => {
    aborted = true;
    kill();
  };
  if (run.signal?.aborted) onAbort();
  run.signal?.addEventListener('abort', onAbort, { once: true });

  child.stdout.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    if (stdoutBytes > limits.stdoutBytes) {
      outputExceeded = true;
      kill();
      return;
    }
    if (!run.onLine) return;
    // Look for newlines only in the new chunk: a multi-megabyte record arrives in many chunks.
    let start = 0;
    let nl = chunk.indexOf(10);
    while (nl >= 0) {
      pending.push(chunk.subarray(start, nl));
      const line = Buffer.concat(pending).toString('utf8');
      pending = [];
      if (line.length > 0) run.onLine(line);
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr.push(chunk);
    if (stderr.bytes > limits.stderrBytes) {
      outputExceeded = true;
      kill();
    }
  });

  return new Promise((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      cgroup?.remove();
      ended();
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      if (pending.length > 0 && run.onLine && !outputExceeded) run.onLine(Buffer.concat(pending).toString('utf8'));
      // A child that forked and left its group still dies with the cgroup.
      cgroup?.killAll();
      const text = stderr.text();
      // In a systemd scope we cannot read the OOM counter after the scope is gone; a SIGKILL we did
      // not send (bwrap reports it as 137) can only have come from the kernel's OOM killer.
      const oom = (cgroup?.oomKilled() ?? false) || (scope !== null && !killed && (signal === 'SIGKILL' || exitCode === 137));
      const peak = counters?.peakBytes() ?? null;
      cgroup?.remove();
      ended();
      resolve({
        backend: run.backend,
        exitCode,
        signal,
        timedOut,
        memoryExceeded: oom || /JavaScript heap out of memory|Reached heap limit/.test(text.slice(-4096)),
        outputExceeded,
        aborted,
        durationMs: performance.now() - started,
        stderr: text,
        peakMemoryBytes: peak,
      });
    });
  });
}
