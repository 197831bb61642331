import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VettaError } from '../core/errors.js';

/**
 * A new problem folder that validates as written (a small working example: the largest element of
 * a list), so an author edits something that works instead of filling in blanks.
 */
export function writeScaffold(id: string, parent: string): string {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) {
    throw new VettaError('usage', `"${id}" is not a valid id: use lowercase letters, digits and dashes, e.g. "max-element"`);
  }
  const dir = resolve(parent, id);
  if (existsSync(dir)) throw new VettaError('invalid_input', `${dir} already exists; pick another id or --dir`);
  const fn = id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const title = id
    .split('-')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
  mkdirSync(join(dir, 'wrong'), { recursive: true });
  const files: Record<string, string> = {
    'problem.md': `---
id: ${id}
title: ${title}
difficulty: easy
tags: [array]
function:
  params:
    - { name: nums, type: "int[]" }
  returns: int
  python: Solution.${fn}
  javascript: ${fn}
  typescript: ${fn}
hints:
  nudge: ["What do you need to remember as you walk through the list once?"]
  hint: ["Keep the largest value seen so far and compare each element with it."]
  reveal: ["Start with the first element as the best, then replace it whenever an element is larger."]
clarifications:
  - q: Can the list be empty?
    a: No, it always has at least one element.
    keywords: [empty]
follow_ups:
  - What is the time complexity of your solution?
rubric:
  - Handles negative numbers (does not start the maximum at 0).
complexity: { time: "O(n)", space: "O(1)" }
---

Replace this statement with your problem. This example returns the largest element of \`nums\`.

## Examples

- \`nums = [3, 1, 4]\` returns \`4\`.

## Constraints

- \`1 <= nums.length <= 10^5\`
`,
    'tests.json': `${JSON.stringify(
      {
        tests: [
          { name: 'example', args: { nums: [3, 1, 4] }, expected: 4, tags: ['example'] },
          { name: 'single', args: { nums: [7] }, expected: 7, tags: ['single'] },
          { name: 'all negative', args: { nums: [-5, -2, -9] }, expected: -2, tags: ['negative'], hidden: true },
        ],
      },
      null,
      2,
    )}\n`,
    'solution.py': `class Solution:\n    def ${fn}(self, nums: List[int]) -> int:\n        best = nums[0]\n        for x in nums:\n            if x > best:\n                best = x\n        return best\n`,
    'solution.js': `function ${fn}(nums) {\n  let best = nums[0];\n  for (const x of nums) if (x > best) best = x;\n  return best;\n}\n`,
    'starter.py': `class Solution:\n    def ${fn}(self, nums: List[int]) -> int:\n        pass\n`,
    'starter.js': `/**\n * @param {number[]} nums\n * @return {number}\n */\nfunction ${fn}(nums) {\n\n}\n`,
    'starter.ts': `function ${fn}(nums: number[]): number {\n\n}\n`,
    'wrong/starts-at-zero.py': `# Starts the maximum at 0, so a list of negative numbers returns 0.\nclass Solution:\n    def ${fn}(self, nums: List[int]) -> int:\n        best = 0\n        for x in nums:\n            best = max(best, x)\n        return best\n`,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
