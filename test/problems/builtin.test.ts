import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadTests, ProblemSet } from '../../src/problems/load.ts';
import { MIN_TESTS, validateProblem } from '../../src/problems/validate.ts';
import { selectSandbox } from '../../src/sandbox/select.ts';

const set = new ProblemSet({ env: {} });
const problems = set.list();

describe('the built-in problem set', () => {
  it('loads without errors and has at least 20 problems across difficulties and topics', () => {
    assert.deepEqual(set.broken, []);
    assert.ok(problems.length >= 20, `${problems.length} problems`);
    const difficulties = new Set(problems.map((p) => p.meta.difficulty));
    assert.deepEqual([...difficulties].sort(), ['easy', 'hard', 'medium']);
    const tags = new Set(problems.flatMap((p) => p.meta.tags));
    for (const topic of [
      'hashing',
      'two-pointers',
      'sliding-window',
      'stack',
      'binary-search',
      'linked-list',
      'tree',
      'graph',
      'heap',
      'intervals',
      'dynamic-programming',
      'strings',
      'design',
    ]) {
      assert.ok(tags.has(topic), `no problem tagged ${topic}`);
    }
  });

  for (const p of problems) {
    it(`${p.id}: complete, and validated for real`, { timeout: 120_000 }, async () => {
      const tests = loadTests(p);
      assert.ok(tests.length >= MIN_TESTS, `${tests.length} tests`);
      assert.ok(tests.some((t) => !t.hidden) && tests.some((t) => t.hidden), 'visible and hidden tests');
      assert.ok(tests.filter((t) => t.tags.some((tag) => tag !== 'example')).length >= 3, 'tagged edge cases');
      for (const f of ['solution.py', 'solution.js', 'starter.py', 'starter.js', 'starter.ts']) assert.ok(existsSync(join(p.dir, f)), `${f} exists`);
      assert.ok(readdirSync(join(p.dir, 'wrong')).length >= 1, 'a wrong solution is kept');
      for (const level of ['nudge', 'hint', 'reveal'] as const) assert.ok(p.meta.hints[level].length >= 1, `hints.${level}`);
      assert.ok(p.meta.clarifications.length >= 1 && p.meta.follow_ups.length >= 1 && p.meta.rubric.length >= 1);
      const v = await validateProblem(p, selectSandbox('auto'));
      assert.ok(
        v.ok,
        v.checks
          .filter((c) => !c.ok)
          .map((c) => `${c.subject}: ${c.detail}`)
          .join('\n'),
      );
      assert.deepEqual(v.warnings, []);
    });
  }
});
