import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Interview } from '../../src/interview/engine.ts';
import { ScriptedBrain } from '../../src/interview/scripted-brain.ts';
import { loadTests, ProblemSet } from '../../src/problems/load.ts';
import { UnsafeSandbox } from '../../src/sandbox/unsafe.ts';

/** An offline interview on a built-in problem, on a clock the test moves. */
function offline(problemId: string, minutes?: number) {
  const problem = new ProblemSet({ env: {} }).get(problemId);
  let now = 0;
  const said: string[] = [];
  const interview = new Interview({
    problem,
    tests: loadTests(problem),
    language: 'python',
    brain: new ScriptedBrain(),
    sandbox: new UnsafeSandbox(),
    sessionId: 't',
    now: () => now,
    onEvent: (e) => e.type === 'interviewer_said' && said.push(e.text),
    ...(minutes ? { minutes } : {}),
  });
  return { interview, said, advance: (ms: number) => (now += ms), last: () => said.at(-1) ?? '' };
}

describe('an interviewer that understands the candidate', () => {
  it('answers from the constraints, negation included, and records how it read the question', async () => {
    const { interview, last } = offline('house-robber');
    await interview.start();
    await interview.say('can the array be empty');
    assert.match(last(), /^No\b.*at least one element/);
    await interview.say('will there always be at least one house');
    assert.match(last(), /^Yes\b/);
    await interview.say('can values be negative');
    assert.match(last(), /^No\b.*0 to 400/);
    const reading = interview.state.understood.at(-1)!;
    assert.equal(reading.intent, 'clarify');
    assert.deepEqual(reading.properties, ['negative']);
    assert.ok(reading.facts.some((f) => /nums\[i\]/.test(f)));
  });

  it('says so when nothing settles a question, and never says yes by accident', async () => {
    const { interview, last } = offline('word-break');
    await interview.start();
    await interview.say('what if there is a tie');
    assert.doesNotMatch(last(), /^Yes/);
    assert.match(last(), /assum/);
  });

  it('pushes back on an approach too slow for the bounds, with the numbers, and confirms a sound one', async () => {
    const { interview, last } = offline('best-time-to-buy-and-sell-stock');
    await interview.start();
    await interview.say('check every pair of days and take the max difference');
    assert.match(last(), /O\(n\^2\).*10\^10.*too slow/);
    await interview.say('keep track of the minimum price so far and the best profit');
    assert.match(last(), /^That works/);
  });

  it('takes "I\'m stuck" as a request for help on the hint ladder, and never repeats a sentence', async () => {
    const { interview, said } = offline('house-robber');
    await interview.start();
    await interview.say("I'm stuck");
    assert.equal(interview.state.hintsGiven[0]?.level, 'nudge');
    await interview.say('hmm');
    await interview.say('hmm');
    await interview.say('hmm');
    for (let i = 1; i < said.length; i++) assert.notEqual(said[i], said[i - 1]);
  });

  it('challenges a wrong complexity claim once, then corrects it', async () => {
    const { interview, last } = offline('house-robber');
    await interview.start();
    await interview.say('dynamic programming with a dp array');
    await interview.say('it is O(n^2) time');
    assert.match(last(), /Are you sure/);
    await interview.say('n squared i think');
    assert.match(last(), /^Not quite.*O\(n\)/);
  });

  it('nudges after six silent minutes, even before any code', async () => {
    const { interview, advance } = offline('house-robber');
    await interview.start();
    advance(6 * 60_000);
    await interview.tick();
    assert.equal(interview.state.hintsGiven[0]?.reason, 'stuck');
  });

  it("never asks a general follow-up on a topic the problem's own follow-ups already covered", async () => {
    const { interview, said } = offline('top-k-frequent-elements');
    await interview.start();
    interview.codeSaved(
      'from collections import Counter\nclass Solution:\n    def topKFrequent(self, nums, k):\n        return [x for x, _ in Counter(nums).most_common(k)]\n',
    );
    await interview.runTests('submit');
    for (let i = 0; i < 6; i++) await interview.say('i would keep counts and think about it');
    const followUps = interview.state.followUps;
    assert.ok(
      followUps.some((q) => /stream/.test(q)),
      'the problem asks about a stream that does not fit in memory',
    );
    assert.ok(!followUps.some((q) => /too large to fit in memory/.test(q)), followUps.join(' | '));
    assert.ok(
      followUps.some((q) => /edge cases/.test(q)),
      'other general follow-ups still come',
    );
    assert.ok(
      said.some((t) => /questions/i.test(t)),
      'then the candidate is asked for questions',
    );
  });

  it('answers "why is it failing" with a visible failing case to trace, and leaves a passing candidate in peace', async () => {
    const { interview, last, advance } = offline('house-robber');
    await interview.start();
    interview.codeSaved('class Solution:\n    def rob(self, nums):\n        return sum(nums[::2])\n');
    await interview.runTests('run');
    await interview.say('hmm why is it failing');
    assert.match(last(), /^Look at ".+": for .+ your code returns \d+, expected \d+\. Trace that case/);
    interview.codeSaved(
      'class Solution:\n    def rob(self, nums):\n        a = b = 0\n        for x in nums:\n            a, b = b, max(b, a + x)\n        return b\n',
    );
    await interview.runTests('run');
    await interview.say('why is it failing');
    assert.match(last(), /^It isn't: the last run passes all \d+ tests/);
    const hints = interview.state.hintsGiven.length;
    advance(10 * 60_000);
    await interview.tick();
    assert.equal(interview.state.hintsGiven.length, hints, 'no idle hint after a passing run');
  });

  it('answers an edge-case follow-up by noting a case the constraints rule out, and "how did I do" with the assessment so far', async () => {
    const { interview, last, said } = offline('best-time-to-buy-and-sell-stock');
    await interview.start();
    interview.codeSaved(
      'class Solution:\n    def maxProfit(self, prices):\n        lo, best = prices[0], 0\n        for p in prices:\n            lo = min(lo, p)\n            best = max(best, p - lo)\n        return best\n',
    );
    await interview.runTests('submit');
    for (let i = 0; i < 5 && !/edge cases/.test(last()); i++) await interview.say('i would think about it some more');
    assert.match(last(), /edge cases/);
    await interview.say("i'd test an empty list and a single price and a falling market");
    assert.ok(
      said.some((t) => /^Good list\. One note: an empty input can't happen here: .*at least one/.test(t)),
      said.join(' | '),
    );
    await interview.say('how did i do');
    assert.ok(
      said.some((t) => /^The full scorecard comes when we close\. So far: Problem solving 4\/4/.test(t)),
      said.join(' | '),
    );
  });

  it('says "that\'s time" only when the budget is spent', async () => {
    const { interview, advance, last } = offline('house-robber', 20);
    await interview.start();
    advance(19 * 60_000);
    await interview.tick();
    assert.notEqual(interview.state.phase, 'ended');
    advance(2 * 60_000);
    await interview.tick();
    assert.equal(interview.state.phase, 'ended');
    assert.match(last(), /^That's time/);
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
