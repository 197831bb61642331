import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importStatement } from '../../src/problems/statement.ts';

describe('an imported statement', () => {
  it('opens with a spoken summary that reads a list out with its sentence', () => {
    const { summary, markdown } = importStatement(
      'Return the ranges [a, b] (a < b) covering nums, where:\n\n"a->b" if a != b\n"a" if a == b\n\u00a0\nExample 1:\n\nInput: nums = [0,1]\nOutput: ["0->1"]\n\u00a0\nConstraints:\n\n0 <= nums.length <= 20\n',
    );
    assert.equal(summary, 'Return the ranges [a, b] (a < b) covering nums, where: "a->b" if a != b; "a" if a == b.');
    assert.ok(markdown.startsWith(`${summary}\n\n## Examples`), markdown);
    assert.match(markdown, /## Constraints\n\n- `0 <= nums.length <= 20`/);
  });

  it('keeps whole sentences in a long summary and the rest of the text after it, drawings included', () => {
    const long = 'A sentence that goes on for a while about the problem. '.repeat(8).trim();
    const { summary, markdown } = importStatement(
      `${long}\n\nThe grid looks like this:\n\nP   A   H\nA P L S\n\nReturn the string.\n\nExample 1:\n\nInput: s = "PAH"\nOutput: "PAH"\n`,
    );
    assert.equal(summary, long);
    assert.match(markdown, /The grid looks like this:\n\n```text\nP {3}A {3}H\nA P L S\n```\n\nReturn the string\./);
  });
});
