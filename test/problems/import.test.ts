import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { sandboxEvaluator } from '../../src/problems/evaluate.ts';
import { importDataset, signatureFromStarter } from '../../src/problems/import.ts';
import { loadProblem, loadTests } from '../../src/problems/load.ts';
import { selectSandbox } from '../../src/sandbox/select.ts';
import { runCli, tempDir } from '../helpers.ts';

const twoSum = {
  task_id: 'two-sum',
  difficulty: 'Easy',
  tags: ['Array', 'Hash Table'],
  problem_description: 'Return the indices of the two numbers that add up to target.',
  starter_code: 'class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        ',
  completion:
    'class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        d = {}\n        for i, x in enumerate(nums):\n            if target - x in d:\n                return [d[target - x], i]\n            d[x] = i\n',
  entry_point: 'Solution().twoSum',
  input_output: [
    { input: 'nums = [2,7,11,15], target = 9', output: '[0, 1]' },
    { input: 'nums = [3,2,4], target = 6', output: '[1, 2]' },
    { input: 'nums = [-3,4,3,90], target = 0', output: '[0, 2]' },
    { input: 'nums = [3,3], target = 6', output: '[0, 1]' },
  ],
};
const reverseList = {
  task_id: 'reverse-linked-list',
  difficulty: 'Easy',
  tags: ['Linked List'],
  problem_description: 'Reverse a singly linked list.',
  starter_code:
    '# Definition for singly-linked list.\n# class ListNode:\n#     def __init__(self, val=0, next=None):\n#         self.val = val\nclass Solution:\n    def reverseList(self, head: Optional[ListNode]) -> Optional[ListNode]:\n        ',
  completion:
    'class Solution:\n    def reverseList(self, head):\n        prev = None\n        while head:\n            head.next, prev, head = prev, head, head.next\n        return prev\n',
  input_output: [
    { input: 'head = list_node([1,2,3])', output: 'list_node([3, 2, 1])' },
    { input: 'head = list_node([])', output: 'None' },
  ],
};
const design = {
  task_id: 'lru-cache',
  difficulty: 'Medium',
  tags: ['Design'],
  problem_description: 'x',
  starter_code: 'class LRUCache:\n    def __init__(self, capacity: int):\n        ',
  completion: 'x',
  input_output: [{ input: 'x = 1', output: '1' }],
};
const inPlace = { ...twoSum, task_id: 'rotate', starter_code: 'class Solution:\n    def rotate(self, nums: List[int], k: int) -> None:\n        ' };

function dataset(records: unknown[], extra = ''): string {
  return `${records.map((r) => JSON.stringify(r)).join('\n')}\n${extra}`;
}

describe('problems import', () => {
  it('converts records into problem folders that validate, and says why others were skipped', async () => {
    const dir = tempDir();
    const file = join(dir, 'data.jsonl.gz');
    writeFileSync(file, gzipSync(dataset([twoSum, reverseList, design, inPlace])));
    const out = join(dir, 'out');
    const outcomes = await importDataset(file, { outDir: out });
    assert.deepEqual(
      outcomes.map((o) => [o.id, o.ok, o.reason]),
      [
        ['two-sum', true, undefined],
        ['reverse-linked-list', true, undefined],
        ['lru-cache', false, 'design problem (a class other than Solution)'],
        ['rotate', false, 'modifies its input in place (returns None)'],
      ],
    );
    const tests = JSON.parse(readFileSync(join(out, 'two-sum', 'tests.json'), 'utf8')).tests;
    assert.equal(tests.length, 4);
    assert.deepEqual(tests[2].tags, ['example', 'negative']);
    assert.equal(tests[3].hidden, true);
    assert.match(readFileSync(join(out, 'two-sum', 'starter.ts'), 'utf8'), /function twoSum\(nums: number\[\], target: number\): number\[\]/);
    const { code, stdout } = await runCli(['problems', 'validate', out]);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /all 2 problems valid/);
  });

  it('reports lines that are not JSON, and keeps existing folders unless told', async () => {
    const dir = tempDir();
    const file = join(dir, 'data.jsonl');
    writeFileSync(file, dataset([twoSum], '{broken\n'));
    const first = await runCli(['problems', 'import', file, '--out', join(dir, 'out')]);
    assert.equal(first.code, 0);
    assert.match(first.stdout, /skipped line 2: not valid JSON/);
    assert.match(first.stdout, /converted 1 of 2 problems/);
    const again = await runCli(['problems', 'import', file, '--out', join(dir, 'out'), '--json']);
    const report = JSON.parse(again.stdout);
    assert.equal(report.converted, 0);
    assert.match(report.records[0].reason, /already exists \(use --overwrite\)/);
    const forced = JSON.parse((await runCli(['problems', 'import', file, '--out', join(dir, 'out'), '--json', '--overwrite'])).stdout);
    assert.equal(forced.converted, 1);
  });

  it('refuses a missing file or a broken gzip with one line', async () => {
    const dir = tempDir();
    const missing = await runCli(['problems', 'import', join(dir, 'nope.jsonl')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.jsonl does not exist\n$/);
    writeFileSync(join(dir, 'bad.jsonl.gz'), 'not gzip');
    const bad = await runCli(['problems', 'import', join(dir, 'bad.jsonl.gz'), '--out', join(dir, 'o')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.jsonl\.gz is not a valid gzip file\n$/);
    assert.ok(!existsSync(join(dir, 'o')));
  });

  it('reads LeetCode signatures into problem types', () => {
    const spec = signatureFromStarter(
      'class Solution:\n    def f(self, grid: List[List[str]], heads: List[Optional[ListNode]], root: Optional[TreeNode], x: float) -> List[List[int]]:\n        ',
    );
    assert.deepEqual(
      spec.params.map((p) => p.type),
      ['string[][]', 'ListNode[]', 'TreeNode', 'float'],
    );
    assert.equal(spec.returns, 'int[][]');
    assert.throws(() => signatureFromStarter('class Solution:\n    def f(self, n: "Node") -> int:\n'), /unsupported type Node/);
  });
  it('keeps the good tests of a record with broken ones, and skips a record left with too few', async () => {
    const dir = tempDir();
    const file = join(dir, 'data.jsonl');
    const errorText = { input: 'nums = [1], target = 5', output: 'Error: list index out of range' };
    const partly = {
      ...twoSum,
      input_output: [
        ...twoSum.input_output,
        errorText,
        { input: 'nums = [1,2], target = 3', output: 'Execution timed out' },
        { input: 'nums = "12", target = 3', output: '[0, 1]' },
      ],
    };
    const mostly = { ...twoSum, task_id: 'two-sum-broken', input_output: [twoSum.input_output[0], errorText, errorText, errorText] };
    writeFileSync(file, dataset([partly, mostly]));
    const outcomes = await importDataset(file, { outDir: join(dir, 'out') });
    assert.equal(outcomes[0]!.ok, true);
    assert.deepEqual(outcomes[0]!.dropped, [
      { test: 5, reason: 'its expected output is error text (Error: list index out of range)' },
      { test: 6, reason: 'its expected output is error text (Execution timed out)' },
      { test: 7, reason: 'nums: expected int[], got a string "12"' },
    ]);
    assert.equal(JSON.parse(readFileSync(join(dir, 'out', 'two-sum', 'tests.json'), 'utf8')).tests.length, 4);
    assert.equal(outcomes[1]!.ok, false);
    assert.equal(outcomes[1]!.reason, 'only 1 of 4 tests are usable: its expected output is error text (Error: list index out of range)');
  });

  it('reads unquoted and empty string results, JSON booleans, infinities, and the older record shape with positional inputs', async () => {
    const dir = tempDir();
    const file = join(dir, 'data.jsonl');
    const reverse = {
      task_id: 'reverse-string',
      meta: {
        difficulty: 'Easy',
        question_title: 'Reverse s.\n\nExample 1:\n\nInput: s = "ab"\nOutput: "ba"\n\nConstraints:\n\n0 <= s.length <= 105\n',
        lang_code: 'class Solution:\n    def reverse(self, s: str) -> str:',
      },
      completion: 'class Solution:\n    def reverse(self, s: str) -> str:\n        return s[::-1]\n',
      input_output: [
        { input: 's = "ab"', output: 'ba' },
        { input: 's = ""', output: '' },
        { input: '"abc"', output: '"cba"' },
      ],
    };
    const smallest = {
      ...twoSum,
      task_id: 'smallest',
      starter_code: 'class Solution:\n    def smallest(self, nums: List[float]) -> float:\n        ',
      completion: 'class Solution:\n    def smallest(self, nums: List[float]) -> float:\n        return min(nums, default=inf)\n',
      input_output: [
        { input: 'nums = []', output: 'inf' },
        { input: 'nums = [2.5]', output: '2.5' },
      ],
    };
    const even = {
      ...twoSum,
      task_id: 'is-even',
      starter_code: 'class Solution:\n    def isEven(self, n: int) -> bool:\n        ',
      completion: 'class Solution:\n    def isEven(self, n: int) -> bool:\n        return n % 2 == 0\n',
      input_output: [
        { input: 'n = 2', output: 'true' },
        { input: 'n = 3', output: 'false' },
      ],
    };
    writeFileSync(file, dataset([reverse, smallest, even]));
    const out = join(dir, 'out');
    const outcomes = await importDataset(file, { outDir: out });
    assert.deepEqual(
      outcomes.map((o) => o.reason ?? 'ok'),
      ['ok', 'ok', 'ok'],
    );
    const testsOf = (id: string) =>
      JSON.parse(readFileSync(join(out, id, 'tests.json'), 'utf8')).tests.map((t: { args: unknown; expected: unknown }) => [t.args, t.expected]);
    assert.deepEqual(testsOf('reverse-string'), [
      [{ s: 'ab' }, 'ba'],
      [{ s: '' }, ''],
      [{ s: 'abc' }, 'cba'],
    ]);
    assert.deepEqual(testsOf('smallest')[0], [{ nums: [] }, { $float: 'inf' }]);
    assert.deepEqual(testsOf('is-even'), [
      [{ n: 2 }, true],
      [{ n: 3 }, false],
    ]);
    const { code, stdout } = await runCli(['problems', 'validate', out]);
    assert.equal(code, 0, stdout);
  });

  it('evaluates tests written as Python expressions in the sandbox, and stores their values', async () => {
    const dir = tempDir();
    const file = join(dir, 'data.jsonl');
    const count = {
      ...twoSum,
      task_id: 'count-pairs',
      starter_code: 'class Solution:\n    def countPairs(self, pairs: List[List[int]], limit: int) -> int:\n        ',
      completion:
        'class Solution:\n    def countPairs(self, pairs: List[List[int]], limit: int) -> int:\n        return sum(1 for a, b in pairs if a + b < limit)\n',
      input_output: [
        { input: 'pairs = [[1, 1]], limit = 3', output: '1' },
        { input: 'pairs = [[i % 3, 1] for i in range(50000)], limit = 1000000000 - 999999997', output: '33334' },
        { input: 'pairs = [[0, 0]], limit = 10 ** 9', output: '1' },
        { input: 'pairs = [[1, 1]] * (10 ** 9), limit = 1', output: '0' },
        { input: 'pairs = __import__("os").listdir("/root"), limit = 1', output: '0' },
      ],
    };
    writeFileSync(file, dataset([count]));
    const out = join(dir, 'out');
    const outcomes = await importDataset(file, { outDir: out, evaluate: sandboxEvaluator(selectSandbox('auto')) });
    assert.equal(outcomes[0]!.ok, true, outcomes[0]!.reason);
    const problem = loadProblem(join(out, 'count-pairs'));
    const tests = loadTests(problem);
    assert.equal(tests.length, 3);
    assert.equal((tests[1]!.args[0] as unknown[]).length, 50000);
    assert.deepEqual((tests[1]!.args[0] as unknown[])[4], [1, 1]);
    assert.equal(tests[1]!.args[1], 3);
    const reasons = outcomes[0]!.dropped!.map((d) => d.reason);
    assert.match(reasons[0]!, /^a value does not evaluate \((MemoryError|over the memory limit|over the time limit)/);
    assert.match(reasons[1]!, /^a value does not evaluate \((PermissionError|FileNotFoundError)/);
  });

  it('writes a hint ladder, the expected complexity and a spoken summary into problem.md', async () => {
    const dir = tempDir();
    const file = join(dir, 'data.jsonl');
    const ranges = {
      ...twoSum,
      task_id: 'count-ranges',
      tags: ['Array', 'Sorting'],
      problem_description:
        'You are given an array nums and two integers a and b (a < b), where:\n\nnums[i] is a value on the line.\nEvery value is counted once.\n\nReturn how many values lie between a and b.\n\u00a0\nExample 1:\n\nInput: nums = [1,5,9], a = 2, b = 9\nOutput: 1\n\n\u00a0\nConstraints:\n\n1 <= nums.length <= 105\n-1000 <= nums[i] <= 1000\n',
      starter_code: 'class Solution:\n    def countRanges(self, nums: List[int], a: int, b: int) -> int:\n        ',
      completion:
        'class Solution:\n    def countRanges(self, nums: List[int], a: int, b: int) -> int:\n        nums.sort()\n        return bisect_left(nums, b) - bisect_right(nums, a)\n',
      input_output: [{ input: 'nums = [1,5,9], a = 2, b = 9', output: '1' }],
    };
    writeFileSync(file, dataset([ranges]));
    await importDataset(file, { outDir: join(dir, 'out') });
    const problem = loadProblem(join(dir, 'out', 'count-ranges'));
    assert.deepEqual(problem.meta.complexity, { time: 'O(n log n)', space: 'O(1)' });
    assert.equal(problem.meta.hints.nudge[0], 'nums.length is up to 10^5: what would an O(n log n) approach look like?');
    assert.equal(problem.meta.hints.nudge[1], 'Would the problem get easier if the input were sorted?');
    assert.match(problem.meta.hints.hint[0]!, /^Sort first, then use a binary search/);
    assert.match(problem.meta.hints.reveal[0]!, /O\(n log n\) time and O\(1\) space\.$/);
    const intro = problem.statement.split(/\n\s*\n/)[0];
    assert.equal(
      intro,
      'You are given an array nums and two integers a and b (a < b), where: nums[i] is a value on the line; Every value is counted once. Return how many values lie between a and b.',
    );
    assert.match(problem.statement, /## Constraints\n\n- `1 <= nums.length <= 105`\n- `-1000 <= nums\[i\] <= 1000`/);
  });
});
