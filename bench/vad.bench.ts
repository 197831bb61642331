/**
 * node --import tsx bench/vad.bench.ts: what voice activity detection costs. The time to load
 * Silero VAD (first load in the process), and the median time per 32 ms frame over 60 s of typing
 * in a room, five passes. Onset latency and false triggers are in test/audio/vad.test.ts.
 */
import { loadVad } from '../src/audio/vad.ts';
import { typingInARoom } from '../test/audio/material.ts';

const started = performance.now();
const vad = await loadVad();
const loadMs = performance.now() - started;
const audio = typingInARoom(60);
const frames = Math.floor(audio.length / vad.frameSamples);
const passes: number[] = [];
for (let pass = 0; pass < 5; pass++) {
  vad.reset();
  const t = performance.now();
  for (let f = 0; f < frames; f++) await vad.probability(audio.subarray(f * vad.frameSamples, (f + 1) * vad.frameSamples));
  passes.push((performance.now() - t) / frames);
}
const perFrameMs = passes.sort((a, b) => a - b)[2]!;
const frameMs = (vad.frameSamples * 1000) / 16000;
console.log(
  `${vad.name}: load ${loadMs.toFixed(0)} ms; ${perFrameMs.toFixed(3)} ms per ${frameMs} ms frame (${((100 * perFrameMs) / frameMs).toFixed(1)}% of one core), median of 5 passes over ${frames} frames`,
);
