import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { relative } from 'node:path';
import { describe, it } from 'node:test';
import { loadProblem, loadTests, ProblemFormatError, ProblemSet } from '../../src/problems/load.ts';
import { largestProblem, tempDir, writeTree } from '../helpers.ts';

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProblemFormatError) return e.errors;
    throw e;
  }
  assert.fail('expected a ProblemFormatError');
}

describe('problem loading', () => {
  it('names the file and the field of a schema error', () => {
    const dir = tempDir();
    const files = largestProblem();
    files['largest/problem.md'] = files['largest/problem.md']!.replace('nudge: ["n"]', 'nudge: "just one"').replace('difficulty: easy', 'difficulty: trivial');
    writeTree(dir, files);
    const errors = errorsOf(() => loadProblem(`${dir}/largest`));
    assert.ok(
      errors.some((e) => e.endsWith('largest/problem.md: hints.nudge: expected a list of strings')),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((e) => /problem\.md: difficulty: /.test(e)),
      errors.join('\n'),
    );
  });

  it('reports YAML syntax errors with a line number', () => {
    const dir = tempDir();
    const files = largestProblem();
    files['largest/problem.md'] = files['largest/problem.md']!.replace('tags: [array]', 'tags: [array');
    writeTree(dir, files);
    const errors = errorsOf(() => loadProblem(`${dir}/largest`));
    assert.match(errors[0]!, /problem\.md: line \d+: /);
  });

  it('requires the id to match the folder and exactly one of function or design', () => {
    const dir = tempDir();
    const files = largestProblem();
    files['largest/problem.md'] = files['largest/problem.md']!.replace('id: largest', 'id: biggest');
    writeTree(dir, files);
    assert.match(errorsOf(() => loadProblem(`${dir}/largest`))[0]!, /id: "biggest" must match the folder name "largest"/);
  });

  it('names the test and field of a bad test', () => {
    const dir = tempDir();
    writeTree(
      dir,
      largestProblem({
        tests: [
          { name: 'a', args: { nums: [1] }, expected: 1 },
          { name: 'b', args: { numbers: [1] }, expected: 1 },
          { name: 'a', args: { nums: { $gen: 'nope' } }, expected: 1 },
        ],
      }),
    );
    const p = loadProblem(`${dir}/largest`);
    const errors = errorsOf(() => loadTests(p));
    assert.ok(
      errors.some((e) => /tests\.json: tests\[1\]\.args: unknown argument numbers/.test(e)),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((e) => /tests\[2\]\.name: "a" is used twice/.test(e)),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((e) => /tests\[2\]\.args\.nums\.\$gen: unknown generator "nope"/.test(e)),
      errors.join('\n'),
    );
  });

  it('reports invalid JSON in tests.json', () => {
    const dir = tempDir();
    const files = largestProblem();
    files['largest/tests.json'] = '{"tests": [';
    writeTree(dir, files);
    const p = loadProblem(`${dir}/largest`);
    assert.match(errorsOf(() => loadTests(p))[0]!, /tests\.json: .*JSON/);
  });

  it('expands generators into positional arguments', () => {
    const dir = tempDir();
    writeTree(dir, largestProblem());
    const tests = loadTests(loadProblem(`${dir}/largest`));
    assert.equal((tests[3]!.args[0] as number[]).length, 100000);
    assert.equal(tests[3]!.hidden, true);
    assert.equal(tests[0]!.compare, 'exact');
  });

  it("lets a user's folder replace a built-in problem and suggests close ids", () => {
    const dir = tempDir();
    writeTree(dir, largestProblem());
    const set = new ProblemSet({ extraDirs: [dir], env: { VETTA_PROBLEMS: '' } });
    assert.equal(set.get('largest').origin, 'user');
    assert.throws(() => set.get('largets'), /no problem "largets"; did you mean largest\?/);
    const viaEnv = new ProblemSet({ env: { VETTA_PROBLEMS: dir } });
    assert.equal(viaEnv.get('largest').dir, `${dir}/largest`);
    const viaConfig = new ProblemSet({ env: {}, configDirs: [`~/${relative(homedir(), dir)}`] });
    assert.equal(viaConfig.get('largest').dir, `${dir}/largest`, 'a config folder may start with ~');
  });

  it('gives a problem listed from the index every field of its front matter, read when first asked for', () => {
    const dir = tempDir();
    const cache = tempDir();
    writeTree(dir, largestProblem());
    const parsed = loadProblem(`${dir}/largest`).meta;
    const env = { XDG_CACHE_HOME: cache };
    new ProblemSet({ extraDirs: [dir], includeBuiltin: false, env }).list();
    const [indexed] = new ProblemSet({ extraDirs: [dir], includeBuiltin: false, env }).list();
    assert.ok(indexed);
    assert.deepEqual({ ...indexed.meta }, { ...parsed });
    assert.deepEqual(indexed.meta.hints, parsed.hints);
  });

  it('keeps going past a broken problem and says which one', () => {
    const dir = tempDir();
    writeTree(dir, { ...largestProblem(), 'broken/problem.md': 'no front matter\n' });
    const set = new ProblemSet({ extraDirs: [dir], includeBuiltin: false });
    assert.deepEqual([...set.problems.keys()], ['largest']);
    assert.match(set.broken[0]!.errors[0]!, /broken\/problem\.md: expected YAML front matter/);
    assert.throws(() => set.get('broken'), ProblemFormatError);
  });
});
