import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NOBODY } from '../../src/sandbox/namespace.ts';
import { nsjailArgs, nsjailLoggedCause, NsjailSandbox } from '../../src/sandbox/nsjail.ts';
import { nsjailSeccompPolicy } from '../../src/sandbox/seccomp.ts';
import { DEFAULT_LIMITS } from '../../src/core/sandbox.ts';
import { tempDir } from '../helpers.ts';
import { describeRealRuns } from './namespace-runs.ts';

const plan = {
  interpreter: '/usr/bin/python3',
  interpreterArgs: ['-I'],
  interpreterMounts: ['/opt/py'],
  mountSources: {},
  boxDir: '/tmp/vetta-judge-x',
  args: ['{box}/harness.py', '{box}/job.json'],
  env: { PATH: '/usr/bin', HOME: '/tmp' },
  tmpfsBytes: 4096,
  layout: { '/lib': { link: 'usr/lib' }, '/lib64': 'dir' as const, '/lib32': 'absent' as const },
  etcFiles: ['/etc/ld.so.cache'],
  seccompArch: 'x86_64' as const,
};
const args = nsjailArgs(plan, 5);
const after = (flag: string, of = args) => of.flatMap((a, i) => (a === flag ? [of[i + 1]!] : []));

describe('nsjail command line', () => {
  it("runs once, as nobody, under vetta's limits and priority rather than nsjail's own", () => {
    assert.deepEqual(after('--mode'), ['o']);
    assert.deepEqual(after('--user'), [String(NOBODY)]);
    assert.deepEqual(after('--group'), [String(NOBODY)]);
    assert.deepEqual(after('--time_limit'), ['0']);
    assert.deepEqual(after('--nice_level'), ['5']);
    assert.ok(args.includes('--disable_rlimits'));
    assert.ok(args.includes('--quiet') && !args.includes('--really_quiet'), 'a start failure is logged with its cause');
    for (const weaker of ['--keep_env', '--keep_caps', '--rw', '--skip_setsid', '--disable_no_new_privs', '--disable_proc']) {
      assert.ok(!args.includes(weaker), weaker);
    }
    assert.ok(!args.some((a) => a.startsWith('--disable_clone')), 'every namespace');
  });

  it('mounts the interpreter, the shared /etc files and the box read-only; only /tmp, /dev/shm and the devices are writable', () => {
    assert.deepEqual(after('-R'), ['/etc/ld.so.cache', '/opt/py', '/tmp/vetta-judge-x:/box']);
    assert.deepEqual(after('-B'), ['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom']);
    assert.deepEqual(after('-m'), ['none:/tmp:tmpfs:size=4096', 'none:/dev/shm:tmpfs:size=4096']);
    assert.ok(!args.includes('-T'), 'no tmpfs of nsjail default size');
    assert.deepEqual(after('-s'), [
      'usr/lib:/lib',
      '/proc/self/fd:/dev/fd',
      '/proc/self/fd/0:/dev/stdin',
      '/proc/self/fd/1:/dev/stdout',
      '/proc/self/fd/2:/dev/stderr',
    ]);
    assert.ok(args.indexOf('-m') < args.indexOf('/opt/py'), 'the tmpfs is mounted before the interpreter');
  });

  it('mounts a reachable copy of an interpreter the sandbox user cannot reach, at its own path', () => {
    const copied = nsjailArgs({ ...plan, mountSources: { '/opt/py': '/tmp/vetta-interpreter-x/py' } });
    assert.ok(after('-R', copied).includes('/tmp/vetta-interpreter-x/py:/opt/py'));
  });

  it('runs under the seccomp policy that also forbids new namespaces', () => {
    assert.deepEqual(after('--seccomp_string'), [nsjailSeccompPolicy('x86_64')]);
    assert.ok(!nsjailArgs({ ...plan, seccompArch: null }).includes('--seccomp_string'));
  });

  it('sets only the given environment and ends with the command', () => {
    assert.deepEqual(after('-E'), ['PATH=/usr/bin', 'HOME=/tmp']);
    assert.deepEqual(args.slice(args.indexOf('--') + 1), ['/usr/bin/python3', '-I', '/box/harness.py', '/box/job.json']);
  });

  it("names the cause of a failed start from nsjail's log, not its last words", () => {
    const stderr =
      "[W][2026-12-06T02:50:54+0000][1] mountSinglePoint():228 mount('/x' -> '/tmp/nsjail.65534.root//x'): No such file or directory\n" +
      "[E][2026-12-06T02:50:54+0000][1] buildMountTree():327 Failed to mount mandatory point: '/x'\n" +
      '[F][2026-12-06T02:50:54+0000][1] runChild():551 Launching child process failed\n';
    assert.equal(nsjailLoggedCause(stderr), "mount('/x' -> '/tmp/nsjail.65534.root//x'): No such file or directory");
    assert.equal(nsjailLoggedCause('Traceback (most recent call last):\n'), null);
  });
});

const found = NsjailSandbox.detect();
// Debian has no nsjail package, and CI cannot fetch its sources from GitHub (docs/sandbox.md).
describeRealRuns('nsjail', typeof found === 'string' ? `${found} (build it from source to run these)` : found);

describe('nsjail start failures, for real', { skip: typeof found === 'string' ? `nsjail unavailable here: ${found}` : false }, () => {
  it('says which mount failed', async () => {
    const parent = tempDir();
    chmodSync(parent, 0o755);
    const missing = join(parent, 'gone');
    const sandbox = found as NsjailSandbox;
    const result = await sandbox.run({ program: 'python', boxDir: missing, args: ['{box}/main.py'], limits: DEFAULT_LIMITS });
    assert.notEqual(result.exitCode, 0);
    assert.match(
      sandbox.explainStartFailure(result),
      new RegExp(`^the nsjail sandbox did not start: mount\\('${missing}' -> .*\\): No such file or directory$`),
    );
  });
});
