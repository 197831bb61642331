import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { play } from '../../src/replay/player.ts';
import type { Paint } from '../../src/replay/player.ts';
import { readRecording } from '../../src/replay/recording.ts';

// The scripted recording has a 200-second /wait between the failing runs and the hint.
const recording = readRecording(join(import.meta.dirname, '..', 'fixtures', 'recordings', 'scripted-stock.jsonl'));
const plain: Paint = { bold: (s) => s, dim: (s) => s, yellow: (s) => s, cyan: (s) => s, green: (s) => s, red: (s) => s };

function player() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c) => (text += c));
  const keys = new PassThrough();
  const done = play(recording, { out, paint: plain, speed: 1, keys });
  /** Resolves once the output shows `pattern`. */
  const shows = async (pattern: RegExp) => {
    while (!pattern.test(text)) await new Promise((r) => setTimeout(r, 10));
  };
  return { done, keys, shows, text: () => text };
}

describe('replay player', () => {
  it('waits at the interview pace, and the right arrow skips the wait to the next event', async () => {
    const p = player();
    await p.shows(/hint: nudge, after failing runs\]\n.*interviewer: Let me give you/);
    assert.doesNotMatch(p.text(), /03:20/, 'the 200-second gap is being waited out');
    p.keys.write('\u001b[C');
    await p.shows(/\[03:20\] \[hint: hint, asked for\]/);
    // Everything after that happened at 03:20: it plays without waiting.
    await p.done;
    assert.match(p.text(), /scorecard/);
  });

  it('space pauses; while paused the right arrow steps one event at a time; q quits', async () => {
    const p = player();
    await p.shows(/interviewer: Let me give you/);
    p.keys.write(' ');
    p.keys.write('\u001b[C');
    await p.shows(/\[03:20\] \[hint: hint, asked for\]\n$/);
    // Still paused: the next line, due at once, does not come.
    await new Promise((r) => setTimeout(r, 300));
    assert.match(p.text(), /\[hint: hint, asked for\]\n$/);
    p.keys.write('q');
    await p.done;
    assert.doesNotMatch(p.text(), /scorecard/);
  });
});
