import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { judge } from '../../src/problems/judge.ts';
import type { Language } from '../../src/problems/load.ts';
import { loadProblem, loadTests } from '../../src/problems/load.ts';
import { VettaError } from '../../src/core/errors.ts';
import type { BubblewrapSandbox } from '../../src/sandbox/bubblewrap.ts';
import { cgroupUnavailableReason } from '../../src/sandbox/cgroup.ts';
import { selectSandbox } from '../../src/sandbox/select.ts';
import { findOnPath } from '../../src/core/find-on-path.ts';
import type { Sandbox } from '../../src/core/sandbox.ts';
import { largestProblem, tempDir, writeTree } from '../helpers.ts';

const dir = tempDir();
writeTree(dir, largestProblem());
const problem = loadProblem(`${dir}/largest`);
const tests = loadTests(problem);
const sandbox = selectSandbox('auto');

const run = (source: string, language: Language, testTimeMs?: number) =>
  judge(problem, tests, { source, language, sandbox, ...(testTimeMs ? { limits: { testTimeMs } } : {}) });

/** Why the per-test CPU time cannot be counted here (the busy-machine test needs it), or false. */
const cpuUnmeasured = () => {
  const reason = cgroupUnavailableReason();
  if (reason) return reason;
  return findOnPath('taskset', process.env) ? false : 'taskset (util-linux) is not installed';
};

const verdicts = (r: Awaited<ReturnType<typeof run>>) => r.tests.map((t) => t.verdict);

describe('judge', () => {
  it('accepts correct solutions in Python, JavaScript and TypeScript, in either form', async () => {
    for (const [source, language] of [
      ['class Solution:\n    def largest(self, nums):\n        return max(nums)\n', 'python'],
      ['def largest(nums):\n    return max(nums)\n', 'python'],
      ['var largest = function (nums) { return Math.max(...nums.slice(0, 10)) >= nums[0] ? nums.reduce((a, b) => (a > b ? a : b)) : 0; };', 'javascript'],
      ['module.exports = { largest: (nums) => nums.reduce((a, b) => (a > b ? a : b)) };', 'javascript'],
      [
        'enum Start { First = 0 }\nfunction largest(nums: number[]): number {\n  let best: number = nums[Start.First];\n  for (const x of nums) if (x > best) best = x;\n  return best;\n}\n',
        'typescript',
      ],
    ] as const) {
      const r = await run(source, language);
      assert.equal(r.verdict, 'accepted', `${language}: ${r.summary}`);
      assert.equal(r.passed, 4);
      assert.equal(r.summary, 'passes all 4 tests');
    }
  });

  it("gives Python solutions LeetCode's environment in the sandbox: SortedList from Debian's python3-sortedcontainers, and nothing else of dist-packages", async () => {
    const sorted = await run('class Solution:\n    def largest(self, nums):\n        return SortedList(nums)[-1]\n', 'python');
    assert.equal(sorted.verdict, 'accepted', sorted.tests.find((t) => t.error)?.error ?? sorted.summary);
    // Another package of the same folder stays out of sight.
    const other = await run(
      'import sys\nsys.path.insert(0, "/usr/lib/python3/dist-packages")\nimport apt\nclass Solution:\n    def largest(self, nums):\n        return max(nums)\n',
      'python',
    );
    assert.equal(other.verdict, 'runtime_error');
    assert.match(other.tests[0]!.error ?? '', /No module named 'apt'/);
  });

  it('reports a wrong answer with input, expected and actual for visible tests only', async () => {
    const r = await run('class Solution:\n    def largest(self, nums):\n        return max([0] + nums)\n', 'python');
    assert.equal(r.verdict, 'wrong_answer');
    assert.deepEqual(verdicts(r), ['passed', 'passed', 'wrong_answer', 'passed']);
    const hidden = r.tests[2]!;
    assert.equal(hidden.input, undefined);
    assert.equal(hidden.actual, undefined);
    assert.match(r.summary, /^passes 3 of 4 tests; the failing cases involve negative numbers \(1 wrong answer\)$/);
  });

  it('shows the candidate traceback without the harness frames', async () => {
    const r = await run('class Solution:\n    def largest(self, nums):\n        return helper(nums)\n\ndef helper(nums):\n    return nums[10]\n', 'python');
    const first = r.tests[0]!;
    assert.equal(first.verdict, 'runtime_error');
    assert.match(first.error!, /File "solution.py", line 3, in largest/);
    assert.match(first.error!, /File "solution.py", line 6, in helper/);
    assert.match(first.error!, /IndexError: list index out of range/);
    assert.doesNotMatch(first.error!, /harness/);
    const js = await run('function largest(nums) {\n  return nums.missing.length;\n}\n', 'javascript');
    assert.match(js.tests[0]!.error!, /TypeError: Cannot read properties of undefined/);
    assert.match(js.tests[0]!.error!, /solution\.js:2/);
    assert.doesNotMatch(js.tests[0]!.error!, /harness/);
  });

  it('accepts a solution saved with a byte-order mark, as python3 and node do', async () => {
    for (const [source, language] of [
      ['\uFEFFclass Solution:\n    def largest(self, nums):\n        return max(nums)\n', 'python'],
      ['\uFEFFfunction largest(nums) { return nums.reduce((a, b) => (a > b ? a : b)); }\n', 'javascript'],
    ] as const) {
      const r = await run(source, language);
      assert.equal(r.verdict, 'accepted', `${language}: ${r.summary}`);
    }
  });

  it('reports compile errors with their line in every language', async () => {
    const py = await run('class Solution:\n    def largest(self, nums)\n        return 1\n', 'python');
    assert.equal(py.verdict, 'compile_error');
    assert.equal(py.compileError?.line, 2);
    const js = await run('function largest(nums) {\n  return nums[0;\n}\n', 'javascript');
    assert.equal(js.verdict, 'compile_error');
    assert.equal(js.compileError?.line, 2);
    const ts = await run('const a = 1;\nfunction largest(nums: number[] {\n  return 1;\n}\n', 'typescript');
    assert.equal(ts.verdict, 'compile_error');
    assert.equal(ts.compileError?.line, 2);
    const missing = await run('def something_else():\n    pass\n', 'python');
    assert.equal(missing.verdict, 'compile_error');
    assert.match(missing.summary, /largest/);
  });

  it('gives a slow test time_limit and still judges the tests after it', async () => {
    const r = await run(
      'function largest(nums) {\n  if (nums.length === 1) for (;;) {}\n  return Math.max(...nums.slice(0, 5), ...nums);\n}\n',
      'javascript',
      300,
    );
    assert.deepEqual(verdicts(r), ['passed', 'time_limit', 'passed', 'passed']);
    assert.equal(r.verdict, 'time_limit');
  });

  it('gives time_limit to a quadratic solution on the large test', async () => {
    const r = await run(
      'class Solution:\n    def largest(self, nums):\n        for x in nums:\n            if all(x >= y for y in nums):\n                return x\n',
      'python',
      500,
    );
    assert.deepEqual(verdicts(r), ['passed', 'passed', 'passed', 'time_limit']);
  });

  it('gives memory_limit for Python lists, JS heap objects and raw buffers', async () => {
    const py = await run('class Solution:\n    def largest(self, nums):\n        hog = [list(range(1000)) for _ in range(10**6)]\n', 'python');
    assert.equal(py.tests[0]!.verdict, 'memory_limit');
    const bytes = await run('class Solution:\n    def largest(self, nums):\n        hog = bytearray(400 * 1024 * 1024)\n', 'python');
    assert.equal(bytes.tests[0]!.verdict, 'memory_limit');
    const heap = await run('function largest(nums) { const a = []; for (;;) a.push({ n: a.length, s: "x" + a.length }); }', 'javascript');
    assert.equal(heap.tests[0]!.verdict, 'memory_limit');
    const buffer = await run('function largest(nums) { const b = Buffer.alloc(400 * 1024 * 1024, 1); return b[0]; }', 'javascript');
    assert.equal(buffer.tests[0]!.verdict, 'memory_limit');
  });

  it('gives memory_limit to a run that stalled near its memory limit until its time ran out', async () => {
    // On a busy machine a heap hog is still collecting garbage when the per-test clock runs out.
    const stalled = (peakMb: number): Sandbox => ({
      name: 'bubblewrap',
      gaps: [],
      run: (request) =>
        new Promise((resolve) => {
          request.onLine?.('{"t":"hello"}');
          request.onLine?.('{"t":"ready"}');
          const stopped = {
            backend: 'bubblewrap',
            exitCode: null,
            signal: 'SIGKILL' as const,
            timedOut: false,
            memoryExceeded: false,
            outputExceeded: false,
            aborted: false,
            durationMs: 400,
            stderr: '',
          };
          request.signal?.addEventListener('abort', () => resolve({ ...stopped, peakMemoryBytes: peakMb * 1024 * 1024 }), { once: true });
        }),
      explainStartFailure: () => 'unused',
    });
    const source = 'function largest(nums) { const a = []; for (;;) a.push({ n: a.length }); }';
    const hog = await judge(problem, tests, { source, language: 'javascript', sandbox: stalled(100), limits: { testTimeMs: 100 } });
    assert.equal(hog.tests[0]!.verdict, 'memory_limit');
    assert.match(hog.tests[0]!.error!, /used 100 MB/);
    const slow = await judge(problem, tests, { source, language: 'javascript', sandbox: stalled(40), limits: { testTimeMs: 100 } });
    assert.equal(slow.tests[0]!.verdict, 'time_limit');
  });

  it('stops at the first failing test when asked, leaving the rest not run', async () => {
    const slow = 'class Solution:\n    def largest(self, nums):\n        for x in nums:\n            if all(x >= y for y in nums):\n                return x\n';
    const r = await judge(problem, tests, { source: 'def largest(nums):\n    return nums[0]\n', language: 'python', sandbox, untilFirstFailure: true });
    assert.notEqual(r.verdict, 'accepted');
    const first = r.tests.findIndex((t) => t.verdict !== 'passed');
    assert.ok(
      r.tests.slice(first + 1).every((t) => t.verdict === 'not_run'),
      JSON.stringify(verdicts(r)),
    );
    const timed = await judge(problem, tests, { source: slow, language: 'python', sandbox, untilFirstFailure: true, limits: { testTimeMs: 300 } });
    assert.deepEqual(verdicts(timed), ['passed', 'passed', 'passed', 'time_limit']);
  });

  it('gives output_limit to a flood of output', async () => {
    const r = await run(
      'import sys\nclass Solution:\n    def largest(self, nums):\n        while True:\n            sys.stdout.write("x" * 65536)\n',
      'python',
    );
    assert.equal(r.tests[0]!.verdict, 'output_limit');
  });

  it('reports the tests that a flood of output left no time for as not run, never as time limits', async () => {
    // The first test floods its output and is stopped; the fresh process for the other tests
    // (it knows itself by its job file) is still loading when the submission's 1.5 s run out.
    const r = await judge(problem, tests, {
      source:
        'import sys, time\nif not sys.argv[-1].endswith("job-1.json"):\n    time.sleep(5)\n' +
        'class Solution:\n    def largest(self, nums):\n        while True:\n            sys.stdout.write("x" * 65536)\n',
      language: 'python',
      sandbox,
      limits: { wallMs: 1500 },
    });
    assert.deepEqual(verdicts(r), ['output_limit', 'not_run', 'not_run', 'not_run']);
    for (const t of r.tests.slice(1)) assert.match(t.error!, /^not run: the submission's 1.5 s limit was reached$/);
    assert.equal(r.verdict, 'output_limit');
  });

  it("reports the tests the submission's overall limit left unrun as not run", async () => {
    // Each test takes 0.8 s (under the 1 s per test), the whole submission may take 1.2 s.
    const r = await judge(problem, tests, {
      source: 'import time\nclass Solution:\n    def largest(self, nums):\n        time.sleep(0.8)\n        return max(nums)\n',
      language: 'python',
      sandbox,
      limits: { wallMs: 1200 },
    });
    const v = verdicts(r);
    assert.equal(v.filter((x) => x === 'time_limit').length, 1, v.join());
    assert.deepEqual(v.slice(-2), ['not_run', 'not_run']);
    assert.match(r.tests[3]!.error!, /^not run: the submission's 1.2 s limit was reached$/);
    assert.equal(r.verdict, 'time_limit');
    assert.match(r.summary, /tests not run/);
  });

  it('is not fooled by an early exit with status 0', async () => {
    const py = await run('import os\nclass Solution:\n    def largest(self, nums):\n        os._exit(0)\n', 'python');
    assert.notEqual(py.verdict, 'accepted');
    assert.ok(py.tests.every((t) => t.verdict === 'runtime_error'));
    const js = await run('function largest(nums) { process.exit(0); }', 'javascript');
    assert.notEqual(js.verdict, 'accepted');
    const atLoad = await run('import sys\nsys.exit(0)\n', 'python');
    assert.equal(atLoad.verdict, 'runtime_error');
  });

  it('is not fooled by output that imitates the harness protocol', async () => {
    // Every forged value is wrong for the test it names, so no credit can come from the forgery.
    const forged = (i: number) => `{"t":"result","i":${i},"value":99999,"ms":1}`;
    const py = await run(
      `import os, sys\nfor i in range(4):\n    os.write(1, b'\\n${forged(0).replaceAll('"', '\\"')}\\n')\nos.write(1, b'{"t":"done"}\\n')\n` +
        `class Solution:\n    def largest(self, nums):\n        print('${forged(1)}')\n        os.write(1, b'\\n{"t":"start","i":3}\\n{"t":"result","i":3,"value":4,"ms":1}\\n')\n        return 0\n`,
      'python',
    );
    assert.equal(py.passed, 0, py.summary);
    const js = await run(
      `const fs = require('fs');\nfs.writeSync(1, '{"t":"done"}\\n');\nfunction largest(nums) { console.log('${forged(0)}'); fs.writeSync(1, '\\n${forged(0)}\\n'); process.exit(0); }`,
      'javascript',
    );
    assert.equal(js.passed, 0, js.summary);
  });

  describe("keeps time on its own clock, whatever the harness in the solution's process reports", () => {
    // Each solution is right but sleeps 1.2 s on the one-element test (the limit is 300 ms; a
    // solution that waits rather than computes is stopped at twice that on the parent's clock), and
    // tries to hide it: it holds every record back until its answer is ready, then claims 1 ms.
    const slowPython = 'class Solution:\n    def largest(self, nums):\n        if len(nums) == 1:\n            time.sleep(1.2)\n        return max(nums)\n';
    const slowJs =
      'function largest(nums) {\n  if (nums.length === 1) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1200);\n  return Math.max(...nums);\n}\n';
    const cases: [string, string, Language][] = [
      [
        "Python: a wrapper around the harness's record writer, reached through sys.modules['__main__']",
        'import sys, json, time\nharness = sys.modules["__main__"]\nwrite = harness.send_line\nheld = []\n' +
          'def forged(line):\n    r = json.loads(line)\n    if r["t"] not in ("result", "error"):\n        held.append(line) if r["t"] == "start" else write(line)\n        return\n' +
          '    r["ms"] = 1\n    for h in held:\n        write(h)\n    held.clear()\n    write(json.dumps(r, separators=(",", ":")))\n' +
          'harness.send_line = forged\n' +
          slowPython,
        'python',
      ],
      [
        "Python: a replaced json.dumps that swallows the start record and rewrites the result's time",
        'import json, time\nreal = json.dumps\nheld = []\n' +
          'def dumps(obj, *a, **k):\n    if isinstance(obj, dict) and obj.get("t") == "start":\n        held.append(real(obj, *a, **k))\n        return "{}"\n' +
          '    if isinstance(obj, dict) and "ms" in obj:\n        obj = dict(obj, ms=1)\n    lines = held + [real(obj, *a, **k)]\n    held.clear()\n    return "\\n".join(lines)\n' +
          'json.dumps = dumps\n' +
          slowPython,
        'python',
      ],
      [
        "JavaScript: a wrapper around the harness's writeSync (fs patched, then synced into its ESM import)",
        "const fs = require('fs');\nconst write = fs.writeSync;\nlet held = [];\n" +
          'fs.writeSync = (fd, data, ...rest) => {\n  const text = String(data);\n  if (fd !== 1 || !text.includes(\'"t":\')) return write(fd, data, ...rest);\n' +
          '  if (text.includes(\'"t":"start"\')) { held.push(text); return data.length; }\n' +
          '  const out = held.join(\'\') + text.replace(/"ms":[0-9.]+/, \'"ms":1\');\n  held = [];\n  write(fd, out);\n  return data.length;\n};\n' +
          "require('module').syncBuiltinESMExports();\n" +
          slowJs,
        'javascript',
      ],
      [
        "JavaScript: a replaced JSON.stringify that swallows the start record and rewrites the result's time",
        'const stringify = JSON.stringify;\nlet held = [];\n' +
          "JSON.stringify = function (value, ...rest) {\n  if (value && value.t === 'start') { held.push(stringify(value)); return '{}'; }\n" +
          "  if (value && 'ms' in value) value = { ...value, ms: 1 };\n  const out = [...held, stringify(value, ...rest)].join('\\n');\n  held = [];\n  return out;\n};\n" +
          slowJs,
        'javascript',
      ],
    ];
    for (const [name, source, language] of cases) {
      it(name, async () => {
        const r = await run(source, language, 300);
        assert.deepEqual(verdicts(r), ['passed', 'time_limit', 'passed', 'passed'], JSON.stringify(r.tests));
        assert.match(r.tests[1]!.error!, /300 ms/);
      });
    }

    it("holds the work a solution does while loading (answers computed before the first test) to one test's time", async () => {
      const py = await run('import time\ntime.sleep(1.2)\n' + 'class Solution:\n    def largest(self, nums):\n        return max(nums)\n', 'python', 300);
      assert.deepEqual(verdicts(py), ['time_limit', 'time_limit', 'time_limit', 'time_limit']);
      assert.match(py.tests[0]!.error!, /loading the solution took more than 300 ms/);
      const js = await run(
        'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1200);\nfunction largest(nums) { return Math.max(...nums); }\n',
        'javascript',
        300,
      );
      assert.deepEqual(verdicts(js), ['time_limit', 'time_limit', 'time_limit', 'time_limit']);
    });
  });

  it('judges a correct solution on a machine whose CPU is kept busy as it would on an idle one', { skip: cpuUnmeasured() }, async () => {
    // One CPU is given to this process, the sandbox it starts and five busy loops (the other CPU
    // stays free for the rest of the suite), each loop in its own session as other programs on a
    // shared machine are (the scheduler shares a CPU between sessions first): the solution's 150 ms
    // of CPU per test (under the 300 ms limit) take about a second of wall time, over twice the
    // limit, while it waits its turn, and its four tests take about four seconds, twice the
    // submission's limit.
    const single = ['-c', '0'];
    const mask = execFileSync('taskset', ['-p', String(process.pid)], { encoding: 'utf8' })
      .trim()
      .split(' ')
      .pop()!;
    execFileSync('taskset', ['-p', ...single, String(process.pid)], { stdio: 'ignore' });
    const busy = Array.from({ length: 5 }, () => spawn('taskset', [...single, 'sh', '-c', 'while :; do :; done'], { stdio: 'ignore', detached: true }));
    try {
      const r = await judge(problem, tests, {
        source:
          'import time\nclass Solution:\n    def largest(self, nums):\n        end = time.process_time() + 0.15\n        while time.process_time() < end:\n            pass\n        return max(nums)\n',
        language: 'python',
        sandbox,
        limits: { testTimeMs: 300, wallMs: 2_000 },
      });
      assert.equal(r.verdict, 'accepted', JSON.stringify(r.tests.map((t) => t.error ?? t.verdict)));
    } finally {
      for (const p of busy) p.kill('SIGKILL');
      execFileSync('taskset', ['-p', mask, String(process.pid)], { stdio: 'ignore' });
    }
  });

  it('is not fooled by a solution that changes the test data or the harness', async () => {
    const r = await run(
      'import json, glob, __main__\n' +
        'for f in glob.glob("/box/*.json"):\n    try:\n        open(f, "w").write("{}")\n    except OSError:\n        pass\n' +
        '__main__.plain = lambda v: 12345\n' +
        'class Solution:\n    def largest(self, nums):\n        nums.clear()\n        return 12345\n',
      'python',
    );
    assert.equal(r.passed, 0);
    assert.ok(r.tests.every((t) => t.verdict === 'wrong_answer'));
  });

  it('blames the sandbox, not the candidate, when the sandbox never starts', async () => {
    const real = sandbox as BubblewrapSandbox;
    const broken: Sandbox = {
      name: 'bubblewrap',
      gaps: [],
      run: async () => ({
        backend: 'bubblewrap',
        exitCode: 1,
        signal: null,
        timedOut: false,
        memoryExceeded: false,
        outputExceeded: false,
        aborted: false,
        durationMs: 3,
        stderr: 'bwrap: No permissions to creating new namespace\n',
        peakMemoryBytes: null,
      }),
      explainStartFailure: (r) => real.explainStartFailure(r),
    };
    await assert.rejects(
      judge(problem, tests, { source: 'def largest(nums):\n    return max(nums)\n', language: 'python', sandbox: broken }),
      (e: unknown) => e instanceof VettaError && e.code === 'sandbox_unavailable' && /bubblewrap sandbox did not start: bwrap: No permissions/.test(e.message),
    );
  });

  it('judges design problems as operation sequences', async () => {
    const ddir = tempDir();
    writeTree(ddir, {
      'counter/problem.md': `---
id: counter
title: Counter
difficulty: easy
tags: [design]
design:
  class: Counter
  constructor: [{ name: start, type: int }]
  methods:
    add: { params: [{ name: n, type: int }], returns: void }
    value: { params: [], returns: int }
hints: { nudge: [a], hint: [b], reveal: [c] }
---
A counter.
`,
      'counter/tests.json': JSON.stringify({
        tests: [{ name: 'adds', ops: ['Counter', 'add', 'value', 'add', 'value'], args: [[5], [2], [], [3], []], expected: [null, null, 7, null, 10] }],
      }),
    });
    const p = loadProblem(`${ddir}/counter`);
    const t = loadTests(p);
    const py = await judge(p, t, {
      source:
        'class Counter:\n    def __init__(self, start):\n        self.v = start\n    def add(self, n):\n        self.v += n\n        return "ignored"\n    def value(self):\n        return self.v\n',
      language: 'python',
      sandbox,
    });
    assert.equal(py.verdict, 'accepted', py.summary);
    const js = await judge(p, t, {
      source: 'class Counter { constructor(s) { this.v = s; } add(n) { this.v += n; } value() { return this.v - 1; } }',
      language: 'javascript',
      sandbox,
    });
    assert.equal(js.verdict, 'wrong_answer');
    assert.deepEqual(js.tests[0]!.actual, [null, null, 6, null, 9]);
  });

  it('passes infinities and NaN both ways, spelled alike in Python and JavaScript', async () => {
    const fdir = tempDir();
    writeTree(fdir, {
      'top/problem.md': `---
id: top
title: Top
difficulty: easy
tags: [math]
function:
  params: [{ name: nums, type: "float[]" }]
  returns: float
  python: Solution.top
  javascript: top
hints: { nudge: [a], hint: [b], reveal: [c] }
---
The largest number, or NaN for none.
`,
      'top/tests.json': JSON.stringify({
        tests: [
          { name: 'infinite', args: { nums: [1.5, { $float: 'inf' }] }, expected: { $float: 'inf' } },
          { name: 'all -inf', args: { nums: [{ $float: '-inf' }] }, expected: { $float: '-inf' } },
          { name: 'none', args: { nums: [] }, expected: { $float: 'nan' } },
          { name: 'finite', args: { nums: [2.5, -1] }, expected: 2.5 },
        ],
      }),
    });
    const p = loadProblem(`${fdir}/top`);
    const t = loadTests(p);
    const py = await judge(p, t, {
      source: "class Solution:\n    def top(self, nums):\n        return max(nums) if nums else float('nan')\n",
      language: 'python',
      sandbox,
    });
    assert.equal(py.verdict, 'accepted', py.summary);
    const js = await judge(p, t, { source: 'function top(nums) { return nums.length ? Math.max(...nums) : NaN; }', language: 'javascript', sandbox });
    assert.equal(js.verdict, 'accepted', js.summary);
  });

  it('converts linked lists and trees both ways', async () => {
    const ldir = tempDir();
    writeTree(ldir, {
      'mirror/problem.md': `---
id: mirror
title: Mirror
difficulty: easy
tags: [tree]
function:
  params: [{ name: root, type: TreeNode }, { name: head, type: ListNode }]
  returns: TreeNode
  python: Solution.mirror
  javascript: mirror
hints: { nudge: [a], hint: [b], reveal: [c] }
---
Mirror the tree and put the list's length at the root.
`,
      'mirror/tests.json': JSON.stringify({
        tests: [
          { name: 'tree', args: { root: [1, 2, 3, null, 4], head: [9, 9] }, expected: [2, 3, 2, null, null, 4] },
          { name: 'empty', args: { root: [], head: [] }, expected: [] },
        ],
      }),
    });
    const p = loadProblem(`${ldir}/mirror`);
    const t = loadTests(p);
    const py = await judge(p, t, {
      source:
        'class Solution:\n    def mirror(self, root, head):\n        def m(n):\n            if n: n.left, n.right = m(n.right), m(n.left)\n            return n\n        if not root: return None\n        c = 0\n        while head: c, head = c + 1, head.next\n        root = m(root)\n        root.val = c\n        return root\n',
      language: 'python',
      sandbox,
    });
    assert.equal(py.verdict, 'accepted', JSON.stringify(py.tests));
    const js = await judge(p, t, {
      source:
        'function mirror(root, head) {\n  const m = (n) => { if (n) [n.left, n.right] = [m(n.right), m(n.left)]; return n; };\n  if (!root) return null;\n  let c = 0; for (let h = head; h; h = h.next) c++;\n  root = m(root); root.val = c; return root;\n}\n',
      language: 'javascript',
      sandbox,
    });
    assert.equal(js.verdict, 'accepted', JSON.stringify(js.tests));
  });
});
