import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Memory and process limits through a cgroup made for one run, under the cgroup vetta itself is
 * in. Works with cgroup v1 (memory + pids hierarchies) and with v2 where the controllers are
 * delegated to us. A run's processes are moved in by the parent before they exec anything (see
 * runLimited's start gate), so nothing escapes the limit.
 */

const ROOT = '/sys/fs/cgroup';
let counter = 0;

interface Layout {
  version: 1 | 2;
  /** v1: one folder per controller; v2: the single unified folder, twice. */
  memory: string;
  pids: string;
  /** Where CPU time is counted: v1's cpuacct folder when that hierarchy is mounted; v2's folder. */
  cpu: string | null;
}

function ownPath(controller: string | null): string | null {
  let text: string;
  try {
    text = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const [, controllers, path] = line.split(':');
    if (controllers === undefined || path === undefined) continue;
    if (controller === null ? line.startsWith('0::') : controllers.split(',').includes(controller)) return path;
  }
  return null;
}

function detect(): Layout | null {
  if (existsSync(join(ROOT, 'cgroup.controllers'))) {
    const own = ownPath(null);
    if (own === null) return null;
    const dir = join(ROOT, own);
    const controllers = readFileSync(join(ROOT, 'cgroup.controllers'), 'utf8');
    if (!controllers.includes('memory') || !controllers.includes('pids')) return null;
    return { version: 2, memory: dir, pids: dir, cpu: dir };
  }
  const mem = ownPath('memory');
  const pids = ownPath('pids');
  if (mem === null || pids === null || !existsSync(join(ROOT, 'memory')) || !existsSync(join(ROOT, 'pids'))) return null;
  const cpu = ownPath('cpuacct');
  const cpuDir = cpu !== null && existsSync(join(ROOT, 'cpuacct', 'cpuacct.usage')) ? join(ROOT, 'cpuacct', cpu) : null;
  return { version: 1, memory: join(ROOT, 'memory', mem), pids: join(ROOT, 'pids', pids), cpu: cpuDir };
}

let cachedLayout: Layout | null | undefined;
let cachedProbe: string | null | undefined;

/** Why per-run cgroups cannot be made here, or null when they can. Probed once per process. */
export function cgroupUnavailableReason(): string | null {
  if (cachedProbe !== undefined) return cachedProbe;
  cachedLayout = detect();
  if (!cachedLayout) {
    cachedProbe = 'no cgroup with the memory and pids controllers is visible';
    return cachedProbe;
  }
  try {
    const probe = RunCgroup.create({ memoryBytes: 64 * 1024 * 1024, maxProcesses: 8 });
    probe.remove();
    cachedProbe = null;
  } catch (e) {
    cachedProbe = `cgroups are not writable here (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  return cachedProbe;
}

function write(dir: string, file: string, value: string): void {
  writeFileSync(join(dir, file), value);
}

function read(dir: string, file: string): string {
  try {
    return readFileSync(join(dir, file), 'utf8');
  } catch {
    return '';
  }
}

/**
 * Removes the cgroups earlier vetta processes left behind (killed mid-run, so their own cleanup
 * never ran): folders named vetta-<pid>-<n> whose pid is gone. One still in use cannot be removed
 * (EBUSY), so a folder of another live vetta is safe even across pid namespaces.
 */
export function sweepStaleCgroups(): void {
  const layout = cachedLayout ?? detect();
  if (!layout) return;
  for (const parent of new Set([layout.memory, layout.pids, ...(layout.cpu ? [layout.cpu] : [])])) {
    let names: string[];
    try {
      names = readdirSync(parent);
    } catch {
      continue;
    }
    for (const name of names) {
      const pid = /^vetta-(\d+)-\d+$/.exec(name)?.[1];
      if (pid === undefined || isAlive(Number(pid))) continue;
      try {
        rmdirSync(join(parent, name));
      } catch {
        // busy or not ours to remove
      }
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The cgroups of runs in flight, removed when a signal stops vetta mid-run. */
const live = new Set<RunCgroup>();
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function onStopSignal(signal: NodeJS.Signals): void {
  for (const cg of live) {
    cg.killAll();
    cg.remove();
  }
  // Our listener replaced the default action (exit); with no other listener, restore and re-raise it.
  for (const s of STOP_SIGNALS) process.removeListener(s, onStopSignal);
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function track(cg: RunCgroup): void {
  if (live.size === 0) for (const s of STOP_SIGNALS) process.on(s, onStopSignal);
  live.add(cg);
}

function untrack(cg: RunCgroup): void {
  if (!live.delete(cg) || live.size > 0) return;
  for (const s of STOP_SIGNALS) process.removeListener(s, onStopSignal);
}

let swept = false;

export interface CgroupLimits {
  memoryBytes: number;
  maxProcesses: number;
}

export class RunCgroup {
  /** What the kernel counts for the run: CPU time, waiting for a CPU, peak memory, OOM kills. */
  readonly counters: CgroupCounters;

  private constructor(
    private readonly layout: Layout,
    /** The run's folders: one on cgroup v2, memory and pids (and cpuacct) on v1. */
    readonly dirs: string[],
    cpuDir: string | null = null,
  ) {
    this.counters = new CgroupCounters(layout.version, dirs[0]!, cpuDir);
    track(this);
  }

  static create(limits: CgroupLimits): RunCgroup {
    const layout = cachedLayout ?? detect();
    if (!layout) throw new Error('no usable cgroup');
    if (!swept) {
      swept = true;
      sweepStaleCgroups();
    }
    const name = `vetta-${process.pid}-${++counter}`;
    if (layout.version === 2) {
      const dir = join(layout.memory, name);
      mkdirSync(dir);
      const cg = new RunCgroup(layout, [dir], dir);
      try {
        write(dir, 'memory.max', String(limits.memoryBytes));
        if (existsSync(join(dir, 'memory.swap.max'))) write(dir, 'memory.swap.max', '0');
        write(dir, 'pids.max', String(limits.maxProcesses));
      } catch (e) {
        cg.remove();
        throw e;
      }
      return cg;
    }
    const mem = join(layout.memory, name);
    const pids = join(layout.pids, name);
    mkdirSync(mem);
    const cg = new RunCgroup(layout, [mem]);
    try {
      mkdirSync(pids);
      cg.dirs.push(pids);
      write(mem, 'memory.limit_in_bytes', String(limits.memoryBytes));
      // Without this the limit only covers RAM and the program swaps instead of being stopped.
      if (existsSync(join(mem, 'memory.memsw.limit_in_bytes'))) write(mem, 'memory.memsw.limit_in_bytes', String(limits.memoryBytes));
      write(pids, 'pids.max', String(limits.maxProcesses));
      if (layout.cpu) {
        // Only counted, never limited: the run's CPU time, which a busy machine does not inflate.
        const cpu = join(layout.cpu, name);
        mkdirSync(cpu);
        cg.dirs.push(cpu);
        cg.counters.cpuDir = cpu;
      }
    } catch (e) {
      cg.remove();
      throw e;
    }
    return cg;
  }

  add(pid: number): void {
    for (const dir of this.dirs) write(dir, 'cgroup.procs', String(pid));
  }

  /** True when the kernel's OOM killer acted inside this cgroup. */
  oomKilled(): boolean {
    return this.counters.oomKilled();
  }

  pids(): number[] {
    return read(this.dirs[0]!, 'cgroup.procs').split('\n').filter(Boolean).map(Number);
  }

  /** Kills every process in the cgroup, including ones forked while we were killing. */
  killAll(): void {
    if (this.layout.version === 2 && existsSync(join(this.dirs[0]!, 'cgroup.kill'))) {
      try {
        write(this.dirs[0]!, 'cgroup.kill', '1');
        return;
      } catch {
        // fall through to killing one by one
      }
    }
    for (let round = 0; round < 20; round++) {
      const pids = this.pids();
      if (pids.length === 0) return;
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }

  /** Removes the cgroup; waits briefly for killed processes to be reaped. */
  remove(): void {
    untrack(this);
    for (const dir of this.dirs) {
      for (let attempt = 0; attempt < 200; attempt++) {
        try {
          rmdirSync(dir);
          break;
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') break;
          if (code !== 'EBUSY' && code !== 'ENOTEMPTY') throw e;
          this.killAll();
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        }
      }
    }
  }
}

/**
 * Reads what the kernel counts for one cgroup (a run's own, or a container's), so nothing inside
 * the run can change it. A reading that fails (the cgroup is gone) gives the last one made.
 */
export class CgroupCounters {
  private lastPeak: number | null = null;

  constructor(
    private readonly version: 1 | 2,
    /** v1's memory folder, or v2's only folder; its thread list is the run's. */
    private readonly memoryDir: string,
    /** Where CPU time is counted (v1's cpuacct folder), or null where it is not. */
    public cpuDir: string | null,
  ) {}

  /** The CPU time the run's processes have used so far, in ms, or null where it is not counted. */
  cpuMs(): number | null {
    if (!this.cpuDir) return null;
    if (this.version === 2) {
      const m = /usage_usec (\d+)/.exec(read(this.cpuDir, 'cpu.stat'));
      return m ? Number(m[1]) / 1000 : null;
    }
    const ns = Number.parseInt(read(this.cpuDir, 'cpuacct.usage'), 10);
    return Number.isFinite(ns) ? ns / 1e6 : null;
  }

  /**
   * How long the run's most delayed thread has been runnable but waiting for a CPU, in ms (the
   * scheduler's run_delay, /proc/TID/schedstat): time a busy machine took, not the program. A
   * program can only add to it by keeping more threads busy than there are CPUs, which its CPU
   * time counts. Null where the kernel keeps no such figure.
   */
  waitedMs(): number | null {
    const threads = read(this.memoryDir, this.version === 2 ? 'cgroup.threads' : 'tasks')
      .split('\n')
      .filter(Boolean);
    let most: number | null = null;
    for (const tid of threads) {
      const delayNs = Number(read('/proc', `${tid}/schedstat`).split(' ')[1]);
      if (Number.isFinite(delayNs)) most = Math.max(most ?? 0, delayNs / 1e6);
    }
    return most;
  }

  /** The most memory the run has held, in bytes. */
  peakBytes(): number | null {
    const n = Number.parseInt(read(this.memoryDir, this.version === 2 ? 'memory.peak' : 'memory.max_usage_in_bytes'), 10);
    if (Number.isFinite(n)) this.lastPeak = Math.max(this.lastPeak ?? 0, n);
    return this.lastPeak;
  }

  /** True when the kernel's OOM killer acted inside this cgroup. */
  oomKilled(): boolean {
    const text = read(this.memoryDir, this.version === 2 ? 'memory.events' : 'memory.oom_control');
    const m = /oom_kill (\d+)/.exec(text);
    return m !== null && Number(m[1]) > 0;
  }
}

/**
 * A Docker container's cgroup on this machine, where the engine is local and its cgroups are
 * visible (the cgroupfs and systemd drivers, v1 and v2), or null.
 */
export function containerCgroup(id: string): CgroupCounters | null {
  const places = [`docker/${id}`, `system.slice/docker-${id}.scope`];
  if (existsSync(join(ROOT, 'cgroup.controllers'))) {
    const dir = places.map((p) => join(ROOT, p)).find((d) => existsSync(d));
    return dir ? new CgroupCounters(2, dir, dir) : null;
  }
  const place = places.find((p) => existsSync(join(ROOT, 'memory', p)));
  if (!place) return null;
  // The engine makes one folder a hierarchy, in turn: found before its cpuacct one, it is not ready.
  const cpu = existsSync(join(ROOT, 'cpuacct', 'cpuacct.usage')) ? join(ROOT, 'cpuacct', place) : null;
  if (cpu && !existsSync(cpu)) return null;
  return new CgroupCounters(1, join(ROOT, 'memory', place), cpu);
}
