import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BubblewrapSandbox, bubblewrapArgs, bwrapDisablesUserns, explainBwrapFailure } from '../../src/sandbox/bubblewrap.ts';
import { NOBODY } from '../../src/sandbox/namespace.ts';
import { DEFAULT_LIMITS } from '../../src/core/sandbox.ts';
import type { SandboxResult } from '../../src/core/sandbox.ts';
import { loopbackServer, tempDir } from '../helpers.ts';

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

const detected = BubblewrapSandbox.detect();
const skip = typeof detected === 'string' ? `bubblewrap unavailable here: ${detected}` : false;

/** Runs a Python program in the real sandbox and returns its stdout lines with the result. */
async function runPython(source: string, limits = {}): Promise<{ lines: string[]; result: SandboxResult }> {
  const sandbox = detected as BubblewrapSandbox;
  const box = tempDir();
  chmodSync(box, 0o755);
  writeFileSync(join(box, 'main.py'), source, { mode: 0o644 });
  const lines: string[] = [];
  const result = await sandbox.run({
    program: 'python',
    boxDir: box,
    args: ['{box}/main.py'],
    limits: { ...DEFAULT_LIMITS, ...limits },
    onLine: (l) => lines.push(l),
  });
  return { lines, result };
}

function leftoverProcesses(marker: string): number {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

describe('bubblewrap sandbox, for real', { skip }, () => {
  it('cannot connect to a port the host listens on at 127.0.0.1', async () => {
    const server = await loopbackServer();
    const port = server.port;
    const { lines } = await runPython(
      `import socket\ntry:\n    socket.create_connection(("127.0.0.1", ${port}), timeout=2)\n    print("connected")\nexcept OSError as e:\n    print("refused", type(e).__name__)\ntry:\n    socket.getaddrinfo("example.com", 80)\n    print("resolved")\nexcept OSError:\n    print("no dns")\n`,
    );
    server.close();
    assert.deepEqual(lines, ['refused ConnectionRefusedError', 'no dns']);
    assert.equal(server.connections(), 0);
  });

  it("sees neither the user's files nor vetta's environment", async () => {
    const home = tempDir('vetta-home-');
    writeFileSync(join(home, 'secret.txt'), 'TOP-SECRET');
    process.env.GEMINI_API_KEY = 'planted-gemini-key';
    try {
      const { lines } = await runPython(
        `import os\nfor p in ["${home}/secret.txt", "${process.cwd()}/package.json", "/root", "/home", "/etc/shadow"]:\n    print(p, os.path.exists(p))\n` +
          `print(sorted(os.environ))\nprint(open("/proc/1/environ").read())\nprint(os.getuid(), os.getgid())\nprint(sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))\n`,
      );
      const text = lines.join('\n');
      assert.doesNotMatch(text, /True/);
      assert.doesNotMatch(text, /planted-gemini-key|GEMINI|TOP-SECRET/);
      assert.match(text, /\['HOME', 'LANG', 'PATH', 'PWD', 'PYTHONDONTWRITEBYTECODE', 'PYTHONHASHSEED'\]/);
      assert.ok(lines.includes(`${NOBODY} ${NOBODY}`), text);
      // A private pid namespace: only the sandbox's own few processes exist.
      const pids = JSON.parse(lines[lines.length - 1]!) as number[];
      assert.ok(pids.length <= 3 && pids.includes(1), text);
    } finally {
      delete process.env.GEMINI_API_KEY;
    }
  });

  it('writes only to its private /tmp and /dev/shm, each 16 MB at most, which the host never sees', async () => {
    const { lines } = await runPython(
      'import os\nfor p in ["/tmp/ok.txt", "/box/x.txt", "/usr/x.txt", "/x.txt", "/dev/x.txt"]:\n    try:\n        open(p, "w").write("x")\n        print(p, "written")\n    except OSError as e:\n        print(p, "refused")\n' +
        'for p in ["/tmp/big", "/dev/shm/big"]:\n    try:\n        with open(p, "wb") as f:\n            for _ in range(64):\n                f.write(b"x" * (1 << 20))\n        print(p, "64 MB")\n    except OSError as e:\n        print(p, "capped" if os.path.getsize(p) <= 16 << 20 else "not capped")\n',
    );
    assert.deepEqual(lines, [
      '/tmp/ok.txt written',
      '/box/x.txt refused',
      '/usr/x.txt refused',
      '/x.txt refused',
      '/dev/x.txt refused',
      '/tmp/big capped',
      '/dev/shm/big capped',
    ]);
    // What it wrote is in its own /tmp and /dev/shm, gone with it. (Not a count of the host's
    // /tmp: the tests running beside this one make folders there.)
    for (const written of ['/tmp/ok.txt', '/tmp/big', '/dev/shm/big', '/x.txt', '/usr/x.txt']) assert.ok(!existsSync(written), `${written} is on the host`);
  });

  it('contains a fork bomb and leaves no process behind', async () => {
    const marker = `vetta-forkbomb-${process.pid}`;
    const { result } = await runPython(`# ${marker}\nimport os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n`, {
      wallMs: 1500,
    });
    assert.equal(result.timedOut, true);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(leftoverProcesses(marker), 0);
  });

  it('kills a program that outlives its limit, children included', async () => {
    const marker = `vetta-sleeper-${process.pid}`;
    const { result } = await runPython(
      `# ${marker}\nimport os, sys, time, subprocess\nsubprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])\nos.setsid() if os.fork() == 0 else None\ntime.sleep(30)\n`,
      { wallMs: 500 },
    );
    assert.equal(result.timedOut, true);
    assert.ok(result.durationMs < 3000);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(leftoverProcesses(marker), 0);
  });

  it('reports the memory limit when the kernel stops the program', async () => {
    const { result } = await runPython('x = bytearray(300 * 1024 * 1024)\nprint("allocated")\n');
    assert.equal(result.memoryExceeded, true);
  });
});
