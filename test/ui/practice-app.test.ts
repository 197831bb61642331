import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createElement } from 'react';
import type { Action } from '../../src/interview/actions.ts';
import { initialState } from '../../src/interview/state.ts';
import { Transcript } from '../../src/interview/transcript.ts';

// The test output is not a terminal; colour is what a terminal would get, so force it on, before
// Ink's colour library looks. Whether colour shows is then up to the view's own NO_COLOR switch.
process.env.FORCE_COLOR = '1';
const { render } = await import('ink-testing-library');
const { PracticeApp } = await import('../../src/ui/practice-app.tsx');
const { ProblemPicker } = await import('../../src/ui/problem-picker.tsx');

const settle = () => new Promise((r) => setTimeout(r, 60));
const CTRL = (letter: string) => String.fromCharCode(letter.charCodeAt(0) - 96);
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes start with ESC
const COLOR = /\u001b\[3[0-9]m/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes start with ESC
const ANY_COLOR = /\u001b\[[0-9;]*m/g;

function practice(options: { color?: boolean; statement?: string } = {}) {
  const transcript = new Transcript(initialState({ sessionId: 's', problemId: 'two-sum', language: 'python', atMs: 0 }));
  const actions: Action[] = [];
  let quits = 0;
  const app = render(
    createElement(PracticeApp, {
      title: 'Two Sum',
      difficulty: 'easy',
      language: 'python',
      statement: options.statement ?? '# Two Sum\n\nReturn the indices of the **two** numbers that add up to `target`.\n\n- Each input has exactly one answer.',
      transcript,
      now: () => 185_000,
      color: options.color ?? true,
      onAction: (a) => actions.push(a),
      onQuit: () => quits++,
    }),
  );
  return {
    app,
    transcript,
    actions,
    quits: () => quits,
    frame: () => (app.lastFrame() ?? '').replace(ANY_COLOR, ''),
    raw: () => app.lastFrame() ?? '',
  };
}

describe('the practice screen', () => {
  it('shows the title, the phase, the clock, hints, the last run and the key bar', async () => {
    const { app, frame } = practice();
    await settle();
    const lines = frame().split('\n');
    assert.match(lines[0]!, /Two Sum \(easy, python\)/);
    assert.match(lines[0]!, /intro · 03:05 · hints 0 · no runs yet/);
    assert.match(lines.at(-1)!, /\^E edit {2}\^R run {2}\^S submit {2}\^N hint {2}\^P problem {2}\^L latency {2}\^K keys {2}\^Q quit/);
    // The whole screen fits the terminal: as many lines as it has rows.
    assert.equal(lines.length, 24);
    app.unmount();
  });

  it('streams the interviewer text as it arrives and records runs and hints', async () => {
    const { app, transcript, frame } = practice();
    transcript.text('Today we look at ');
    await settle();
    assert.match(frame(), /interviewer: Today we look at ▍/);
    transcript.text('Two Sum.');
    const state = initialState({ sessionId: 's', problemId: 'two-sum', language: 'python', atMs: 0 });
    transcript.event({ type: 'interviewer_said', text: 'Today we look at Two Sum.', atMs: 1 }, state);
    const run = { kind: 'run' as const, verdict: 'wrong_answer' as const, passed: 3, total: 5, summary: 'passes 3 of 5 tests', failing: [], atMs: 2 };
    transcript.event({ type: 'tests_ran', run }, { ...state, testRuns: [run] });
    await settle();
    assert.match(frame(), /interviewer: Today we look at Two Sum\.\s/);
    assert.doesNotMatch(frame(), /▍/);
    assert.match(frame(), /\[run\] wrong answer: passes 3 of 5 tests/);
    assert.match(frame().split('\n')[0]!, /run 3\/5/);
    app.unmount();
  });

  it('sends typed lines to the interviewer and slash commands as actions', async () => {
    const { app, actions, frame } = practice();
    await settle();
    app.stdin.write('Can the array be empty?');
    await settle();
    assert.match(frame(), /> Can the array be empty\?█/);
    app.stdin.write('\r');
    await settle();
    app.stdin.write('/run\r');
    await settle();
    // A paste with line breaks sends each line.
    app.stdin.write('first line\rsecond');
    await settle();
    assert.deepEqual(actions, [{ kind: 'say', text: 'Can the array be empty?' }, { kind: 'run' }, { kind: 'say', text: 'first line' }]);
    assert.match(frame(), /> second█/);
    app.stdin.write(CTRL('u'));
    await settle();
    app.stdin.write('/frobnicate\r');
    await settle();
    assert.match(frame(), /unknown command "\/frobnicate"/);
    app.unmount();
  });

  it('binds edit, run, submit and hint to Ctrl keys that typing never produces', async () => {
    const { app, actions } = practice();
    for (const key of ['e', 'r', 's', 'n']) {
      app.stdin.write(CTRL(key));
      await settle();
    }
    assert.deepEqual(
      actions.map((a) => a.kind),
      ['edit', 'run', 'submit', 'hint'],
    );
    app.unmount();
  });

  it('asks before quitting, and carries on when the answer is not yes', async () => {
    const { app, quits, frame } = practice();
    app.stdin.write(CTRL('q'));
    await settle();
    assert.match(frame(), /End the interview now\? Your session is kept either way/);
    app.stdin.write('n');
    await settle();
    assert.equal(quits(), 0);
    assert.doesNotMatch(frame(), /End the interview now/);
    app.stdin.write(CTRL('c'));
    await settle();
    app.stdin.write('y');
    await settle();
    assert.equal(quits(), 1);
    app.unmount();
  });

  it('shows the problem statement and the key help on a key, and Esc goes back', async () => {
    const { app, frame } = practice();
    app.stdin.write(CTRL('p'));
    await settle();
    assert.match(frame(), /Return the indices of the two numbers that add up to target\./);
    assert.match(frame(), /• Each input has exactly one answer\./);
    app.stdin.write(CTRL('k'));
    await settle();
    assert.match(frame(), /Ctrl-E {2}open your editor on the solution/);
    app.stdin.write('\u001b');
    await settle();
    assert.match(frame(), /conversation/);
    app.unmount();
  });

  it('shows the voice timings of each spoken turn as a waterfall on Ctrl-L', async () => {
    const { app, transcript, frame } = practice();
    app.stdin.write(CTRL('l'));
    await settle();
    assert.match(frame(), /No spoken turns yet/);
    const state = initialState({ sessionId: 's', problemId: 'two-sum', language: 'python', atMs: 0 });
    const timings = {
      voiceToVoiceMs: 640,
      marks: {
        speechEndedAt: 0,
        endpointedAt: 300,
        sttFinalAt: 150,
        llmStartedAt: 300,
        llmFirstTextAt: 420,
        ttsStartedAt: 420,
        ttsFirstAudioAt: 600,
        firstSampleAt: 640,
      },
      duckMs: 30,
      silenceMs: 90,
    };
    transcript.event({ type: 'turn_timed', timings, atMs: 1 }, { ...state, timings: [timings] });
    await settle();
    assert.match(frame(), /turn 1 {2}\(0 = end of the candidate's voice, full width = 640 ms\)/);
    assert.match(frame(), /voice to voice +│█+│ +640 ms/);
    assert.match(frame(), /barge-in: ducked after 30 ms, silent after 90 ms/);
    app.unmount();
  });

  it('scrolls a long conversation with PgUp and PgDn', async () => {
    const { app, transcript, frame } = practice();
    const state = initialState({ sessionId: 's', problemId: 'two-sum', language: 'python', atMs: 0 });
    for (let i = 1; i <= 40; i++) transcript.event({ type: 'candidate_said', text: `message ${i}`, atMs: i }, state);
    await settle();
    assert.match(frame(), /message 40/);
    assert.match(frame(), /lines above: PgUp/);
    app.stdin.write('\u001b[5~');
    await settle();
    assert.doesNotMatch(frame(), /message 40/);
    assert.match(frame(), /below: PgDn/);
    app.stdin.write('\u001b[6~');
    await settle();
    assert.match(frame(), /message 40/);
    app.unmount();
  });

  it('uses colour, and none at all when colour is off (NO_COLOR)', async () => {
    const coloured = practice({ color: true });
    coloured.transcript.text('Hello.');
    await settle();
    assert.match(coloured.raw(), COLOR);
    coloured.app.unmount();
    const plain = practice({ color: false });
    plain.transcript.text('Hello.');
    await settle();
    assert.doesNotMatch(plain.raw(), COLOR);
    plain.app.unmount();
  });
});

describe('the problem picker', () => {
  const items = [
    { id: 'two-sum', title: 'Two Sum', difficulty: 'easy', tags: ['hashing'] },
    { id: 'number-of-islands', title: 'Number of Islands', difficulty: 'medium', tags: ['graph', 'bfs'] },
    { id: 'trapping-rain-water', title: 'Trapping Rain Water', difficulty: 'hard', tags: ['two-pointers'] },
  ];

  it('filters by what is typed and starts the highlighted problem on Enter', async () => {
    let picked: string | null | undefined;
    const app = render(createElement(ProblemPicker, { items, color: false, onPick: (id: string | null) => (picked = id) }));
    await settle();
    assert.match(app.lastFrame()!, /Choose a problem \(3 of 3\)/);
    app.stdin.write('graph');
    await settle();
    assert.match(app.lastFrame()!, /\(1 of 3\)/);
    assert.match(app.lastFrame()!, /number-of-islands/);
    assert.doesNotMatch(app.lastFrame()!, /two-sum/);
    app.stdin.write('\r');
    await settle();
    assert.equal(picked, 'number-of-islands');
    app.unmount();
  });

  it('moves with the arrows and leaves with Esc', async () => {
    let picked: string | null | undefined;
    const app = render(createElement(ProblemPicker, { items, color: false, onPick: (id: string | null) => (picked = id) }));
    await settle();
    app.stdin.write('\u001b[B');
    await settle();
    app.stdin.write('\u001b[B');
    await settle();
    app.stdin.write('\r');
    await settle();
    assert.equal(picked, 'trapping-rain-water');
    app.stdin.write('\u001b');
    await settle();
    assert.equal(picked, null);
    app.unmount();
  });
});
