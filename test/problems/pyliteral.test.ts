import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePyArgs, parsePyValue, PyLiteralError } from '../../src/problems/pyliteral.ts';

describe('Python literals from datasets', () => {
  it('parses argument lists with nested values', () => {
    assert.deepEqual(parsePyArgs('nums = [2,7,11,15], target = 9'), { nums: [2, 7, 11, 15], target: 9 });
    assert.deepEqual(parsePyArgs('grid = [["1","0"],["0","1"]], k = -2.5e1'), {
      grid: [
        ['1', '0'],
        ['0', '1'],
      ],
      k: -25,
    });
    assert.deepEqual(parsePyArgs('root = tree_node([3,9,20,None,None,15,7]), ok = True'), { root: [3, 9, 20, null, null, 15, 7], ok: true });
    assert.deepEqual(parsePyArgs(''), {});
  });

  it('parses strings with either quote and escapes, tuples and dicts', () => {
    assert.equal(parsePyValue(`"it's"`), "it's");
    assert.equal(parsePyValue(`'a\\'b\\n'`), "a'b\n");
    assert.deepEqual(parsePyValue('(1, 2)'), [1, 2]);
    assert.deepEqual(parsePyValue("{'a': [1], 'b': None}"), { a: [1], b: null });
    assert.deepEqual(parsePyValue('list_node([])'), []);
  });

  it('rejects what it cannot read, saying where', () => {
    assert.throws(() => parsePyValue('[1, 2'), PyLiteralError);
    assert.throws(() => parsePyValue('Node(1)'), /unsupported value "Node"/);
    assert.throws(() => parsePyArgs('a = 1 b = 2'), /expected ","/);
  });
});
