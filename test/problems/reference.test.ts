import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConstraints } from '../../src/problems/constraints.ts';
import { analyseReference, deriveHints, estimateComplexity, inferTags, plausible } from '../../src/problems/reference.ts';

const method = (body: string) => `class Solution:\n    def f(self, nums: List[int]) -> int:\n${body.replace(/^/gm, '        ')}\n`;
const complexityOf = (source: string) => estimateComplexity(analyseReference(source));

describe('what a reference solution shows', () => {
  it('estimates time from loop nesting, sorting, halving loops, heaps and memoised recursion', () => {
    assert.deepEqual(complexityOf(method('return sum(nums)')), { time: 'O(n)', space: 'O(1)' });
    assert.deepEqual(
      complexityOf(method('best = 0\nfor i in range(len(nums)):\n    for j in range(i):\n        best = max(best, nums[i] - nums[j])\nreturn best')),
      { time: 'O(n^2)', space: 'O(1)' },
    );
    assert.deepEqual(complexityOf(method('nums.sort()\nseen = set()\nfor x in nums:\n    seen.add(x)\nreturn len(seen)')), {
      time: 'O(n log n)',
      space: 'O(n)',
    });
    assert.deepEqual(
      complexityOf(
        method(
          'l, r = 0, len(nums) - 1\nwhile l < r:\n    mid = (l + r) >> 1\n    if nums[mid] > nums[r]:\n        l = mid + 1\n    else:\n        r = mid\nreturn nums[l]',
        ),
      ).time,
      'O(log n)',
    );
    assert.deepEqual(complexityOf(method('h = []\nfor x in nums:\n    heappush(h, x)\n    if len(h) > 3:\n        heappop(h)\nreturn h[0]')), {
      time: 'O(n log n)',
      space: 'O(n)',
    });
    assert.deepEqual(
      complexityOf(
        method('@cache\ndef dfs(i, j):\n    if i >= j:\n        return 0\n    return max(dfs(i + 1, j), dfs(i, j - 1)) + 1\nreturn dfs(0, len(nums) - 1)'),
      ),
      { time: 'O(n^2)', space: 'O(n^2)' },
    );
    assert.deepEqual(
      complexityOf(
        method(
          'ans = []\ndef dfs(i, path):\n    if i == len(nums):\n        ans.append(path[:])\n        return\n    for x in (0, 1):\n        path.append(x)\n        dfs(i + 1, path)\n        path.pop()\ndfs(0, [])\nreturn len(ans)',
        ),
      ).time,
      'O(2^n)',
    );
  });

  it('suggests tags when a record has none', () => {
    const shape = analyseReference(method('f = [0] * (len(nums) + 1)\nfor i, x in enumerate(nums):\n    f[i + 1] = max(f[i], x)\nreturn f[-1]'));
    assert.deepEqual(inferTags(shape, ['int[]']), ['dynamic-programming', 'array']);
    assert.deepEqual(inferTags(analyseReference(method('return 1')), ['int']), ['math']);
  });

  it('derives a nudge from the bounds and tags, a hint from the structure, and a reveal with the complexity', () => {
    const shape = analyseReference(method('d = {}\nfor i, x in enumerate(nums):\n    if x in d:\n        return i\n    d[x] = i\nreturn -1'));
    const facts = parseConstraints('## Constraints\n\n- `2 <= nums.length <= 10^4`\n');
    const hints = deriveHints(shape, estimateComplexity(shape), ['hash-table'], facts);
    assert.deepEqual(hints, {
      nudge: ['nums.length is up to 10^4: what would an O(n) approach look like?', 'What would you want to look up in constant time as you go?'],
      hint: ['Try a single pass over the input, keeping a hash map.'],
      reveal: ['The reference solution uses a single pass over the input with a hash map: O(n) time and O(n) space.'],
    });
  });

  it('does not believe an estimate the bounds rule out, and nudges toward what they allow', () => {
    const shape = analyseReference(
      method('ans = 0\nfor i in range(len(nums)):\n    for j in range(26):\n        for k in range(26):\n            ans += 1\nreturn ans'),
    );
    const complexity = estimateComplexity(shape);
    assert.equal(complexity.time, 'O(n^3)');
    const facts = parseConstraints('## Constraints\n\n- `1 <= nums.length <= 10^5`\n');
    assert.equal(plausible(complexity, facts), false);
    const hints = deriveHints(shape, complexity, [], facts);
    assert.equal(hints.nudge[0], 'nums.length is up to 10^5: what would an O(n log n) approach look like?');
    assert.equal(hints.reveal[0], 'The reference solution uses 3 nested loops.');
    assert.equal(plausible(complexity, parseConstraints('## Constraints\n\n- `1 <= nums.length <= 200`\n')), true);
  });
});
