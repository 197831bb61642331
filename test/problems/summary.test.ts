import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarise } from '../../src/problems/summary.ts';

describe('summary sentence', () => {
  it('groups failures by tag so the interviewer can say what breaks', () => {
    const s = summarise({
      verdict: 'wrong_answer',
      passed: 18,
      total: 20,
      failures: [
        { verdict: 'wrong_answer', tags: ['empty', 'example'] },
        { verdict: 'wrong_answer', tags: ['empty'] },
      ],
    });
    assert.equal(s, 'passes 18 of 20 tests; the failing cases involve empty input (2 wrong answers)');
  });

  it('names mixed failure kinds and several tags', () => {
    const s = summarise({
      verdict: 'time_limit',
      passed: 1,
      total: 4,
      failures: [
        { verdict: 'time_limit', tags: ['large'] },
        { verdict: 'wrong_answer', tags: ['duplicates'] },
        { verdict: 'runtime_error', tags: ['negative'] },
      ],
    });
    assert.equal(s, 'passes 1 of 4 tests; the failing cases involve duplicates, large inputs and negative numbers (1 timeout, 1 wrong answer and 1 crash)');
  });

  it('says when everything passes or nothing compiles', () => {
    assert.equal(summarise({ verdict: 'accepted', passed: 20, total: 20, failures: [] }), 'passes all 20 tests');
    assert.equal(
      summarise({ verdict: 'compile_error', passed: 0, total: 20, failures: [], compileError: { line: 3, message: "SyntaxError: expected ':'" } }),
      "does not compile (line 3): SyntaxError: expected ':'",
    );
  });
});
