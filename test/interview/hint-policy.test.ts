import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideHint, DEFAULT_HINT_POLICY, idleMs } from '../../src/interview/hint-policy.ts';
import { initialState, reduce } from '../../src/interview/state.ts';
import type { InterviewEvent, InterviewState, TestRunRecord } from '../../src/interview/state.ts';

const HINTS = { nudge: ['n1', 'n2'], hint: ['h1'], reveal: ['r1'] };
const MIN = 60_000;

function run(events: InterviewEvent[]): InterviewState {
  return events.reduce(reduce, initialState({ sessionId: 's', problemId: 'p', language: 'python', atMs: 0 }));
}

const failing = (atMs: number, passed = 1): InterviewEvent => ({
  type: 'tests_ran',
  run: { kind: 'run', verdict: 'wrong_answer', passed, total: 4, summary: '', failing: [], atMs } satisfies TestRunRecord,
});
const coding: InterviewEvent = { type: 'phase_changed', phase: 'code', atMs: 0 };

describe('HintPolicy', () => {
  it('nudges a silent candidate in every working phase, clarifying included, but not during the introduction or the follow-ups', () => {
    const clarifying = run([{ type: 'phase_changed', phase: 'clarify', atMs: 0 }]);
    assert.deepEqual(decideHint(clarifying, HINTS, 6 * MIN, { asked: false }), { level: 'nudge', text: 'n1', reason: 'stuck' });
    assert.equal(decideHint(run([]), HINTS, 60 * MIN, { asked: false }), null);
    assert.equal(decideHint(run([{ type: 'phase_changed', phase: 'follow_up', atMs: 0 }]), HINTS, 60 * MIN, { asked: false }), null);
  });

  it('escalates by count: a third failing run in a row gets at least a hint, not another nudge', () => {
    const s = run([
      coding,
      failing(MIN),
      failing(2 * MIN),
      { type: 'hint_given', level: 'nudge', text: 'n1', reason: 'failing', atMs: 2 * MIN },
      failing(4 * MIN),
      failing(5 * MIN),
    ]);
    assert.deepEqual(decideHint(s, HINTS, 5 * MIN, { asked: false }), { level: 'hint', text: 'h1', reason: 'failing' });
  });

  it('points at the edge case a failing run trips over, once, instead of the approach hint', () => {
    const edge: InterviewEvent = {
      type: 'tests_ran',
      run: {
        kind: 'run',
        verdict: 'wrong_answer',
        passed: 3,
        total: 4,
        summary: '',
        failing: [{ name: 'empty', input: [''], expected: 0, actual: 1 }],
        atMs: 2 * MIN,
      },
    };
    const s = run([coding, failing(MIN), edge]);
    assert.deepEqual(decideHint(s, HINTS, 2 * MIN, { asked: false }), {
      level: 'nudge',
      text: 'What does your code return for an empty string?',
      reason: 'failing',
    });
    const after = run([
      coding,
      failing(MIN),
      edge,
      { type: 'hint_given', level: 'nudge', text: 'What does your code return for an empty string?', reason: 'failing', atMs: 2 * MIN },
      failing(4 * MIN),
      edge,
    ]);
    // The same case again: the ladder, at least a hint after four failing runs in a row.
    assert.equal(decideHint(after, HINTS, 6 * MIN, { asked: false })?.text, 'h1');
  });

  it('nudges a candidate who has been idle while coding, not one who is busy', () => {
    const idle = run([coding]);
    assert.equal(decideHint(idle, HINTS, 3 * MIN, { asked: false }), null);
    assert.deepEqual(decideHint(idle, HINTS, 4 * MIN, { asked: false }), { level: 'nudge', text: 'n1', reason: 'stuck' });
    const editing = run([coding, { type: 'editor_opened', atMs: MIN }]);
    assert.equal(decideHint(editing, HINTS, 30 * MIN, { asked: false }), null, 'the editor is open: thinking is not silence');
    const saved = run([coding, { type: 'editor_opened', atMs: MIN }, { type: 'code_saved', code: 'x', atMs: 10 * MIN }]);
    assert.equal(decideHint(saved, HINTS, 13 * MIN, { asked: false }), null, 'the stuck clock starts after the save and its grace');
    assert.equal(idleMs(saved, 13 * MIN), 3 * MIN - 45_000);
    assert.equal(decideHint(saved, HINTS, 15 * MIN, { asked: false })?.reason, 'stuck');
  });

  it('hints after repeated failed runs, and resets the count after a hint', () => {
    const once = run([coding, failing(10_000)]);
    assert.equal(decideHint(once, HINTS, 20_000, { asked: false }), null);
    const twice = run([coding, failing(10_000), failing(20_000)]);
    assert.deepEqual(decideHint(twice, HINTS, 30_000, { asked: false }), { level: 'nudge', text: 'n1', reason: 'failing' });
    const afterHint = run([coding, failing(10_000), failing(20_000), { type: 'hint_given', level: 'nudge', text: 'n1', reason: 'failing', atMs: 30_000 }]);
    assert.equal(afterHint.consecutiveFailures, 0);
    assert.equal(decideHint(afterHint, HINTS, 40_000, { asked: false }), null);
  });

  it('waits a minimum gap between automatic hints', () => {
    const s = run([coding, { type: 'hint_given', level: 'nudge', text: 'n1', reason: 'stuck', atMs: 0 }, failing(10_000), failing(20_000)]);
    assert.equal(decideHint(s, HINTS, DEFAULT_HINT_POLICY.minGapMs - 1, { asked: false }), null);
    assert.equal(decideHint(s, HINTS, DEFAULT_HINT_POLICY.minGapMs, { asked: false })?.text, 'n2');
  });

  it('escalates one step per ask and never reveals before a nudge and a hint', () => {
    let s = run([{ type: 'phase_changed', phase: 'clarify', atMs: 0 }]);
    const given: string[] = [];
    for (let i = 0; i < 5; i++) {
      const d = decideHint(s, HINTS, i * 1000, { asked: true });
      if (!d) break;
      given.push(`${d.level}:${d.text}`);
      s = reduce(s, { type: 'hint_given', level: d.level, text: d.text, reason: d.reason, atMs: i * 1000 });
    }
    assert.deepEqual(given, ['nudge:n1', 'nudge:n2', 'hint:h1', 'reveal:r1']);
    assert.equal(decideHint(s, HINTS, 10_000, { asked: true }), null, 'nothing left to give');
  });

  it('counts an improving run as progress for the stuck clock', () => {
    const s = run([coding, failing(10 * MIN, 1), failing(12 * MIN, 3)]);
    assert.equal(s.lastProgressAtMs, 12 * MIN);
  });
});
