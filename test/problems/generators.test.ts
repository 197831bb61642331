import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandValue, GeneratorError, mulberry32 } from '../../src/problems/generators.ts';

describe('generators', () => {
  it('produces fixed values for a seed, forever', () => {
    // Expected values in shipped tests.json files depend on these exact numbers.
    assert.deepEqual(expandValue({ $gen: 'ints', count: 5, min: 0, max: 9, seed: 3 }), [7, 0, 4, 0, 7]);
    assert.equal(Math.floor(mulberry32(1)() * 1e9), 627073940);
    assert.equal(expandValue({ $gen: 'string', length: 6, alphabet: 'ab', seed: 7 }), 'aabbba');
  });

  it('builds ranges, repeats, grids, shuffles, concatenations and zips', () => {
    assert.deepEqual(expandValue({ $gen: 'range', start: 1, stop: 10, step: 3 }), [1, 4, 7]);
    assert.deepEqual(expandValue({ $gen: 'repeat', value: [1], count: 2 }), [[1], [1]]);
    assert.equal(expandValue({ $gen: 'repeat', value: 'ab', count: 3, as: 'string' }), 'ababab');
    assert.deepEqual(expandValue({ $gen: 'repeat', value: [400, 1], count: 2, as: 'flat' }), [400, 1, 400, 1]);
    const grid = expandValue({ $gen: 'grid', rows: 2, cols: 3, alphabet: '01' }) as string[][];
    assert.equal(grid.length, 2);
    assert.ok(grid.every((row) => row.length === 3 && row.every((c) => c === '0' || c === '1')));
    const numbers = expandValue({ $gen: 'grid', rows: 2, cols: 3, alphabet: '01', as: 'int' }) as number[][];
    assert.deepEqual(
      numbers,
      grid.map((row) => row.map(Number)),
      'the same cells, as numbers',
    );
    assert.throws(() => expandValue({ $gen: 'grid', rows: 1, cols: 1, alphabet: 'ab', as: 'int' }), /expected digits/);
    const shuffled = expandValue({ $gen: 'shuffle', of: { $gen: 'range', stop: 50 }, seed: 2 }) as number[];
    assert.deepEqual(
      [...shuffled].sort((a, b) => a - b),
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.notDeepEqual(
      shuffled,
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.deepEqual(expandValue({ $gen: 'concat', parts: [[1], { $gen: 'range', stop: 2 }] }), [1, 0, 1]);
    assert.equal(expandValue({ $gen: 'concat', parts: ['a', { $gen: 'repeat', value: 'b', count: 2, as: 'string' }] }), 'abb');
    assert.deepEqual(
      expandValue({
        $gen: 'zip',
        lists: [
          [1, 2, 3],
          ['a', 'b'],
        ],
      }),
      [
        [1, 'a'],
        [2, 'b'],
      ],
    );
    assert.deepEqual(expandValue({ x: [{ $gen: 'range', stop: 2 }] }), { x: [[0, 1]] });
  });

  it('rejects bad specs with the path of the field', () => {
    assert.throws(
      () => expandValue({ $gen: 'ints', count: 5, min: 3, max: 1 }, 'args.nums'),
      (e: unknown) => e instanceof GeneratorError && e.message === 'args.nums.max: must be >= min',
    );
    assert.throws(() => expandValue({ $gen: 'range', stop: 1e9 }), /more than 2000000 elements/);
    assert.throws(() => expandValue({ $gen: 'concat', parts: ['a', [1]] }), /all lists or all strings/);
  });
});
