import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBound, parseConstraints, parseNumber } from '../../src/problems/constraints.js';
import { ProblemSet } from '../../src/problems/load.js';

test('built-in statements: sizes and values bounded as written', () => {
  const facts = parseConstraints('Rob houses.\n\n## Constraints\n\n- `1 <= nums.length <= 10^5`\n- `0 <= nums[i] <= 400`\n');
  assert.deepEqual(facts.bounds, [
    { subject: 'nums.length', min: 1, max: 100000, size: true },
    { subject: 'nums[i]', min: 0, max: 400, size: false },
  ]);
  assert.equal(facts.maxInputSize, 100000);
  assert.equal(facts.distinct, null);
});

test('LeetCode-style text: a lost superscript at the end of a bound is read as a power, words as properties', () => {
  const facts = parseConstraints(
    'Find it.\n\nConstraints:\n\n1 <= nums.length <= 2 * 104\n-105 <= nums[i] <= 105\nnums is sorted in non-decreasing order.\ns consists of lowercase English letters.\nAll the numbers of nums are unique.\nn == nums.length\nThere is exactly one valid answer.\n\nFollow up: Can you do it in O(n)?',
  );
  assert.deepEqual(
    facts.bounds.map((b) => [b.subject, b.min, b.max]),
    [
      ['nums.length', 1, 20000],
      ['nums[i]', -100000, 100000],
    ],
  );
  assert.equal(facts.sorted, 'non-decreasing');
  assert.equal(facts.characters, 'lowercase English letters');
  assert.equal(facts.distinct, true);
  assert.equal(facts.uniqueAnswer, true);
  assert.ok(!facts.lines.some((l) => /follow/i.test(l)));
});

test('several chains on a line, bounds in words, and a trailing remark', () => {
  const islands = parseConstraints('## Constraints\n- `1 <= rows <= 300`, `1 <= cols <= 2000`, and `rows * cols <= 150000`\n');
  assert.deepEqual(
    islands.bounds.map((b) => [b.subject, b.max]),
    [
      ['rows', 300],
      ['cols', 2000],
      ['rows * cols', 150000],
    ],
  );
  const list = parseConstraints('## Constraints\n- The list has between 1 and `10^5` nodes; `1 <= n <= length`.\n');
  assert.deepEqual(list.bounds[0], { subject: 'number of nodes', min: 1, max: 100000, size: true });
  const subsets = parseConstraints('## Constraints\n- `-10 <= nums[i] <= 10`, all distinct.\n');
  assert.deepEqual(
    subsets.bounds.map((b) => [b.subject, b.min, b.max]),
    [['nums[i]', -10, 10]],
  );
  assert.equal(subsets.distinct, true);
});

test('numbers and how they are said back', () => {
  assert.equal(parseNumber('3 * 10^4'), 30000);
  assert.equal(parseNumber('-10^9'), -1e9);
  assert.equal(parseNumber('1e5'), 100000);
  assert.equal(parseNumber('104'), 104);
  assert.equal(parseNumber('104', true), 10000);
  assert.equal(formatBound(100000), '10^5');
  assert.equal(formatBound(20000), '2 * 10^4');
  assert.equal(formatBound(5000), '5000');
});

test('every built-in problem states a largest input size', () => {
  for (const problem of new ProblemSet({ env: {} }).list()) {
    if (problem.meta.design) continue;
    assert.ok(parseConstraints(problem.statement).maxInputSize !== null, problem.id);
  }
});
