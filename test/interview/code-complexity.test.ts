import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateCodeTime } from '../../src/interview/code-complexity.ts';

const py = (code: string) => estimateCodeTime(code, 'python')?.label;
const js = (code: string) => estimateCodeTime(code, 'javascript')?.label;

test('Python: loops nest by indentation, comprehensions count, halving loops are a log, sorts and branching recursion show', () => {
  assert.equal(py('def f(a):\n    best = 0\n    for x in a:\n        best = max(best, x)\n    return best\n'), 'O(n)');
  assert.equal(py('def f(a):\n    for i in range(len(a)):\n        for j in range(i):\n            pass\n    for x in a:\n        pass\n'), 'O(n^2)');
  assert.equal(py('def f(a):\n    return sum(1 for x in a for y in a if x == y)\n'), 'O(n^2)');
  assert.equal(
    py(
      'def f(a, t):\n    lo, hi = 0, len(a) - 1\n    while lo <= hi:\n        mid = (lo + hi) // 2\n        if a[mid] < t:\n            lo = mid + 1\n        else:\n            hi = mid - 1\n    return lo\n',
    ),
    'O(log n)',
  );
  assert.equal(py('def f(a):\n    a.sort()\n    return a[0]\n'), 'O(n log n)');
  assert.equal(py('def rob(i, a):\n    if i >= len(a):\n        return 0\n    return max(rob(i + 1, a), a[i] + rob(i + 2, a))\n'), 'O(2^n)');
  assert.equal(py('from functools import cache\n@cache\ndef rob(i):\n    return max(rob(i + 1), rob(i + 2))\n'), 'O(1)');
});

test('JavaScript: loops nest by braces; array callbacks and includes inside a loop are loops too', () => {
  assert.equal(js('function f(a) { let b = 0; for (const x of a) { b += x; } return b; }'), 'O(n)');
  assert.equal(js('function f(a) { for (let i = 0; i < a.length; i++) { for (let j = 0; j < i; j++) { } } }'), 'O(n^2)');
  assert.equal(js('function f(a) { return a.filter((x) => a.includes(x + 1)); }'), 'O(n^2)');
  assert.equal(js('function f(a) { a.sort((x, y) => x - y); return a[0]; }'), 'O(n log n)');
  assert.equal(js('function f(a, x) { return a.includes(x); }'), 'O(n)');
});
