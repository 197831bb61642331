import { cgroupUnavailableReason } from './cgroup.js';
import type { LimitedRun } from './process.js';
import { systemdScope, systemdScopePrefix } from './scope.js';
import type { SandboxLimits } from '../core/sandbox.js';

/** Where a namespace backend gets its memory and process limits on this machine. */
export type LimitsProvider = { kind: 'cgroup' } | { kind: 'scope'; systemdRun: string } | { kind: 'none'; reason: string };

/**
 * A cgroup of our own when one can be made (root, or a delegated cgroup); else, for a user with a
 * systemd session on cgroup v2, a transient user scope; else nothing, and the reason.
 */
export function chooseLimitsProvider(env: NodeJS.ProcessEnv = process.env): LimitsProvider {
  const cgroupProblem = cgroupUnavailableReason();
  if (cgroupProblem === null) return { kind: 'cgroup' };
  if (process.getuid?.() === 0) return { kind: 'none', reason: cgroupProblem };
  const scope = systemdScope(env);
  if (typeof scope !== 'string') return { kind: 'scope', systemdRun: scope.path };
  return { kind: 'none', reason: `${cgroupProblem}, and ${scope}` };
}

export function limitsFor(provider: LimitsProvider, limits: SandboxLimits): LimitedRun['limitsBy'] {
  if (provider.kind === 'cgroup') return 'cgroup';
  if (provider.kind === 'scope') return { scopePrefix: systemdScopePrefix(provider.systemdRun, limits) };
  return 'none';
}

export function limitGaps(provider: LimitsProvider): string[] {
  return provider.kind === 'none'
    ? [
        `memory and process-count limits are not enforced: ${provider.reason}; run vetta where a cgroup is delegated to you (a systemd user session on cgroup v2 does it)`,
      ]
    : [];
}
