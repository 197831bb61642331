import { readFileSync } from 'node:fs';
import type { RunMeter } from '../core/sandbox.js';

/** Slack on our clock for the harness to build a test's arguments and encode its answer: a
 *  solution that forges its own time can gain at most this much. */
export const TEST_KILL_GRACE_MS = 250;
/**
 * Where the sandbox counts CPU time, the per-test limit is on it (a busy machine slows a solution's
 * clock, not its CPU time) and wall time only stops a solution that waits instead of computing
 * (sleep, a blocked read) at this multiple of the limit.
 */
const WALL_FACTOR_WITH_CPU = 2;

/** How long this process's main thread has been runnable but waiting for a CPU, in ms, or null. */
function ownWaitMs(): number | null {
  try {
    const delayNs = Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[1]);
    return Number.isFinite(delayNs) ? delayNs / 1e6 : null;
  } catch {
    return null;
  }
}

/** How much a counter has grown since its first reading, 0 while it has none. */
class Since {
  private first: number | null = null;

  constructor(private readonly read: () => number | null) {}

  start(): void {
    this.first = this.read();
  }

  grown(): number | null {
    const now = this.read();
    if (now === null) return null;
    // A counter that appears mid-window (a container's, found once it runs) counts from then.
    this.first ??= now;
    return Math.max(0, now - this.first);
  }
}

/**
 * One test's time (or the loading's), kept on our own clock: the harness shares its process with
 * the candidate, so its figures and the moment it writes a record can be forged. A solution can
 * delay a record (and look slower), never make a test faster. What a busy machine adds is taken
 * off: the time the run's threads, or this process, were ready to run but waited for a CPU.
 */
export class TestClock {
  private meter: RunMeter | null = null;
  private started = 0;
  private readonly cpu = new Since(() => this.meter?.cpuMs() ?? null);
  private readonly runWait = new Since(() => this.meter?.waitedMs() ?? null);
  private readonly ownWait = new Since(ownWaitMs);

  constructor(readonly limitMs: number) {}

  /** The run's counters, once the sandbox gives them; from then on its CPU time is the test's. */
  measure(meter: RunMeter): void {
    this.meter = meter;
  }

  start(): void {
    this.started = performance.now();
    this.cpu.start();
    this.runWait.start();
    this.ownWait.start();
  }

  /** CPU time the run has used since start(), or null where it is not counted. */
  cpuMs(): number | null {
    return this.cpu.grown();
  }

  /** Wall time since start(), less what the machine kept the run or us waiting for a CPU. */
  wallMs(): number {
    return performance.now() - this.started - (this.runWait.grown() ?? 0) - (this.ownWait.grown() ?? 0);
  }

  /** The wall time a test may take before it is stopped as one that waits instead of computing. */
  wallAllowanceMs(): number {
    return (this.cpuMs() !== null ? WALL_FACTOR_WITH_CPU : 1) * this.limitMs + TEST_KILL_GRACE_MS;
  }
}
