import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CODE_BLOCK_SPOKEN, chunkText, SentenceChunker, speakable, splitLongSentence } from '../../src/pipeline/sentence-chunker.ts';
import type { SpokenChunk } from '../../src/pipeline/sentence-chunker.ts';

function chunksOf(deltas: string[], maxChars?: number): SpokenChunk[] {
  const c = new SentenceChunker(maxChars ? { maxChars } : {});
  return [...deltas.flatMap((d) => c.push(d)), ...c.end()];
}

const texts = (chunks: SpokenChunk[]) => chunks.map((c) => c.text);

/** Deterministic pseudo-random splits of a text into deltas of 1 to 12 characters. */
function randomSplits(text: string, seed: number): string[] {
  const out: string[] = [];
  let s = seed;
  let i = 0;
  while (i < text.length) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const n = 1 + (s % 12);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

const INTERVIEWER = [
  'Good start. Your loop runs in O(n log n). Then the sort dominates, e.g. for a million items.',
  'Dr. Smith wrote it, i.e. the original author. Check arr[i].val and node.next before you move on.',
  'Pi is 3.14 and v2.5 of the API changed it. See https://example.com/a.b?c=1. Does that make sense?',
  'He said "stop." Then he left. What about empty input? And duplicates!',
  '**Nice.** Now think about *why* the `seen` set is enough, and what `for (let i = 0; i < n; i++) {}` costs.',
];

describe('SentenceChunker', () => {
  it('splits at real sentence ends and nowhere else', () => {
    assert.deepEqual(texts(chunksOf([INTERVIEWER[0]!])), [
      'Good start.',
      'Your loop runs in O(n log n).',
      'Then the sort dominates, e.g. for a million items.',
    ]);
    assert.deepEqual(texts(chunksOf([INTERVIEWER[1]!])), [
      'Dr. Smith wrote it, i.e. the original author.',
      'Check arr[i].val and node.next before you move on.',
    ]);
    assert.deepEqual(texts(chunksOf([INTERVIEWER[2]!])), [
      'Pi is 3.14 and v2.5 of the API changed it.',
      'See https://example.com/a.b?c=1.',
      'Does that make sense?',
    ]);
    assert.deepEqual(texts(chunksOf([INTERVIEWER[3]!])), ['He said "stop."', 'Then he left.', 'What about empty input?', 'And duplicates!']);
  });

  it('gives the same chunks however the text is split into deltas', () => {
    for (const text of INTERVIEWER) {
      const whole = chunksOf([text]);
      for (let seed = 1; seed <= 25; seed++) assert.deepEqual(chunksOf(randomSplits(text, seed)), whole, `seed ${seed}: ${text}`);
      assert.deepEqual(chunksOf([...text]), whole, `one character at a time: ${text}`);
    }
  });

  it('emits a sentence as soon as the next one has begun, before the stream ends', () => {
    const c = new SentenceChunker();
    assert.deepEqual(c.push('Good start.'), []);
    assert.deepEqual(texts(c.push(' Your loop')), ['Good start.']);
    assert.deepEqual(texts(c.push(' is fine. N')), ['Your loop is fine.']);
    assert.deepEqual(texts(c.end()), ['N']);
  });

  it('waits after an abbreviation or a number until a letter decides', () => {
    const c = new SentenceChunker();
    assert.deepEqual(c.push('Use a map, e.g. '), []);
    assert.deepEqual(c.push('a dict. '), []);
    assert.deepEqual(texts(c.push('3 ')), []);
    // ICU decides by the first letter: "3 ways" would continue the sentence, "3 Ways" starts one.
    assert.deepEqual(texts(c.push('Ways')), ['Use a map, e.g. a dict.']);
  });

  it('speaks Markdown without its marks and reads short code spans', () => {
    assert.deepEqual(texts(chunksOf([INTERVIEWER[4]!])), ['Nice.', 'Now think about why the seen set is enough, and what that expression costs.']);
    assert.equal(
      speakable('Use [the docs](https://x.y) and __bold__ but keep snake_case_names and 2*3*4.'),
      'Use the docs and bold but keep snake_case_names and 2*3*4.',
    );
  });

  it('speaks list items one by one and headings on their own', () => {
    const chunks = chunksOf(['## Next steps\nTwo things:\n- handle the empty array\n- then the ', 'duplicates\n1. sort first\n2. scan once\nThat is all.']);
    assert.deepEqual(
      chunks.map((c) => [c.kind, c.text]),
      [
        ['heading', 'Next steps'],
        ['sentence', 'Two things:'],
        ['list-item', 'handle the empty array'],
        ['list-item', 'then the duplicates'],
        ['list-item', 'sort first'],
        ['list-item', 'scan once'],
        ['sentence', 'That is all.'],
      ],
    );
  });

  it('shows a code block in the transcript but speaks a short reference', () => {
    const text = 'Here is the idea.\n```python\nseen = {}\nfor i, x in enumerate(nums):\n    seen[x] = i\n```\nTry it.';
    const chunks = chunksOf(randomSplits(text, 3));
    assert.deepEqual(
      chunks.map((c) => c.text),
      ['Here is the idea.', CODE_BLOCK_SPOKEN, 'Try it.'],
    );
    assert.equal(chunks[1]!.shown, '```python\nseen = {}\nfor i, x in enumerate(nums):\n    seen[x] = i\n```');
    assert.deepEqual(chunksOf([text]), chunks);
  });

  it('splits an over-long sentence at clause boundaries without losing or repeating a word', () => {
    const long =
      'When the array is sorted you can walk two pointers from both ends, moving the left one up when the sum is too small; moving the right one down when it is too large, and stopping when they meet, which takes linear time and constant space, so it beats the hash map on memory.';
    const chunks = chunksOf(randomSplits(long, 7), 80);
    assert.ok(chunks.length >= 3, texts(chunks).join(' | '));
    assert.ok(
      chunks.every((c) => c.text.length <= 80),
      texts(chunks).join(' | '),
    );
    assert.equal(texts(chunks).join(' '), long);
    assert.deepEqual(chunksOf([long], 80), chunks, 'the same pieces whether streamed or not');
  });

  it('never loses or duplicates words across many streamed answers', () => {
    const answer = `${INTERVIEWER.join(' ')}\n\nAnd one more: what is the complexity? Think about it.`;
    const expected = speakable(answer).split(' ');
    for (let seed = 1; seed <= 40; seed++) {
      const words = texts(chunksOf(randomSplits(answer, seed)))
        .join(' ')
        .split(' ');
      assert.deepEqual(words, expected, `seed ${seed}`);
    }
  });

  it('splitLongSentence keeps short sentences whole', () => {
    assert.deepEqual(splitLongSentence('Short one.', 80), ['Short one.']);
  });

  it('streams from an async iterable and stops quietly on abort', async () => {
    async function* deltas() {
      yield 'One. Two';
      yield '. Three.';
    }
    const seen: string[] = [];
    for await (const c of chunkText(deltas())) seen.push(c.text);
    assert.deepEqual(seen, ['One.', 'Two.', 'Three.']);
    const controller = new AbortController();
    const cut: string[] = [];
    for await (const c of chunkText(deltas(), {}, controller.signal)) {
      cut.push(c.text);
      controller.abort();
    }
    assert.deepEqual(cut, ['One.']);
  });
});
