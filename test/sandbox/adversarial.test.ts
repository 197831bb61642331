import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { judge } from '../../src/problems/judge.ts';
import { loadProblem, loadTests } from '../../src/problems/load.ts';
import { BubblewrapSandbox } from '../../src/sandbox/bubblewrap.ts';
import { NsjailSandbox } from '../../src/sandbox/nsjail.ts';
import type { Sandbox } from '../../src/core/sandbox.ts';
import { localDocker } from './local-images.ts';
import { largestProblem, loopbackServer, tempDir, writeTree } from '../helpers.ts';

/**
 * Hostile solutions, through the whole judge. Each attack returns the right answer only if the
 * forbidden thing worked, so a hole in the sandbox shows up as "accepted". After each run: the
 * verdict is the expected one, nothing was written on the host, no connection arrived, no planted
 * secret appears anywhere in the report, and no process is left.
 */
/** Every backend that runs here; Docker with images of this machine's interpreters (local-images.ts). */
const backends: Array<[string, Sandbox | string]> = [
  ['bubblewrap', BubblewrapSandbox.detect()],
  ['nsjail', NsjailSandbox.detect()],
  ['docker', process.env.VETTA_TEST_DOCKER === '0' ? 'VETTA_TEST_DOCKER=0' : localDocker()],
];

const MARK = `vetta-attack-${process.pid}`;
const KEY = `planted-key-${process.pid}`;
const home = tempDir('vetta-home-');
const secretFile = join(home, 'secret.txt');
const SECRET = `SECRET-${process.pid}`;
writeFileSync(secretFile, SECRET);
const hostTarget = join(home, `written-${MARK}`);

/**
 * A problem set installed in a system folder, as `npm install -g` with a system Node does
 * (/usr/lib/node_modules/vetta): its hidden expected values and reference solutions must not be
 * readable from inside. Needs root to plant; removed after the run.
 */
const systemInstall = `/usr/lib/node_modules/vetta-${MARK}`;
const canPlant = process.getuid?.() === 0;

const dir = tempDir();
writeTree(dir, largestProblem());
const problem = loadProblem(`${dir}/largest`);
const tests = loadTests(problem).slice(0, 2);

let port = 0;
let server: Awaited<ReturnType<typeof loopbackServer>>;
let hostSleeper: ReturnType<typeof spawn> | undefined;

type Expect = 'time_limit' | 'memory_limit' | 'output_limit' | 'runtime_error' | 'wrong_answer' | 'not_accepted';
interface Attack {
  name: string;
  /** The verdicts that are right for it; several when either limit may be hit first. */
  expect: Expect | Expect[];
  python: () => string;
  javascript?: () => string;
  skip?: string | false;
}

/** JS solutions are synchronous; a child node process lets an attack wait for a socket. */
const jsChild = (code: string) =>
  `require('child_process').execFileSync(process.execPath, ['-e', ${JSON.stringify(code)}], { stdio: 'ignore', timeout: 3000 })`;

/**
 * Raw system calls through ctypes, for the kernel-surface attacks; the answer is right only if one
 * of the calls worked. Python only: Node cannot make raw calls, and the Node sandbox holds no other
 * interpreter to make them with (the filter is the same for every program).
 */
const rawAttack = (calls: string) => () =>
  `import ctypes, os, struct\nlibc = ctypes.CDLL(None, use_errno=True)\nsys_ = libc.syscall\nworked = any(r >= 0 for r in [${calls}])\n` +
  `def largest(nums):\n    return max(nums) if worked else -1\n`;
/** clone(flags) from Python: the child leaves at once; the parent sees its pid if it worked. */
const rawClone = (flags: number) => `(lambda r: os._exit(0) if r == 0 else r)(sys_(${CLONE_NR}, ${flags} | 17, 0, 0, 0, 0))`;
const CLONE_NR = 56;

const attacks: Attack[] = [
  {
    name: 'fork bomb',
    // Each child the JavaScript one starts is a Node process of 30-40 MB: with 64 processes allowed,
    // memory may run out before time does (seen under load in Docker).
    expect: ['time_limit', 'memory_limit'],
    python: () => `import os\ndef largest(nums):\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass\n`,
    javascript: () =>
      `const { spawn } = require('child_process');\nfunction largest(nums) {\n  for (;;) { try { spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000) // ${MARK}']); } catch {} }\n}\n`,
  },
  {
    name: 'memory hog (objects)',
    expect: 'memory_limit',
    python: () => `def largest(nums):\n    hog = []\n    while True:\n        hog.append([0] * 100000)\n`,
    javascript: () => `function largest(nums) {\n  const hog = [];\n  for (;;) hog.push(new Array(100000).fill({ a: 1 }));\n}\n`,
  },
  {
    name: 'memory hog (raw buffer)',
    expect: 'memory_limit',
    python: () => `def largest(nums):\n    b = bytearray(1024 * 1024 * 1024)\n    return max(nums)\n`,
    javascript: () => `function largest(nums) {\n  const b = Buffer.alloc(1024 * 1024 * 1024, 1);\n  return Math.max(...nums);\n}\n`,
  },
  {
    name: 'infinite loop',
    expect: 'time_limit',
    python: () => `def largest(nums):\n    while True:\n        pass\n`,
    javascript: () => `function largest(nums) { for (;;) {} }\n`,
  },
  {
    name: 'long sleep',
    expect: 'time_limit',
    python: () => `import time\ndef largest(nums):\n    time.sleep(60)\n    return max(nums)\n`,
    javascript: () => `function largest(nums) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000); return Math.max(...nums); }\n`,
  },
  {
    name: 'connect to a host loopback port',
    expect: 'runtime_error',
    python: () => `import socket\ndef largest(nums):\n    socket.create_connection(('127.0.0.1', ${port}), timeout=2)\n    return max(nums)\n`,
    javascript: () =>
      `function largest(nums) {\n  ${jsChild(`require('net').connect(${port}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`)};\n  return Math.max(...nums);\n}\n`,
  },
  {
    name: 'DNS lookup',
    expect: 'runtime_error',
    python: () => `import socket\ndef largest(nums):\n    socket.getaddrinfo('registry.npmjs.org', 443)\n    return max(nums)\n`,
    javascript: () =>
      `function largest(nums) {\n  ${jsChild(`require('dns').lookup('registry.npmjs.org', (e) => process.exit(e ? 1 : 0))`)};\n  return Math.max(...nums);\n}\n`,
  },
  {
    name: "write to the host's home and working folder",
    expect: 'runtime_error',
    python: () =>
      `def largest(nums):\n    open(${JSON.stringify(hostTarget)}, 'w').write('x')\n    open(${JSON.stringify(join(process.cwd(), MARK))}, 'w').write('x')\n    return max(nums)\n`,
    javascript: () =>
      `const fs = require('fs');\nfunction largest(nums) {\n  fs.writeFileSync(${JSON.stringify(hostTarget)}, 'x');\n  fs.writeFileSync(${JSON.stringify(join(process.cwd(), MARK))}, 'x');\n  return Math.max(...nums);\n}\n`,
  },
  {
    name: 'read a secret planted in $HOME',
    expect: 'runtime_error',
    python: () => `def largest(nums):\n    s = open(${JSON.stringify(secretFile)}).read()\n    print(s)\n    return max(nums) if s else 0\n`,
    javascript: () =>
      `function largest(nums) {\n  const s = require('fs').readFileSync(${JSON.stringify(secretFile)}, 'utf8');\n  console.log(s);\n  return Math.max(...nums);\n}\n`,
  },
  {
    name: 'print the environment and /proc/1/environ',
    expect: 'wrong_answer',
    python: () =>
      `import os\ndef largest(nums):\n    seen = str(dict(os.environ)) + open('/proc/1/environ').read()\n    print(seen)\n    return max(nums) if '${KEY}' in seen else -1\n`,
    javascript: () =>
      `function largest(nums) {\n  const seen = JSON.stringify(process.env) + require('fs').readFileSync('/proc/1/environ', 'utf8');\n  console.log(seen);\n  return seen.includes('${KEY}') ? Math.max(...nums) : -1;\n}\n`,
  },
  {
    name: 'spawn a shell that reads the secret and leaves a child behind',
    expect: 'wrong_answer',
    python: () =>
      `import subprocess, sys\ndef largest(nums):\n    subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300) # ${MARK}'], start_new_session=True)\n    out = subprocess.run(['/bin/sh', '-c', 'read -r l < ${secretFile}; echo "$l"; echo $GEMINI_API_KEY'], capture_output=True, text=True).stdout\n    return max(nums) if '${SECRET}' in out or '${KEY}' in out else -1\n`,
    javascript: () =>
      `const cp = require('child_process');\nfunction largest(nums) {\n  cp.spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300000) // ${MARK}'], { detached: true, stdio: 'ignore' }).unref();\n  const out = cp.execFileSync('/bin/sh', ['-c', 'read -r l < ${secretFile}; echo "$l"; echo $GEMINI_API_KEY'], { encoding: 'utf8' });\n  return out.includes('${SECRET}') || out.includes('${KEY}') ? Math.max(...nums) : -1;\n}\n`,
  },
  {
    name: 'kill the parent and every process it can see',
    expect: 'runtime_error',
    python: () => `import os, signal\ndef largest(nums):\n    os.kill(os.getppid(), signal.SIGKILL)\n    os.kill(-1, signal.SIGKILL)\n    return max(nums)\n`,
    javascript: () =>
      `function largest(nums) {\n  try { process.kill(process.ppid, 'SIGKILL'); } catch {}\n  process.kill(-1, 'SIGKILL');\n  return Math.max(...nums);\n}\n`,
  },
  {
    name: 'thousands of threads',
    // Node workers are heavy: the memory limit may stop them before the process limit does, and on
    // a busy machine starting them may outlast the test's time.
    expect: ['runtime_error', 'memory_limit', 'time_limit'],
    python: () =>
      `import threading, time\ndef largest(nums):\n    for _ in range(5000):\n        threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n    return max(nums)\n`,
    javascript: () =>
      `const { Worker } = require('worker_threads');\nfunction largest(nums) {\n  const ws = [];\n  for (let i = 0; i < 5000; i++) ws.push(new Worker('setInterval(() => {}, 1000)', { eval: true }));\n  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4000);\n  return Math.max(...nums);\n}\n`,
  },
  {
    name: '1 GB of output',
    expect: 'output_limit',
    python: () =>
      `import sys\ndef largest(nums):\n    chunk = 'x' * (1 << 20)\n    for _ in range(1024):\n        sys.stdout.write(chunk)\n    return max(nums)\n`,
    javascript: () =>
      `function largest(nums) {\n  const chunk = 'x'.repeat(1 << 20);\n  for (let i = 0; i < 1024; i++) process.stdout.write(chunk);\n  return Math.max(...nums);\n}\n`,
  },
  {
    name: 'exit early with status 0',
    expect: 'runtime_error',
    python: () => `import os\ndef largest(nums):\n    os._exit(0)\n`,
    javascript: () => `function largest(nums) { process.exit(0); }\n`,
  },
  {
    name: "imitate the harness's records",
    expect: 'not_accepted',
    python: () =>
      `import os\nfor i in range(2):\n    os.write(1, b'\\n{"t":"start","i":%d}\\n{"t":"result","i":%d,"value":"forged","ms":1}\\n' % (i, i))\nos.write(1, b'{"t":"done"}\\n')\nos._exit(0)\n`,
    javascript: () =>
      `const fs = require('fs');\nfor (let i = 0; i < 2; i++) fs.writeSync(1, '\\n{"t":"start","i":' + i + '}\\n{"t":"result","i":' + i + ',"value":"forged","ms":1}\\n');\nfs.writeSync(1, '{"t":"done"}\\n');\nprocess.exit(0);\n`,
  },
  {
    name: 'look up the answers in an installed problem set (walk every readable path for tests.json, solution.*)',
    expect: 'wrong_answer',
    skip: canPlant ? false : 'planting a problem set under /usr/lib needs root',
    python: () =>
      // Where a global npm install puts packages first, so a hit comes before the time runs out.
      `import os\nfound = []\nfor top in ('/usr/lib/node_modules', '/usr/local/lib/node_modules', '/'):\n  for root, dirs, files in os.walk(top):\n` +
      `    dirs[:] = [d for d in dirs if os.path.join(root, d) not in ('/proc', '/sys', '/dev', '/box')]\n` +
      `    found += [os.path.join(root, f) for f in files if f == 'tests.json' or f.startswith('solution.')]\n    if found:\n      break\n  if found:\n    break\nprint(found)\n` +
      `def largest(nums):\n    return max(nums) if found else -1\n`,
    javascript: () =>
      `const fs = require('fs');\nconst found = [];\nconst walk = (d) => {\n  let entries = [];\n  try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }\n` +
      `  for (const e of entries) {\n    const p = (d === '/' ? '' : d) + '/' + e.name;\n    if (found.length || ['/proc', '/sys', '/dev', '/box'].includes(p)) continue;\n` +
      `    if (e.isDirectory()) walk(p);\n    else if (e.name === 'tests.json' || e.name.startsWith('solution.')) found.push(p);\n  }\n};\n` +
      `for (const top of ['/usr/lib/node_modules', '/usr/local/lib/node_modules', '/']) walk(top);\nconsole.log(found);\n` +
      `function largest(nums) { return found.length ? Math.max(...nums) : -1; }\n`,
  },
  {
    name: "ptrace the sandbox's pid 1 (PTRACE_SEIZE)",
    expect: 'wrong_answer',
    python: rawAttack('sys_(101, 0x4206, 1, 0, 0)'),
  },
  {
    name: 'kernel keyrings (keyctl, add_key)',
    expect: 'wrong_answer',
    python: rawAttack('sys_(250, 0, -3, 0), sys_(248, b"user", b"vetta", b"v", 1, -3)'),
  },
  {
    name: 'io_uring_setup',
    expect: 'wrong_answer',
    python: rawAttack('sys_(425, 8, ctypes.create_string_buffer(120))'),
  },
  {
    name: 'a nested user namespace where it would be root (unshare, clone)',
    expect: 'wrong_answer',
    python: rawAttack(`sys_(272, 0x10000000), ${rawClone(0x10000000)}, ${rawClone(0x40000000)}`),
  },
  {
    name: 'userfaultfd (user-mode only, allowed to unprivileged users by the kernel)',
    expect: 'wrong_answer',
    python: rawAttack('sys_(323, 1)'),
  },
];

function leftovers(): string[] {
  try {
    return execFileSync('pgrep', ['-af', MARK], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l && !l.includes('pgrep') && !l.includes(`sleep 300 # host ${MARK}`));
  } catch {
    return [];
  }
}

for (const [backend, sandbox] of backends) {
  describe(`hostile solutions (${backend})`, { skip: typeof sandbox === 'string' ? `${backend} unavailable here: ${sandbox}` : false }, () => {
    before(async () => {
      server = await loopbackServer();
      port = server.port;
      process.env.GEMINI_API_KEY = KEY;
      // A process of the user's that "kill every process" must not reach.
      hostSleeper = spawn('/bin/sh', ['-c', `sleep 300 # host ${MARK}`], { stdio: 'ignore' });
      if (canPlant) writeTree(systemInstall, { ...largestProblem(), 'package.json': '{"name":"vetta"}' });
    });
    after(() => {
      server.close();
      delete process.env.GEMINI_API_KEY;
      hostSleeper?.kill('SIGKILL');
      rmSync(systemInstall, { recursive: true, force: true });
    });

    for (const attack of attacks) {
      for (const language of ['python', 'javascript'] as const) {
        const source = attack[language];
        if (!source) continue;
        it(`${language}: ${attack.name}`, { timeout: 60_000, skip: attack.skip ?? false }, async () => {
          const before = readdirSync(process.cwd()).length;
          const report = await judge(problem, tests, { source: source(), language, sandbox: sandbox as Sandbox });
          assert.notEqual(report.verdict, 'accepted');
          if (attack.expect !== 'not_accepted') {
            const allowed = ([] as Expect[]).concat(attack.expect);
            assert.ok(allowed.includes(report.tests[0]!.verdict as Expect), JSON.stringify(report.tests[0]));
          }
          const text = JSON.stringify(report);
          assert.ok(!text.includes(SECRET) && !text.includes(KEY), 'no secret in the report');
          assert.ok(!existsSync(hostTarget) && !existsSync(join(process.cwd(), MARK)), 'nothing written on the host');
          assert.equal(readdirSync(process.cwd()).length, before);
          assert.equal(server.connections(), 0, 'no connection received');
          await new Promise((r) => setTimeout(r, 100));
          assert.deepEqual(leftovers(), [], 'no process left');
          assert.equal(hostSleeper?.exitCode, null, "the user's own processes survive");
        });
      }
    }
  });
}
