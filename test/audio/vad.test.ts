import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { SpeechSegmenter, detectSpeech, loadVad } from '../../src/audio/vad.ts';
import type { SpeechEvent, VoiceActivityDetector } from '../../src/audio/vad.ts';
import { VettaError } from '../../src/core/errors.ts';
import { tempDir } from '../helpers.ts';
import {
  ESPEAK_SENTENCES,
  RECORDED_CLIPS,
  beginsWithFricative,
  concat,
  espeakClip,
  materialUnavailable,
  mix,
  recordedClip,
  silence,
  typingInARoom,
} from './material.ts';
import type { SpeechClip } from './material.ts';

const LEAD_MS = 1000;
const ONSET_GOAL_MS = 100;
/** Silero needs about 100 ms of a voiceless fricative ("So", "had") before it calls it speech; the
 * goal holds for every other onset. docs/vad.md has the figures. */
const FRICATIVE_ONSET_LIMIT_MS = 150;
/** Over typing the goal is that speech is heard at all; typing masks the first sounds a little. */
const OVER_TYPING_ONSET_LIMIT_MS = 200;
const ms = (samples: number) => (samples * 1000) / 16000;

/** Pushes the audio in 20 ms chunks, as a microphone delivers it. */
async function segment(vad: VoiceActivityDetector, audio: Int16Array): Promise<SpeechEvent[]> {
  const segmenter = new SpeechSegmenter(vad);
  const events: SpeechEvent[] = [];
  for (let i = 0; i < audio.length; i += 320) events.push(...(await segmenter.push(audio.subarray(i, i + 320))));
  return events;
}

interface Heard {
  clip: SpeechClip;
  onsetMs: number;
  endMs: number;
  events: SpeechEvent[];
}

function onsetLimit(clip: SpeechClip): number {
  return beginsWithFricative(clip) ? FRICATIVE_ONSET_LIMIT_MS : ONSET_GOAL_MS;
}

describe('Silero voice activity detection', { skip: materialUnavailable() }, () => {
  let vad: VoiceActivityDetector;
  let clips: SpeechClip[];
  let room: Int16Array;
  const clean: Heard[] = [];

  before(async () => {
    vad = await loadVad();
    clips = [...Object.keys(RECORDED_CLIPS).map(recordedClip), ...ESPEAK_SENTENCES.map((s) => espeakClip(s))];
    room = typingInARoom(60);
    for (const clip of clips) {
      const events = await segment(vad, concat(silence(LEAD_MS), clip.samples, silence(1500)));
      clean.push({ clip, onsetMs: LEAD_MS + ms(clip.onsetSample), endMs: LEAD_MS + ms(clip.endSample), events });
    }
  });

  it('detects the onset of clean speech within 100 ms (150 ms after a voiceless fricative), recorded and synthetic', (t) => {
    for (const { clip, onsetMs, events } of clean) {
      const start = events.find((e) => e.type === 'speech-start');
      assert.ok(start, `${clip.name}: no speech-start`);
      const latencyMs = start.atMs - onsetMs;
      t.diagnostic(`onset latency ${clip.name}: ${latencyMs.toFixed(0)} ms`);
      assert.ok(start.atMs > LEAD_MS, `${clip.name}: speech-start at ${start.atMs} ms, in the silence before the speech`);
      assert.ok(latencyMs <= onsetLimit(clip), `${clip.name}: onset detected ${latencyMs.toFixed(0)} ms after it began`);
    }
  });

  it('confirms each utterance once and ends it after the speech ends', (t) => {
    for (const { clip, endMs, events } of clean) {
      assert.deepEqual(
        events.map((e) => e.type),
        ['speech-start', 'speech-confirmed', 'speech-end'],
        `${clip.name}: ${JSON.stringify(events)}`,
      );
      const end = events[2] as Extract<SpeechEvent, { type: 'speech-end' }>;
      t.diagnostic(`speech-end ${clip.name}: ${(end.atMs - endMs).toFixed(0)} ms after the speech ended`);
      assert.equal(end.confirmed, true);
      assert.ok(end.atMs >= endMs, `${clip.name}: speech-end at ${end.atMs} ms, before the speech ended at ${endMs} ms`);
      assert.ok(end.atMs <= endMs + 1500, `${clip.name}: speech-end ${end.atMs - endMs} ms after the speech ended`);
    }
  });

  it('does not trigger on 60 s of typing with a fan, mains hum and pink noise', async (t) => {
    const events = await segment(vad, room);
    t.diagnostic(`false triggers on 60 s of typing and noise: ${events.filter((e) => e.type === 'speech-start').length}`);
    assert.deepEqual(events, []);
  });

  it('hears speech over typing', async (t) => {
    for (const clip of clips) {
      // Speech starts 5 s into the typing, which goes on under it and after it.
      const atSample = 5 * 16000;
      const audio = mix(room.subarray(0, atSample + clip.samples.length + 3 * 16000), clip.samples, 1, atSample);
      const onsetMs = ms(atSample + clip.onsetSample);
      const events = await segment(vad, audio);
      const start = events.find((e) => e.type === 'speech-start');
      assert.ok(start, `${clip.name}: no speech-start over typing`);
      t.diagnostic(`onset latency over typing ${clip.name}: ${(start.atMs - onsetMs).toFixed(0)} ms`);
      assert.ok(
        start.atMs > ms(atSample) && start.atMs - onsetMs <= OVER_TYPING_ONSET_LIMIT_MS,
        `${clip.name}: speech-start at ${start.atMs} ms, speech began at ${onsetMs} ms`,
      );
      assert.ok(
        events.some((e) => e.type === 'speech-confirmed'),
        `${clip.name}: never confirmed over typing`,
      );
      const end = events.findLast((e) => e.type === 'speech-end');
      assert.ok(end && end.atMs >= ms(atSample + clip.endSample), `${clip.name}: no speech-end after the speech`);
    }
  });

  it('gives the same events however the audio is chunked', async () => {
    const audio = concat(silence(LEAD_MS), clips[0]!.samples, silence(1500));
    const segmenter = new SpeechSegmenter(vad);
    const whole = await segmenter.push(audio);
    const chunked = new SpeechSegmenter(vad);
    const pieces: Promise<SpeechEvent[]>[] = [];
    // Uneven chunks pushed without waiting: the segmenter must keep them in order.
    for (let i = 0, size = 1; i < audio.length; i += size, size = (size * 7 + 3) % 1500) pieces.push(chunked.push(audio.subarray(i, i + size)));
    assert.deepEqual((await Promise.all(pieces)).flat(), whole);
  });
});

/** A detector that reports scripted probabilities, to pin down the segmenter's state machine. */
function scripted(probabilities: number[]): VoiceActivityDetector {
  let next = 0;
  return { name: 'scripted', frameSamples: 512, probability: async () => probabilities[next++] ?? 0, reset: () => undefined };
}

describe('SpeechSegmenter', () => {
  it('ducks on a short sound, then lets go without confirming it', async () => {
    // A 64 ms thud: two loud frames, then quiet for longer than the hangover.
    const events = await new SpeechSegmenter(scripted([0, 0.9, 0.9, ...Array(20).fill(0.1)])).push(new Int16Array(512 * 23));
    assert.deepEqual(events, [
      { type: 'speech-start', atMs: 64 },
      { type: 'speech-end', atMs: 608, confirmed: false },
    ]);
  });

  it('keeps speech going through dips between the two thresholds and short pauses', async () => {
    const probabilities = [0.8, ...Array(10).fill(0.4), ...Array(10).fill(0.1), ...Array(5).fill(0.9), ...Array(20).fill(0.05)];
    const events = await new SpeechSegmenter(scripted(probabilities)).push(new Int16Array(512 * probabilities.length));
    assert.deepEqual(
      events.map((e) => e.type),
      ['speech-start', 'speech-confirmed', 'speech-end'],
    );
  });
});

describe('detectSpeech', () => {
  it('yields the events of a stream of chunks, and stops quietly when aborted', async () => {
    const probabilities = [0, 0.9, ...Array(10).fill(0.9), ...Array(20).fill(0)];
    async function* microphone() {
      for (let i = 0; i < probabilities.length; i++) yield new Int16Array(512);
    }
    const events: SpeechEvent[] = [];
    for await (const event of detectSpeech(microphone(), scripted(probabilities))) events.push(event);
    assert.deepEqual(
      events.map((e) => e.type),
      ['speech-start', 'speech-confirmed', 'speech-end'],
    );
    const controller = new AbortController();
    const heard: SpeechEvent[] = [];
    for await (const event of detectSpeech(microphone(), scripted(probabilities), {}, controller.signal)) {
      heard.push(event);
      controller.abort();
    }
    assert.deepEqual(heard, [{ type: 'speech-start', atMs: 64 }]);
  });
});

describe('loadVad', () => {
  it('says in one line what to do when the model cannot load', async () => {
    const broken = join(tempDir(), 'silero_vad_v5.onnx');
    writeFileSync(broken, 'not an ONNX model');
    for (const path of [join(tempDir(), 'missing.onnx'), broken]) {
      await assert.rejects(loadVad(path), (error: unknown) => {
        assert.ok(error instanceof VettaError);
        assert.match(error.message, /^voice activity detection is unavailable: .*reinstall Vetta .*or use text mode$/);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      });
    }
  });
});
