import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findOnPath } from '../core/find-on-path.js';
import { containerCgroup } from './cgroup.js';
import type { CgroupCounters } from './cgroup.js';
import { runLimited } from './process.js';
import type { RunCounters } from './process.js';
import { interpreterArgs, SANDBOX_ENV } from './runtimes.js';
import { dockerSeccompProfile } from './seccomp.js';
import type { Program, Sandbox, SandboxLimits, SandboxRequest, SandboxResult } from '../core/sandbox.js';
import { firstStderrLine } from '../core/sandbox.js';

const run = promisify(execFile);

export const DEFAULT_IMAGES: Record<Program, string> = { python: 'python:3.12-slim', node: 'node:22-slim' };
const INTERPRETERS: Record<Program, string> = { python: 'python3', node: 'node' };

export interface DockerPlan {
  name: string;
  image: string;
  program: Program;
  boxDir: string;
  args: string[];
  env: Record<string, string>;
  limits: SandboxLimits;
  tmpfsBytes: number;
  /** A host file holding the seccomp profile (dockerSeccompProfile). */
  seccompProfile: string;
  /** Where the engine writes the container's id once it has made it (it must not exist yet). */
  cidFile: string;
}

/**
 * The `docker run` command line for one submission, built as data: no network, a read-only root,
 * memory without swap, a process limit, no capabilities, no new privileges, the seccomp deny list of
 * seccomp.ts (in place of Docker's default profile), nobody, a small /tmp and the box read-only. The container is not removed automatically so its OOM flag can be read.
 */
export function dockerArgs(plan: DockerPlan): string[] {
  const args = [
    'run',
    '--name',
    plan.name,
    '--cidfile',
    plan.cidFile,
    '--network',
    'none',
    '--read-only',
    '--memory',
    `${plan.limits.memoryMb}m`,
    '--memory-swap',
    `${plan.limits.memoryMb}m`,
    '--pids-limit',
    String(plan.limits.maxProcesses),
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '--security-opt',
    `seccomp=${plan.seccompProfile}`,
    '--user',
    '65534:65534',
    '--tmpfs',
    `/tmp:rw,nosuid,nodev,size=${plan.tmpfsBytes}`,
    '--mount',
    `type=bind,source=${plan.boxDir},target=/box,readonly`,
    '--workdir',
    '/tmp',
    '--hostname',
    'sandbox',
    '--init',
  ];
  for (const [k, v] of Object.entries(plan.env)) args.push('--env', `${k}=${v}`);
  args.push(plan.image, INTERPRETERS[plan.program], ...interpreterArgs(plan.program, plan.limits), ...plan.args.map((a) => a.replaceAll('{box}', '/box')));
  return args;
}

let ownDir: string | undefined;

/** A private folder for the docker client's files: the seccomp profile (written once), container ids. */
function clientDir(): string {
  if (!ownDir) {
    const dir = mkdtempSync(join(tmpdir(), 'vetta-docker-'));
    writeFileSync(join(dir, 'seccomp.json'), JSON.stringify(dockerSeccompProfile()));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    ownDir = dir;
  }
  return ownDir;
}

/**
 * What the kernel counts for a container, read from its cgroup once the engine has made it (its id
 * is in the cidfile): CPU time and waiting for a CPU for fair time limits, and peak memory, which
 * tells a run that stalled near its memory limit from a slow one. Nothing where the engine's
 * cgroups are not visible (a remote or rootless engine).
 */
class ContainerCounters implements RunCounters {
  private found: CgroupCounters | null = null;

  constructor(private readonly cidFile: string) {}

  private cgroup(): CgroupCounters | null {
    if (!this.found) {
      let id = '';
      try {
        id = readFileSync(this.cidFile, 'utf8').trim();
      } catch {
        // not made yet
      }
      if (id) this.found = containerCgroup(id);
    }
    return this.found;
  }

  cpuMs(): number | null {
    return this.cgroup()?.cpuMs() ?? null;
  }

  waitedMs(): number | null {
    return this.cgroup()?.waitedMs() ?? null;
  }

  peakBytes(): number | null {
    return this.cgroup()?.peakBytes() ?? null;
  }
}

export class DockerSandbox implements Sandbox {
  readonly name = 'docker';
  readonly gaps: readonly string[] = [];

  private constructor(
    private readonly docker: string,
    private readonly images: Record<Program, string>,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The backend when a Docker engine answers, or why not. */
  static detect(env: NodeJS.ProcessEnv = process.env): DockerSandbox | string {
    const docker = findOnPath('docker', env);
    if (!docker) return 'docker is not installed';
    try {
      execFileSync(docker, ['version', '--format', '{{.Server.Version}}'], { stdio: 'pipe', timeout: 5000, env });
    } catch (e) {
      const err = (e as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0];
      return `no Docker engine answers (${err || 'docker version failed'})`;
    }
    return new DockerSandbox(
      docker,
      { python: env.VETTA_DOCKER_PYTHON_IMAGE || DEFAULT_IMAGES.python, node: env.VETTA_DOCKER_NODE_IMAGE || DEFAULT_IMAGES.node },
      env,
    );
  }

  explainStartFailure(result: SandboxResult): string {
    const line = firstStderrLine(result);
    const missing = /Unable to find image|pull access denied|manifest unknown/.test(result.stderr);
    return missing
      ? `the Docker image is not available (${line}); pull it (docker pull ${this.images.python}, ${this.images.node}) or set VETTA_DOCKER_PYTHON_IMAGE / VETTA_DOCKER_NODE_IMAGE`
      : `the Docker sandbox did not start: ${line}`;
  }

  async run(request: SandboxRequest): Promise<SandboxResult> {
    const name = `vetta-${process.pid}-${randomBytes(4).toString('hex')}`;
    const plan = {
      name,
      image: this.images[request.program],
      program: request.program,
      boxDir: request.boxDir,
      args: request.args,
      env: SANDBOX_ENV,
      limits: request.limits,
      tmpfsBytes: 16 * 1024 * 1024,
    };
    const cidFile = join(clientDir(), `${name}.cid`);
    const argv = [this.docker, ...dockerArgs({ ...plan, seccompProfile: join(clientDir(), 'seccomp.json'), cidFile })];
    const docker = this.docker;
    const env = this.env;
    try {
      const result = await runLimited({
        argv,
        env: env as Record<string, string>,
        limits: request.limits,
        limitsBy: 'none',
        signal: request.signal,
        onLine: request.onLine,
        counters: new ContainerCounters(cidFile),
        ...(request.onMeter ? { onMeter: request.onMeter } : {}),
        // Killing the client leaves the container running; kill the container itself.
        onKill: () => execFile(docker, ['kill', name], { env }, () => {}),
        // And if vetta dies, the container would run on: the reaper removes it.
        ifVettaDies: { command: [docker, 'rm', '--force', name] },
        backend: this.name,
      });
      const inspected = await run(docker, ['inspect', '--format', '{{.State.OOMKilled}}', name], { env }).catch(() => ({ stdout: '' }));
      return { ...result, memoryExceeded: result.memoryExceeded || inspected.stdout.trim() === 'true' };
    } finally {
      await run(docker, ['rm', '--force', name], { env }).catch(() => {});
      rmSync(cidFile, { force: true });
    }
  }
}
