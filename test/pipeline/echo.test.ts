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

  // The output ran dry (the voice came late on a busy machine) and wrote its next slice as soon as
  // it came, saying it plays "now"; the device, or a process descheduled between the two clocks,
  // started it a little later: a fraction of a millisecond or tens of them.
  for (const lateSamples of [2, 5, 37, 560]) {
    it(`keeps up when playback resumes after running dry ${((lateSamples * 1000) / RATE).toFixed(1)} ms later than the output believed`, (t) => {
      const voice = espeakClip('Let me walk you through the problem before you start writing any code.').samples;
      const startMs = 1000;
      const canceller = new EchoCanceller();
      const echoDelay = 800;
      // Slices back to back, but for a gap of 67 samples after slice 120 and another of 300 after
      // slice 200; after each gap the device plays the slices `lateSamples` later than believed.
      const gaps = new Map([
        [120, 67],
        [200, 300],
      ]);
      const believed: number[] = [];
      const heard: number[] = [];
      let at = 0;
      let late = 0;
      for (let k = 0; k * SLICE < voice.length; k++) {
        const gap = gaps.get(k) ?? 0;
        if (gap > 0) late += lateSamples;
        at += gap;
        believed.push(at);
        heard.push(at + late);
        at += SLICE;
      }
      const mic = new Int16Array(at + late + echoDelay + 2 * FRAME);
      for (const [k, from] of heard.entries())
        for (let i = 0; i < SLICE && k * SLICE + i < voice.length; i++) mic[from + echoDelay + i] = Math.round(voice[k * SLICE + i]! * 0.5);
      const out = new Int16Array(mic.length);
      let written = 0;
      for (let start = 0; start + FRAME <= mic.length; start += FRAME) {
        for (; written < believed.length && believed[written]! <= start + FRAME + 640; written++)
          canceller.played(voice.subarray(written * SLICE, (written + 1) * SLICE), startMs + (believed[written]! * 1000) / RATE);
        out.set(canceller.cancel(mic.subarray(start, start + FRAME), startMs + ((start + FRAME) * 1000) / RATE), start);
      }
      const frames: number[] = [];
      for (let from = 0; from + FRAME <= mic.length; from += FRAME) {
        const e = energy(mic, from, from + FRAME);
        if (e > 100 * 100 * FRAME) frames.push(10 * Math.log10(Math.max(energy(out, from, from + FRAME) / e, 1e-12)));
      }
      const worst = Math.max(...frames);
      const overall = 10 * Math.log10(energy(out) / energy(mic));
      t.diagnostic(`worst frame ${worst.toFixed(1)} dB; overall ${overall.toFixed(1)} dB`);
      assert.ok(worst < -20, `echo left in the worst frame: ${worst.toFixed(1)} dB`);
      assert.ok(overall < -30, `echo left overall: ${overall.toFixed(1)} dB`);
    });
  }
});
