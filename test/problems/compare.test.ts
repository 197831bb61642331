import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matches } from '../../src/problems/compare.ts';

describe('comparators', () => {
  it('exact: order matters, 1 equals 1.0, objects ignore key order', () => {
    assert.ok(matches([0, 1], [0, 1], 'exact', 0));
    assert.ok(!matches([1, 0], [0, 1], 'exact', 0));
    assert.ok(matches(1.0, 1, 'exact', 0));
    assert.ok(matches({ a: 1, b: 2 }, { b: 2, a: 1 }, 'exact', 0));
    assert.ok(!matches(null, [], 'exact', 0));
  });

  it('unordered: any order of the top-level items, but not of nested lists', () => {
    assert.ok(matches([1, 0], [0, 1], 'unordered', 0));
    assert.ok(!matches([1, 1, 0], [0, 1, 0], 'unordered', 0));
    assert.ok(!matches([[2, 1]], [[1, 2]], 'unordered', 0));
  });

  it('unordered-deep: order is ignored at every level', () => {
    assert.ok(matches([['tan', 'nat'], ['bat']], [['bat'], ['nat', 'tan']], 'unordered-deep', 0));
    assert.ok(!matches([['tan'], ['bat']], [['bat'], ['nat', 'tan']], 'unordered-deep', 0));
  });

  it('float: absolute or relative tolerance, element by element', () => {
    assert.ok(matches(2.500001, 2.5, 'float', 1e-5));
    assert.ok(!matches(2.51, 2.5, 'float', 1e-5));
    assert.ok(matches([null, 1.0000001, 2.5], [null, 1, 2.5], 'float', 1e-5));
    assert.ok(matches(1e12 + 1, 1e12, 'float', 1e-5));
  });
});
