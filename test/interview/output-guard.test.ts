import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guardTurn } from '../../src/interview/output-guard.ts';

/** A model that rambles, streamed a few characters at a time. */
async function* rambling(text: string, size = 5): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function collect(text: string, limits?: { maxWords: number; maxSentences: number }): Promise<{ said: string; cut: boolean }> {
  let cut = false;
  let said = '';
  for await (const piece of guardTurn(rambling(text), limits, () => (cut = true))) said += piece;
  return { said: said.trim(), cut };
}

describe('output guard', () => {
  it('ends the turn at the first question and drops empty praise', async () => {
    const { said, cut } = await collect(
      'Great question! Your loop is quadratic. What would a hash map change? Also, have you thought about memory? And what about sorting first?',
    );
    assert.equal(said, 'Your loop is quadratic. What would a hash map change?');
    assert.ok(cut, 'the rest was cut, so the caller can stop the model');
  });

  it('keeps a turn under the word and sentence limits, cutting at a sentence end', async () => {
    const long = Array.from({ length: 12 }, (_, i) => `This is filler sentence number ${i + 1} about the approach.`).join(' ');
    const { said, cut } = await collect(long, { maxWords: 30, maxSentences: 4 });
    const sentences = said.split(/(?<=\.)\s/);
    assert.ok(sentences.length <= 4 && said.split(/\s+/).length <= 30, said);
    assert.ok(said.endsWith('.'));
    assert.ok(cut);
  });

  it('lets a short, plain turn through whole, including its last unterminated words', async () => {
    assert.deepEqual(await collect('It passes 3 of 4 tests. The empty array breaks it'), {
      said: 'It passes 3 of 4 tests. The empty array breaks it',
      cut: false,
    });
  });

  it('does not mistake decimals, versions or praise inside a sentence for a cut point', async () => {
    const { said } = await collect('Good, 3.14 works in v2.5 here. Nice. Is the array sorted?');
    assert.equal(said, 'Good, 3.14 works in v2.5 here. Is the array sorted?');
  });
});
