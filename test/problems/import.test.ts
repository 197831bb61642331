import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { importDataset, signatureFromStarter } from '../../src/problems/import.ts';
import { runCli, tempDir } from '../helpers.ts';

const twoSum = {
  task_id: 'two-sum',
  difficulty: 'Easy',
  tags: ['Array', 'Hash Table'],
  problem_description: 'Return the indices of the two numbers that add up to target.',
  starter_code: 'class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        ',
  completion: 'class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        d = {}\n        for i, x in enumerate(nums):\n            if target - x in d:\n                return [d[target - x], i]\n            d[x] = i\n',
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
  starter_code: '# Definition for singly-linked list.\n# class ListNode:\n#     def __init__(self, val=0, next=None):\n#         self.val = val\nclass Solution:\n    def reverseList(self, head: Optional[ListNode]) -> Optional[ListNode]:\n        ',
  completion: 'class Solution:\n    def reverseList(self, head):\n        prev = None\n        while head:\n            head.next, prev, head = prev, head, head.next\n        return prev\n',
  input_output: [
    { input: 'head = list_node([1,2,3])', output: 'list_node([3, 2, 1])' },
    { input: 'head = list_node([])', output: 'None' },
  ],
};
const design = { task_id: 'lru-cache', difficulty: 'Medium', tags: ['Design'], problem_description: 'x', starter_code: 'class LRUCache:\n    def __init__(self, capacity: int):\n        ', completion: 'x', input_output: [{ input: 'x = 1', output: '1' }] };
const inPlace = { ...twoSum, task_id: 'rotate', starter_code: 'class Solution:\n    def rotate(self, nums: List[int], k: int) -> None:\n        ' };

function dataset(records: unknown[], extra = ''): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n' + extra;
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
    const spec = signatureFromStarter('class Solution:\n    def f(self, grid: List[List[str]], heads: List[Optional[ListNode]], root: Optional[TreeNode], x: float) -> List[List[int]]:\n        ');
    assert.deepEqual(spec.params.map((p) => p.type), ['string[][]', 'ListNode[]', 'TreeNode', 'float']);
    assert.equal(spec.returns, 'int[][]');
    assert.throws(() => signatureFromStarter('class Solution:\n    def f(self, n: "Node") -> int:\n'), /unsupported type Node/);
  });
});
