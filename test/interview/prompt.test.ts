import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildPrompt, DEFAULT_BUDGET } from '../../src/interview/prompt.ts';
import { initialState, reduce } from '../../src/interview/state.ts';
import type { InterviewEvent, InterviewState } from '../../src/interview/state.ts';
import { ProblemSet } from '../../src/problems/load.ts';
import type { InterviewContext } from '../../src/interview/brain.ts';

const problem = new ProblemSet({ env: {} }).get('trapping-rain-water');
const reference = readFileSync(join(problem.dir, 'solution.py'), 'utf8');
const ctx = (state: InterviewState): InterviewContext => ({
  problem: {
    id: problem.id,
    title: problem.meta.title,
    statement: problem.statement,
    difficulty: problem.meta.difficulty,
    complexity: problem.meta.complexity,
  },
  state,
});

/** Two hours of a talkative candidate: a turn every 10 s, code saved every minute, runs every 2. */
function twoHourInterview(): InterviewState {
  const events: InterviewEvent[] = [{ type: 'phase_changed', phase: 'code', atMs: 0 }];
  for (let s = 0; s < 7200; s += 10) {
    const atMs = s * 1000;
    events.push({
      type: 'candidate_said',
      text: `At second ${s} I am thinking out loud about the two pointers and the running maximum on each side, and whether the left wall bounds the water here.`,
      atMs,
    });
    events.push({
      type: 'interviewer_said',
      text: 'Go on. What decides the water level above this column, and how do you know it from one side?',
      atMs: atMs + 1,
    });
    if (s % 60 === 0) events.push({ type: 'code_saved', code: `# version ${s}\n${'def trap(height):\n    total = 0\n'.repeat(200)}`, atMs });
    if (s % 120 === 0)
      events.push({
        type: 'tests_ran',
        run: {
          kind: 'run',
          verdict: 'wrong_answer',
          passed: 3,
          total: 5,
          summary: 'passes 3 of 5 tests; the failing cases involve empty input',
          failing: [{ name: 'empty', input: { height: [] }, expected: 0, actual: null }],
          atMs,
        },
      });
  }
  events.push({ type: 'hint_given', level: 'nudge', text: problem.meta.hints.nudge[0]!, reason: 'stuck', atMs: 7_100_000 });
  return events.reduce(reduce, initialState({ sessionId: 's', problemId: problem.id, language: 'python', atMs: 0 }));
}

describe('prompt builder', () => {
  it('stays under its token budget through a two-hour interview', () => {
    const state = twoHourInterview();
    assert.ok(state.conversation.length > 1400);
    const prompt = buildPrompt({ kind: 'give_hint', level: 'hint', text: problem.meta.hints.hint[0]!, reason: 'asked' }, ctx(state));
    assert.ok(prompt.estimatedTokens <= DEFAULT_BUDGET.maxTokens, `${prompt.estimatedTokens} tokens`);
    assert.match(prompt.messages.at(-1)!.content, /^\[Your turn\] Give this hint in your own words/);
    assert.deepEqual(
      prompt.messages.slice(-3, -1).map((m) => m.role),
      ['user', 'assistant'],
      'the latest turns are quoted, in order',
    );
    assert.match(prompt.messages.at(-3)!.content, /^At second 7190 I am thinking out loud/);
    assert.match(prompt.messages[0]!.content, /Earlier in the interview \(\d+ turns, summarised\)/);
    assert.match(prompt.messages[0]!.content, /Hints given so far: nudge\./);
    assert.match(prompt.messages[0]!.content, /characters not shown/, 'long code is shortened');
  });

  it('never contains the reference solution or hints the policy has not given', () => {
    const state = twoHourInterview();
    const prompt = buildPrompt({ kind: 'comment_on_run', run: state.testRuns.at(-1)! }, ctx(state));
    const everything = prompt.system + prompt.messages.map((m) => m.content).join('\n');
    assert.ok(!everything.includes(reference.trim()), 'no reference solution');
    for (const hidden of [...problem.meta.hints.hint, ...problem.meta.hints.reveal]) assert.ok(!everything.includes(hidden), `hint not given: ${hidden}`);
    assert.match(everything, /Failing visible cases: empty: input \{"height":\[\]\}, expected 0, got null/);
  });

  it('quotes a short interview whole', () => {
    const state = [
      { type: 'candidate_said', text: 'Can the array be empty?', atMs: 1000 },
      { type: 'interviewer_said', text: 'It can; then no water is trapped.', atMs: 2000 },
    ].reduce(reduce, initialState({ sessionId: 's', problemId: problem.id, language: 'python', atMs: 0 }));
    const prompt = buildPrompt({ kind: 'acknowledge', said: 'ok' }, ctx(state));
    assert.deepEqual(prompt.messages.slice(1, 3), [
      { role: 'user', content: 'Can the array be empty?' },
      { role: 'assistant', content: 'It can; then no water is trapped.' },
    ]);
    assert.doesNotMatch(prompt.messages[0]!.content, /Earlier in the interview/);
  });

  it('tells the model where the candidate cut it off, so it can pick up from there', () => {
    const said =
      'The water above a column is bounded by the lower of the two tallest walls around it. So for each column you need the highest wall on its left and on its right.';
    const events: InterviewEvent[] = [
      { type: 'interviewer_said', text: said, atMs: 1 },
      { type: 'interviewer_interrupted', heard: 'The water above a column is bounded by the lower of', atMs: 2 },
      { type: 'candidate_said', text: 'Wait, what do you mean by the lower one?', atMs: 3 },
    ];
    const state = events.reduce(reduce, initialState({ sessionId: 's', problemId: problem.id, language: 'python', atMs: 0 }));
    assert.equal(state.conversation[0]!.heard, 'The water above a column is bounded by the lower of');
    const prompt = buildPrompt({ kind: 'acknowledge', said: 'Wait, what do you mean by the lower one?' }, ctx(state));
    const turn = prompt.messages.find((m) => m.role === 'assistant')!;
    assert.match(
      turn.content,
      /^The water above a column is bounded by the lower of \[the candidate interrupted here; the rest was never heard: " the two tallest walls around it\./,
    );
  });
});
