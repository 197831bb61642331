import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findOnPath } from '../core/find-on-path.js';
import type { SandboxLimits } from '../core/sandbox.js';

/**
 * Memory and process limits for a user who cannot make cgroups but runs a systemd user session
 * (a typical Linux desktop on cgroup v2): `systemd-run --user --scope` puts the command in a
 * transient scope with the limits before exec'ing it.
 */
export function systemdScopePrefix(systemdRun: string, limits: SandboxLimits): string[] {
  return [
    systemdRun,
    '--user',
    '--scope',
    '--quiet',
    '--collect',
    '-p',
    `MemoryMax=${limits.memoryMb}M`,
    '-p',
    'MemorySwapMax=0',
    '-p',
    `TasksMax=${limits.maxProcesses}`,
    '--',
  ];
}

let probed: { path: string } | string | undefined;

/** systemd-run's path when a user scope with limits can be made here, or why not. Probed once. */
export function systemdScope(env: NodeJS.ProcessEnv = process.env): { path: string } | string {
  if (probed !== undefined) return probed;
  const path = findOnPath('systemd-run', env);
  if (!existsSync('/sys/fs/cgroup/cgroup.controllers')) probed = 'the machine does not use cgroup v2';
  else if (!path) probed = 'systemd-run is not installed';
  else {
    const r = spawnSync(path, ['--user', '--scope', '--quiet', '--collect', '-p', 'MemoryMax=64M', '-p', 'TasksMax=8', '--', 'true'], {
      env,
      timeout: 5000,
      stdio: 'pipe',
    });
    probed = r.status === 0 ? { path } : `no systemd user session accepts a scope (${r.stderr?.toString().trim().split('\n')[0] || `exit ${r.status}`})`;
  }
  return probed;
}
