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

describe('an interviewer turn the candidate talks over', () => {
  it("aborts the model's turn, records what was said, and marks how much of it was heard", async () => {
    const { Interview } = await import('../../src/interview/engine.ts');
    const { ProblemSet } = await import('../../src/problems/load.ts');
    const { loadTests } = await import('../../src/problems/load.ts');
    const { UnsafeSandbox } = await import('../../src/sandbox/unsafe.ts');
    const problem = new ProblemSet({ env: {} }).get('valid-anagram');
    let turn = new AbortController();
    let sawAbort = false;
    // A model that keeps talking until its request is aborted.
    const brain = {
      name: 'rambling',
      async *stream(_instruction: unknown, _context: unknown, signal?: AbortSignal) {
        for (const word of ['Let ', 'me ', 'explain ', 'the ', 'whole ', 'idea ', 'in ', 'detail ']) {
          if (signal?.aborted) {
            sawAbort = true;
            return;
          }
          yield { type: 'text-delta' as const, text: word };
          await new Promise((r) => setTimeout(r, 5));
        }
        yield { type: 'finish' as const };
      },
    };
    const interview = new Interview({
      problem,
      tests: loadTests(problem),
      language: 'python',
      brain,
      sandbox: new UnsafeSandbox(),
      sessionId: 's',
      now: () => 0,
      turnSignal: () => turn.signal,
      onText: (delta) => {
        // The candidate starts talking once the interviewer has said "Let me explain", the first time.
        if (delta === 'explain ' && !turn.signal.aborted && interview.state.conversation.length === 0) {
          turn.abort();
          interview.interrupted('Let me');
        }
      },
    });
    await interview.start();
    assert.ok(sawAbort, "the model's request saw the abort");
    const said = interview.state.conversation.at(-1)!;
    assert.equal(said.text, 'Let me explain');
    assert.equal(said.heard, 'Let me');
    // The next turn gets a fresh signal and is not cut short.
    turn = new AbortController();
    await interview.say('Can the strings be empty?');
    assert.equal(interview.state.conversation.at(-1)!.text, 'Let me explain the whole idea in detail');
    assert.equal(interview.state.conversation.at(-1)!.heard, undefined);
  });
});
