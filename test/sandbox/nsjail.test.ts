import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NOBODY } from '../../src/sandbox/namespace.ts';
import { nsjailArgs, NsjailSandbox } from '../../src/sandbox/nsjail.ts';
import { nsjailSeccompPolicy } from '../../src/sandbox/seccomp.ts';

const args = nsjailArgs({
  interpreter: '/usr/bin/python3',
  interpreterArgs: ['-I'],
  interpreterMounts: ['/opt/py'],
  mountSources: {},
  boxDir: '/tmp/vetta-judge-x',
  args: ['{box}/harness.py', '{box}/job.json'],
  env: { PATH: '/usr/bin', HOME: '/tmp' },
  tmpfsBytes: 4096,
  layout: { '/lib': { link: 'usr/lib' }, '/lib64': 'dir', '/lib32': 'absent' },
  seccompArch: 'x86_64',
});
const after = (flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));

describe('nsjail command line', () => {
  it('runs once, as nobody, with our limits in charge', () => {
    assert.deepEqual(after('--mode'), ['o']);
    assert.deepEqual(after('--user'), [String(NOBODY)]);
    assert.deepEqual(after('--group'), [String(NOBODY)]);
    assert.deepEqual(after('--time_limit'), ['0']);
    assert.ok(
      !args.includes('--keep_env') && !args.includes('--keep_caps') && !args.some((a) => a.startsWith('--disable_clone')),
      'every namespace, no env, no caps',
    );
  });

  it('mounts the interpreter and the box read-only, and a small /tmp', () => {
    assert.deepEqual(after('-R'), ['/opt/py', '/dev/null', '/dev/zero', '/dev/urandom', '/tmp/vetta-judge-x:/box']);
    assert.ok(!args.includes('-B'), 'no writable binds');
    assert.deepEqual(after('-s'), ['usr/lib:/lib']);
    assert.deepEqual(after('-m'), ['none:/tmp:tmpfs:size=4096']);
    assert.ok(args.indexOf('-m') < args.indexOf('/opt/py'), 'the tmpfs is mounted before the interpreter');
  });

  it('runs under the seccomp policy that also forbids new namespaces', () => {
    assert.deepEqual(after('--seccomp_string'), [nsjailSeccompPolicy('x86_64')]);
  });

  it('sets only the given environment and ends with the command', () => {
    assert.deepEqual(after('-E'), ['PATH=/usr/bin', 'HOME=/tmp']);
    assert.deepEqual(args.slice(args.indexOf('--') + 1), ['/usr/bin/python3', '-I', '/box/harness.py', '/box/job.json']);
  });
});

const found = NsjailSandbox.detect();
describe('nsjail sandbox, for real', {
  skip: typeof found === 'string' ? `nsjail unavailable here: ${found} (Debian has no package; build it from source to run these)` : false,
}, () => {
  it('runs a program as nobody without network', async () => {
    const { mkdtempSync, writeFileSync, chmodSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { DEFAULT_LIMITS } = await import('../../src/core/sandbox.ts');
    const box = mkdtempSync(join(tmpdir(), 'vetta-nsjail-'));
    chmodSync(box, 0o755);
    writeFileSync(
      join(box, 'main.py'),
      'import os, socket\nprint(os.getuid())\ntry:\n    socket.create_connection(("1.1.1.1", 53), timeout=1)\n    print("net")\nexcept OSError:\n    print("no net")\n',
      { mode: 0o644 },
    );
    const lines: string[] = [];
    await (found as NsjailSandbox).run({ program: 'python', boxDir: box, args: ['{box}/main.py'], limits: DEFAULT_LIMITS, onLine: (l) => lines.push(l) });
    assert.deepEqual(lines, [String(NOBODY), 'no net']);
  });
});
