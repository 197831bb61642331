import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { largestProblem, runCli, tempDir, writeTree } from '../helpers.ts';

const dir = tempDir();
writeTree(dir, largestProblem());
const solutions = tempDir();
const file = (name: string, text: string) => {
  const path = join(solutions, name);
  writeFileSync(path, text);
  return path;
};
const good = file('good.py', 'class Solution:\n    def largest(self, nums):\n        return max(nums)\n');
const wrong = file('wrong.js', 'function largest(nums) { return Math.max(0, ...nums.slice(0, 10)); }\n');
const P = ['--problems', dir];

describe('vetta --help and --version', () => {
  it('lists only the commands that exist', async () => {
    const { code, stdout } = await runCli(['--help']);
    assert.equal(code, 0);
    const listed = [...stdout.split('Commands:')[1]!.matchAll(/^ {2}(\w+)/gm)].map((m) => m[1]);
    for (const command of ['problems', 'practice', 'run', 'say', 'devices', 'sessions'])
      assert.ok(listed.includes(command), `${command} in ${listed.join(', ')}`);
    // Every command shown has its own help: nothing is listed that is not there.
    for (const command of listed.filter((c) => c !== 'help')) {
      const help = await runCli([command!, '--help']);
      assert.equal(help.code, 0, command);
      assert.match(help.stdout, new RegExp(`Usage: vetta ${command}`));
    }
  });

  it('prints the version', async () => {
    const { code, stdout } = await runCli(['--version']);
    assert.equal(code, 0);
    assert.match(stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('exits 2 on a usage error', async () => {
    const { code, stderr } = await runCli(['runn']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown command 'runn'/);
    assert.match(stderr, /Did you mean run\?/);
  });
});

describe('vetta run', () => {
  it('exits 0 on accepted and prints each test', async () => {
    const { code, stdout } = await runCli([...P, 'run', 'largest', good]);
    assert.equal(code, 0);
    assert.match(stdout, /✓ example/);
    assert.match(stdout, /✓ big \(hidden\)/);
    assert.match(stdout, /accepted: passes all 4 tests/);
  });

  it('exits 1 on a failing verdict and shows the visible failure', async () => {
    const { code, stdout } = await runCli([...P, 'run', 'largest', wrong]);
    assert.equal(code, 1);
    assert.match(stdout, /✗ negatives \(hidden\): wrong answer/);
    assert.match(stdout, /wrong answer: passes 2 of 4 tests; the failing cases involve large inputs and negative numbers/);
  });

  it('prints one stable JSON object with --json', async () => {
    const { code, stdout } = await runCli([...P, 'run', 'largest', wrong, '--json']);
    assert.equal(code, 1);
    const report = JSON.parse(stdout);
    assert.deepEqual(Object.keys(report), ['problem', 'language', 'verdict', 'passed', 'total', 'summary', 'tests', 'sandbox', 'durationMs']);
    assert.equal(report.language, 'javascript');
    assert.equal(report.verdict, 'wrong_answer');
    assert.equal(report.passed, 2);
    assert.equal(report.total, 4);
    assert.deepEqual(Object.keys(report.tests[0]), ['index', 'name', 'verdict', 'hidden', 'tags', 'timeMs', 'input', 'expected', 'actual']);
    assert.equal(report.tests[2].input, undefined, 'hidden inputs stay hidden');
  });

  it('runs only visible tests with --visible', async () => {
    const { stdout } = await runCli([...P, 'run', 'largest', good, '--visible', '--json']);
    assert.equal(JSON.parse(stdout).total, 2);
  });

  it('refuses bad input with one clear line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['run', 'largets', good], /^vetta: no problem "largets"; did you mean largest\?\n$/],
      [['run', 'largest', join(solutions, 'missing.py')], /missing\.py does not exist\n$/],
      [['run', 'largest', file('x.rb', 'puts 1')], /cannot tell the language of .*x\.rb from its extension; use --lang python\|javascript\|typescript\n$/],
      [['run', 'largest', file('empty.py', '  \n')], /empty\.py is empty; write a solution first\n$/],
      [['run', 'largest', file('huge.py', `# ${'x'.repeat(10 * 1024 * 1024)}\n`)], /huge\.py is 10\.0 MB; a solution may be at most 1 MB\n$/],
      [['run', 'largest', solutions], /is a folder; give the solution file\n$/],
      [['run', 'largest', good, '--sandbox', 'nope'], /Allowed choices are auto, nsjail, bubblewrap, docker, unsafe/],
    ];
    for (const [args, pattern] of cases) {
      const { code, stderr, stdout } = await runCli([...P, ...args]);
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.match(stderr, pattern);
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
      assert.equal(stdout, '');
    }
  });

  it('reports a syntax error as a compile_error verdict', async () => {
    const { code, stdout } = await runCli([...P, 'run', 'largest', file('bad.py', 'def largest(nums)\n  return 1\n')]);
    assert.equal(code, 1);
    assert.match(stdout, /compile error: line 1: SyntaxError/);
  });

  it('warns on every run with --sandbox unsafe', async () => {
    const { code, stderr } = await runCli([...P, 'run', 'largest', good, '--sandbox', 'unsafe']);
    assert.equal(code, 0);
    assert.match(stderr, /warning: sandbox unsafe: no isolation: the code can read and write your files/);
  });

  it('takes the sandbox from the flag, else VETTA_SANDBOX, else the config file', async () => {
    const config = tempDir();
    writeTree(config, { 'vetta/config.json': JSON.stringify({ sandbox: 'unsafe', problems: [dir] }) });
    const fromConfig = await runCli(['run', 'largest', good, '--verbose'], { XDG_CONFIG_HOME: config });
    assert.equal(fromConfig.code, 0, fromConfig.stderr);
    assert.match(fromConfig.stderr, /sandbox: unsafe;/, 'the config file chose it, and its problems folder was used');
    const fromEnv = await runCli(['run', 'largest', good, '--verbose'], { XDG_CONFIG_HOME: config, VETTA_SANDBOX: 'bubblewrap' });
    assert.match(fromEnv.stderr, /sandbox: bubblewrap;/);
    const fromFlag = await runCli(['run', 'largest', good, '--verbose', '--sandbox', 'bubblewrap'], { XDG_CONFIG_HOME: config });
    assert.match(fromFlag.stderr, /sandbox: bubblewrap;/);
    const unknown = await runCli([...P, 'run', 'largest', good], { VETTA_SANDBOX: 'chroot' });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^vetta: unknown sandbox "chroot": expected one of auto, nsjail, bubblewrap, docker, unsafe\n$/);
  });

  it('names a broken config file and the field, and stops', async () => {
    const config = tempDir();
    writeTree(config, { 'vetta/config.json': JSON.stringify({ sandbox: 'chroot' }) });
    const bad = await runCli([...P, 'run', 'largest', good], { XDG_CONFIG_HOME: config });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /vetta\/config\.json: sandbox: /);
    writeTree(config, { 'vetta/config.json': '{ not json' });
    const broken = await runCli([...P, 'run', 'largest', good], { XDG_CONFIG_HOME: config });
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /vetta\/config\.json is not valid JSON .*; fix it or move it aside\n$/);
  });

  it('warns about a setting it does not know, naming the one that was probably meant, and goes on', async () => {
    const config = tempDir();
    writeTree(config, { 'vetta/config.json': JSON.stringify({ sanbox: 'unsafe', problems: [dir], futureSetting: 1 }) });
    const r = await runCli(['run', 'largest', good], { XDG_CONFIG_HOME: config });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /vetta: warning: .*config\.json: unknown setting "sanbox" \(did you mean "sandbox"\?\); it is ignored\n/);
    assert.match(r.stderr, /unknown setting "futureSetting"; it is ignored\n/);
  });

  it('says which sandbox ran, with which limits, with --verbose', async () => {
    const { stderr } = await runCli([...P, 'run', 'largest', good, '--verbose']);
    assert.match(stderr, /sandbox: (nsjail|bubblewrap); limits: 5 s a submission, 1 s a test, 128 MB, 64 processes\n/);
  });

  it('lets the user lower or raise the limits within a cap', async () => {
    // It waits rather than computes: stopped at twice the 0.2 s limit (0.65 s with the harness's slack).
    const slow = file('slow.py', 'import time\nclass Solution:\n    def largest(self, nums):\n        time.sleep(1.0)\n        return max(nums)\n');
    const lowered = JSON.parse((await runCli([...P, 'run', 'largest', slow, '--visible', '--json', '--test-time-limit', '0.2'])).stdout);
    assert.deepEqual(
      lowered.tests.map((t: { verdict: string }) => t.verdict),
      ['time_limit', 'time_limit'],
    );
    const sleepy = file('sleepy.py', 'import time\nclass Solution:\n    def largest(self, nums):\n        time.sleep(1.2)\n        return max(nums)\n');
    const raised = await runCli([...P, 'run', 'largest', sleepy, '--visible', '--test-time-limit', '2', '--time-limit', '10']);
    assert.equal(raised.code, 0, raised.stdout);
    const capped = await runCli([...P, 'run', 'largest', good, '--memory-limit', '4096']);
    assert.equal(capped.code, 2);
    assert.match(capped.stderr, /--memory-limit is at most 1024 MB/);
    const nonsense = await runCli([...P, 'run', 'largest', good, '--time-limit', 'soon']);
    assert.equal(nonsense.code, 2);
    assert.match(nonsense.stderr, /--time-limit takes a positive number, not "soon"/);
  });
});

describe('vetta problems', () => {
  it('lists, filters and prints JSON', async () => {
    const all = JSON.parse((await runCli([...P, 'problems', 'list', '--json'])).stdout) as { id: string; origin: string }[];
    assert.ok(all.some((p) => p.id === 'largest' && p.origin === 'user'));
    const hard = JSON.parse((await runCli([...P, 'problems', 'list', '--json', '--difficulty', 'hard'])).stdout) as { id: string }[];
    assert.ok(!hard.some((p) => p.id === 'largest'));
    const tagged = JSON.parse((await runCli([...P, 'problems', 'list', '--json', '--tag', 'array'])).stdout) as { id: string }[];
    assert.ok(tagged.some((p) => p.id === 'largest'));
    const text = (await runCli([...P, 'problems', 'list'])).stdout;
    assert.match(text, /largest\s+easy\s+Largest/);
  });

  it('shows a statement rendered for the terminal', async () => {
    const { code, stdout } = await runCli([...P, 'problems', 'show', 'largest']);
    assert.equal(code, 0);
    assert.match(stdout, /^Largest {2}easy · array\n/);
    assert.match(stdout, /largest\(nums: int\[\]\) -> int/);
    assert.match(stdout, /Return the largest element of nums\./);
  });

  it('creates a scaffold that validates as written', async () => {
    const where = tempDir();
    const made = await runCli(['problems', 'new', 'max-gap', '--dir', where]);
    assert.equal(made.code, 0);
    const { code, stdout } = await runCli(['problems', 'validate', join(where, 'max-gap')]);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /ok {3}\[1\/1\] max-gap/);
    assert.match(stdout, /only 3 tests/);
  });

  it('fails validation with what failed: a wrong reference, an accepted wrong solution, a schema error', async () => {
    const bad = tempDir();
    const files = largestProblem();
    files['largest/solution.js'] = 'function largest(nums) { return nums[0]; }\n';
    files['largest/wrong/also-right.js'] = '// actually right\nfunction largest(nums) { return nums.reduce((a, b) => Math.max(a, b)); }\n';
    writeTree(bad, { ...files, 'broken/problem.md': '---\nid: broken\n---\n' });
    const { code, stdout } = await runCli(['problems', 'validate', bad]);
    assert.equal(code, 1);
    assert.match(stdout, /FAIL \[\d\/2\] largest/);
    assert.match(stdout, /✗ solution\.js: passes 1 of 4 tests.*actual/);
    assert.match(stdout, /✗ wrong\/also-right\.js: ACCEPTED/);
    assert.match(stdout, /broken\/problem\.md: title: /);
    assert.match(stdout, /2 of 2 problems failed: /);
  });
});
