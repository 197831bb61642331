import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BubblewrapSandbox, bubblewrapArgs, bwrapDisablesUserns, explainBwrapFailure } from '../../src/sandbox/bubblewrap.ts';
import { NOBODY } from '../../src/sandbox/namespace.ts';
import { describeRealRuns } from './namespace-runs.ts';

const plan = {
  interpreter: '/usr/bin/python3',
  interpreterArgs: ['-I'],
  interpreterMounts: ['/opt/py'],
  mountSources: {},
  boxDir: '/tmp/vetta-judge-x',
  args: ['{box}/main.py'],
  env: { PATH: '/usr/bin', HOME: '/tmp' },
  tmpfsBytes: 1024,
  layout: { '/lib': { link: 'usr/lib' }, '/lib64': 'dir' as const, '/lib32': 'absent' as const },
  etcFiles: ['/etc/ld.so.cache'],
  seccompArch: 'x86_64' as const,
};

function pairAfter(args: string[], flag: string): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    if (a === flag) out.push(args[i + 1]!);
  });
  return out;
}

describe('bubblewrap command line', () => {
  const args = bubblewrapArgs(plan);

  it('unshares every namespace, runs as nobody with no capabilities', () => {
    assert.ok(args.includes('--unshare-all'));
    assert.ok(args.includes('--unshare-user'));
    assert.deepEqual(pairAfter(args, '--uid'), [String(NOBODY)]);
    assert.deepEqual(pairAfter(args, '--gid'), [String(NOBODY)]);
    assert.deepEqual(pairAfter(args, '--cap-drop'), ['ALL']);
    assert.ok(args.includes('--die-with-parent'));
    assert.ok(args.includes('--new-session'));
    assert.ok(!args.includes('--share-net'));
  });

  it('mounts only what the interpreter needs and the box, all read-only, plus a small tmpfs', () => {
    assert.ok(!args.includes('--bind'), 'no writable bind mounts');
    const roSources = pairAfter(args, '--ro-bind');
    // Not /usr: a system-wide npm install keeps the problems' hidden tests under /usr/lib/node_modules.
    assert.deepEqual(roSources, ['/opt/py', '/tmp/vetta-judge-x']);
    assert.deepEqual(pairAfter(args, '--ro-bind-try'), ['/etc/ld.so.cache']);
    assert.deepEqual(pairAfter(args, '--symlink'), ['usr/lib']);
    assert.deepEqual(pairAfter(args, '--tmpfs'), ['/tmp', '/dev/shm']);
    assert.deepEqual(pairAfter(args, '--size'), ['1024', '1024']);
    // /dev is read-only after /dev/shm is mounted on it; / last of all.
    assert.deepEqual(pairAfter(args, '--remount-ro'), ['/dev', '/']);
    assert.ok(args.indexOf('/dev/shm') < args.lastIndexOf('/dev'));
    // An interpreter installed under /tmp (a CI checkout's Node) must not be hidden by the tmpfs.
    assert.ok(args.indexOf('--tmpfs') < args.indexOf('/opt/py'), 'the tmpfs is mounted before the interpreter');
    assert.ok(!args.some((a) => a.includes('/home') || a.includes('/root')));
  });

  it('mounts a reachable copy of an interpreter the sandbox user cannot reach, at its own path', () => {
    const copied = bubblewrapArgs({ ...plan, mountSources: { '/opt/py': '/tmp/vetta-interpreter-x/py' } });
    const at = copied.indexOf('/tmp/vetta-interpreter-x/py');
    assert.deepEqual(copied.slice(at - 1, at + 2), ['--ro-bind', '/tmp/vetta-interpreter-x/py', '/opt/py']);
  });

  it('clears the environment and sets only the given variables', () => {
    assert.ok(args.indexOf('--clearenv') < args.indexOf('--setenv'));
    assert.deepEqual(pairAfter(args, '--setenv'), ['PATH', 'HOME']);
  });

  it('forbids nested user namespaces and loads the seccomp filter from fd 3', () => {
    assert.ok(args.includes('--disable-userns'));
    assert.deepEqual(pairAfter(args, '--seccomp'), ['3']);
    // bwrap older than 0.8 has no --disable-userns; a machine without a filter table gets no --seccomp.
    assert.ok(!bubblewrapArgs(plan, false).includes('--disable-userns'));
    assert.ok(!bubblewrapArgs({ ...plan, seccompArch: null }).includes('--seccomp'));
    assert.equal(bwrapDisablesUserns('bubblewrap 0.8.0\n'), true);
    assert.equal(bwrapDisablesUserns('bubblewrap 0.11.1\n'), true);
    assert.equal(bwrapDisablesUserns('bubblewrap 0.6.1\n'), false);
    assert.equal(bwrapDisablesUserns(''), false);
  });

  it('ends with the interpreter and the arguments, {box} resolved', () => {
    assert.deepEqual(args.slice(args.indexOf('--') + 1), ['/usr/bin/python3', '-I', '/box/main.py']);
  });
});

describe('bubblewrap start failures', () => {
  const denied = 'bwrap: setting up uid map: Permission denied\n';
  it("names Ubuntu's AppArmor restriction and how to lift it", () => {
    const msg = explainBwrapFailure(denied, (n) => (n === 'kernel.apparmor_restrict_unprivileged_userns' ? '1' : null));
    assert.match(msg, /AppArmor restricts them/);
    assert.match(msg, /sudo sysctl kernel\.apparmor_restrict_unprivileged_userns=0/);
  });

  it('names the Debian sysctl and the namespace count', () => {
    assert.match(
      explainBwrapFailure(denied, (n) => (n === 'kernel.unprivileged_userns_clone' ? '0' : null)),
      /sudo sysctl kernel\.unprivileged_userns_clone=1/,
    );
    assert.match(
      explainBwrapFailure(denied, (n) => (n === 'user.max_user_namespaces' ? '0' : null)),
      /user\.max_user_namespaces is 0/,
    );
  });

  it("passes bwrap's own message on otherwise", () => {
    assert.equal(
      explainBwrapFailure("bwrap: Can't mount proc on /newroot/proc: Device busy\n", () => null),
      "the bubblewrap sandbox did not start: bwrap: Can't mount proc on /newroot/proc: Device busy",
    );
  });
});

describeRealRuns('bubblewrap', BubblewrapSandbox.detect());
