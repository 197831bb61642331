/** What every sandbox backend accepts and returns. */

export type Program = 'python' | 'node';

export interface SandboxLimits {
  /** Wall-clock limit for the whole run; the process tree is killed after it. */
  wallMs: number;
  memoryMb: number;
  /** Processes plus threads. */
  maxProcesses: number;
  /** Bytes the program may write to stdout (the harness's records) before it is killed. */
  stdoutBytes: number;
  /** Bytes the program may write to stderr (the candidate's own output) before it is killed. */
  stderrBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  wallMs: 5000,
  memoryMb: 128,
  maxProcesses: 64,
  stdoutBytes: 16 * 1024 * 1024,
  stderrBytes: 1024 * 1024,
};

/** How far a user may raise the limits (a problem can only lower them). */
export const LIMIT_CAPS = { wallMs: 60_000, testTimeMs: 30_000, memoryMb: 1024 } as const;

/**
 * What the kernel counts for a running program, read from outside it, for time limits a busy
 * machine does not make unfair.
 */
export interface RunMeter {
  /** The CPU time its processes have used so far (ms); null where, or until, it is counted. */
  cpuMs(): number | null;
  /** How long its most delayed thread has been runnable but waiting for a CPU (ms); null where not known. */
  waitedMs(): number | null;
}

export interface SandboxRequest {
  program: Program;
  /** A host folder, mounted read-only; `args` name files in it relative to it. */
  boxDir: string;
  /** Arguments after the interpreter; each `{box}` is replaced by where boxDir is seen inside. */
  args: string[];
  limits: SandboxLimits;
  signal?: AbortSignal;
  /** Each complete stdout line, as it arrives. */
  onLine?: (line: string) => void;
  /** Once the program runs: what can be read of it from outside (RunMeter); not called where nothing can. */
  onMeter?: (meter: RunMeter) => void;
}

/** The same fields whatever happened, so callers never guess. */
export interface SandboxResult {
  backend: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  memoryExceeded: boolean;
  outputExceeded: boolean;
  /** The caller's AbortSignal fired and the run was killed. */
  aborted: boolean;
  durationMs: number;
  /** The start and the end of stderr (64 KiB at most). */
  stderr: string;
  peakMemoryBytes: number | null;
}

export interface Sandbox {
  readonly name: string;
  /** Limits this backend cannot enforce on this machine, each a sentence for the user. */
  readonly gaps: readonly string[];
  run(request: SandboxRequest): Promise<SandboxResult>;
  /** One line for a run whose program never started: what failed and what to do. */
  explainStartFailure(result: SandboxResult): string;
}

/** The first line of stderr, which is where a launcher says why it failed. */
export function firstStderrLine(result: SandboxResult): string {
  return result.stderr.trim().split('\n')[0]?.trim() || `exit status ${result.exitCode ?? result.signal}`;
}
