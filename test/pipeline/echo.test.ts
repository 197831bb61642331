import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EchoCanceller } from '../../src/pipeline/echo.ts';
import { espeakClip, materialUnavailable } from '../audio/material.ts';
import { RATE } from './room.ts';

const SLICE = 160;
const FRAME = 512;
const energy = (xs: ArrayLike<number>, from = 0, to = xs.length) => {
  let sum = 0;
  for (let i = from; i < to; i++) sum += xs[i]! * xs[i]!;
  return sum;
};

describe('EchoCanceller', { skip: materialUnavailable() }, () => {
  it('keeps up when playback underruns and the echo moves in the middle of a frame', (t) => {
    const voice = espeakClip('Let me walk you through the problem before you start writing any code.').samples;
    // The interviewer's output believes its slices play back to back from t = 1000 ms; the
    // device starved after slice 150 and played the rest 25 ms later than that.
    const startMs = 1000;
    const stallAfter = 150 * SLICE;
    const stallSamples = 400;
    const echoDelay = 320;
    const canceller = new EchoCanceller();
    const mic = new Int16Array(voice.length + stallSamples + echoDelay + FRAME);
    for (let n = 0; n < voice.length; n++) mic[n + echoDelay + (n >= stallAfter ? stallSamples : 0)] = Math.round(voice[n]! * 0.5);

    const out = new Int16Array(mic.length);
    let written = 0;
    for (let start = 0; start + FRAME <= mic.length; start += FRAME) {
      // As the output does: the reference is written a little (40 ms) ahead of what is heard.
      for (; written < voice.length && written <= start + FRAME + 640; written += SLICE)
        canceller.played(voice.subarray(written, written + SLICE), startMs + (written * 1000) / RATE);
      const frame = mic.subarray(start, start + FRAME);
      out.set(canceller.cancel(frame, startMs + ((start + FRAME) * 1000) / RATE), start);
    }
    // Each frame around the stall, where the echo's delay jumps by 25 ms.
    const jumpAt = stallAfter + echoDelay;
    const worst = [-2, -1, 0, 1, 2].map((k) => {
      const from = (Math.floor(jumpAt / FRAME) + k) * FRAME;
      const left = energy(out, from, from + FRAME) / Math.max(1, energy(mic, from, from + FRAME));
      return 10 * Math.log10(Math.max(left, 1e-12));
    });
    const overall = 10 * Math.log10(energy(out) / energy(mic));
    t.diagnostic(`echo left around the stall ${worst.map((db) => db.toFixed(1)).join(', ')} dB; overall ${overall.toFixed(1)} dB`);
    assert.ok(Math.max(...worst) < -20, `echo left in the frames around the stall: ${worst.map((db) => db.toFixed(1)).join(', ')} dB`);
    assert.ok(overall < -30, `echo left overall: ${overall.toFixed(1)} dB`);
  });
});
