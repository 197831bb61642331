import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { typeMismatch } from '../../src/problems/types.ts';

describe('test values against declared types', () => {
  it('accepts values that fit, and says what is wrong with the others', () => {
    assert.equal(typeMismatch([[1, 2], []], 'int[][]'), null);
    assert.equal(typeMismatch({ $float: '-inf' }, 'float'), null);
    assert.equal(typeMismatch([1, null, 2], 'TreeNode'), null);
    assert.equal(typeMismatch('abc', 'int[]'), 'expected int[], got a string "abc"');
    assert.equal(typeMismatch([1, 2.5], 'int[]'), 'expected int[], got a list whose item 1 is wrong (expected int, got the number 2.5)');
    assert.equal(typeMismatch('ab', 'char'), 'expected char, got a string "ab"');
    assert.equal(typeMismatch(1, 'bool'), 'expected bool, got the integer 1');
  });
});
