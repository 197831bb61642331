import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { limitGaps } from '../../src/sandbox/limits.ts';
import { systemdScopePrefix } from '../../src/sandbox/scope.ts';
import { DEFAULT_LIMITS } from '../../src/core/sandbox.ts';

describe('limits for users who cannot make cgroups', () => {
  it('asks systemd for a user scope with the memory, swap and task limits', () => {
    assert.deepEqual(systemdScopePrefix('/usr/bin/systemd-run', DEFAULT_LIMITS), [
      '/usr/bin/systemd-run',
      '--user',
      '--scope',
      '--quiet',
      '--collect',
      '-p',
      'MemoryMax=128M',
      '-p',
      'MemorySwapMax=0',
      '-p',
      'TasksMax=64',
      '--',
    ]);
  });

  it('names what is not enforced, and why, when neither works', () => {
    assert.deepEqual(limitGaps({ kind: 'cgroup' }), []);
    assert.deepEqual(limitGaps({ kind: 'scope', systemdRun: '/usr/bin/systemd-run' }), []);
    const [gap] = limitGaps({ kind: 'none', reason: 'cgroups are not writable here (EACCES), and the machine does not use cgroup v2' });
    assert.match(gap!, /^memory and process-count limits are not enforced: cgroups are not writable here \(EACCES\), and the machine does not use cgroup v2; /);
  });
});
