import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isQuestion, matchClarification } from '../../src/interview/engine.ts';

const CLARIFICATIONS = [
  { q: 'Can the array be empty?', a: 'No, it has at least one element.', keywords: ['empty'] },
  { q: 'Can values be negative?', a: 'Yes, any 32-bit integer.', keywords: ['negative'] },
  { q: 'Does the order of the output matter?', a: 'No, any order.' },
];

describe('answering clarifying questions', () => {
  it('matches by keyword or by the words of the prepared question', () => {
    assert.equal(matchClarification('what happens with an empty list?', CLARIFICATIONS), 'No, it has at least one element.');
    assert.equal(matchClarification('Could there be negative numbers in it?', CLARIFICATIONS), 'Yes, any 32-bit integer.');
    assert.equal(matchClarification('does the output order matter at all?', CLARIFICATIONS), 'No, any order.');
  });

  it('does not pretend to know what the problem does not say', () => {
    assert.equal(matchClarification('Which language should I use?', CLARIFICATIONS), null);
    assert.equal(matchClarification('Is emptiness a concern?', CLARIFICATIONS), null, 'a keyword must match as a whole word');
  });

  it('tells questions from statements', () => {
    assert.ok(isQuestion('Can I sort it first'));
    assert.ok(isQuestion('So the answer is unique?'));
    assert.ok(!isQuestion('I would sort the array and scan once.'));
  });
});
