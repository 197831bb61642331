/**
 * node --import tsx bench/pocketsphinx.bench.ts: the offline recognizer on recorded speech.
 * - Accuracy: word error rate on the eleven transcribed clips of pocketsphinx-testdata.
 * - Speed: wall time to recognize audio handed over at once (process start and model load
 *   included), for 3 s to 60 s of speech; median of three runs.
 * - Latency: "go forward ten meters" fed at the microphone's pace in 20 ms frames; the time from
 *   the end of the speech to its final, with END_OF_SPEECH sent there and without (pocketsphinx's
 *   own VAD then waits for 0.5 s of quiet); median of five runs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PocketsphinxStt } from '../src/providers/pocketsphinx/stt.ts';
import { END_OF_SPEECH } from '../src/providers/spec.ts';
import type { RecognizerInput } from '../src/providers/spec.ts';
import { concat, silence } from '../test/audio/material.ts';
import { transcribedClips, wordErrorRate } from '../test/providers/transcribed-clips.ts';

const recognizer = PocketsphinxStt.detect();
if (typeof recognizer === 'string') {
  console.error(recognizer);
  process.exit(1);
}
const clips = transcribedClips();
const median = (values: number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function* atOnce(audio: Int16Array): AsyncGenerator<RecognizerInput> {
  yield audio;
}

async function finalTexts(audio: Int16Array): Promise<string[]> {
  const texts: string[] = [];
  for await (const event of recognizer.transcribe(atOnce(audio))) if (event.type === 'transcript-final') texts.push(event.text);
  return texts;
}

let errors = 0;
let words = 0;
for (const group of ['goforward', 'sense_and_sensibility', '0']) {
  let groupErrors = 0;
  let groupWords = 0;
  for (const clip of clips.filter((c) => c.name.startsWith(group))) {
    const rate = wordErrorRate(clip.transcript, (await finalTexts(clip.samples)).join(' '));
    groupErrors += rate.errors;
    groupWords += rate.words;
  }
  errors += groupErrors;
  words += groupWords;
  const label = { goforward: 'AN4 "go forward ten meters"', sense_and_sensibility: 'LibriVox, 5 sentences', '0': 'cards, 5 clips' }[group];
  console.log(`WER ${label}: ${((100 * groupErrors) / groupWords).toFixed(1)}% (${groupErrors}/${groupWords} words)`);
}
console.log(`WER all 11 clips: ${((100 * errors) / words).toFixed(1)}% (${errors}/${words} words)`);

// Read speech back to back with 0.5 s between sentences, cut to length.
const pause = silence(500);
const speech = concat(...clips.flatMap((c) => [c.samples, pause]));
for (const seconds of [3, 7, 15, 30, 60]) {
  const repeats = Math.ceil((seconds * 16_000) / speech.length);
  const audio = concat(...Array.from({ length: repeats }, () => speech)).subarray(0, seconds * 16_000);
  const runs: number[] = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    await finalTexts(audio);
    runs.push(performance.now() - started);
  }
  const wallMs = median(runs);
  console.log(`${String(seconds).padStart(2)} s of speech at once: ${wallMs.toFixed(0)} ms (${(wallMs / (seconds * 1000)).toFixed(2)} x real time)`);
}

/** Feeds `audio` at real-time pace; returns ms from the end of the speech to the first final. */
async function latencyMs(withEndOfSpeech: boolean): Promise<number> {
  const clip = clips.find((c) => c.name === 'goforward.raw')!;
  const audio = concat(clip.samples.subarray(0, clip.endSample), silence(3000));
  let speechEndedAt = 0;
  let finalAt = 0;
  async function* paced(): AsyncGenerator<RecognizerInput> {
    const started = performance.now();
    for (let at = 0; at < audio.length && finalAt === 0; at += 320) {
      const due = started + (at * 1000) / 16_000;
      if (due > performance.now()) await sleep(due - performance.now());
      if (at === clip.endSample - (clip.endSample % 320)) {
        speechEndedAt = performance.now();
        if (withEndOfSpeech) yield END_OF_SPEECH;
      }
      yield audio.subarray(at, at + 320);
    }
  }
  for await (const event of recognizer.transcribe(paced())) if (event.type === 'transcript-final' && finalAt === 0) finalAt = performance.now();
  return finalAt - speechEndedAt;
}

for (const withEndOfSpeech of [true, false]) {
  const runs: number[] = [];
  for (let run = 0; run < 5; run++) runs.push(await latencyMs(withEndOfSpeech));
  console.log(
    `end of speech -> final, ${withEndOfSpeech ? 'END_OF_SPEECH sent' : "pocketsphinx's own VAD"}: median ${median(runs).toFixed(0)} ms (${runs.map((r) => r.toFixed(0)).join(', ')})`,
  );
}
