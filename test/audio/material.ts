import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { concatPcm, SAMPLE_RATE, toInt16 } from '../../src/core/pcm.ts';
import { WavStreamReader } from '../../src/core/wav.ts';
import { mulberry32 } from '../../src/problems/generators.ts';
import { findOnPath } from '../../src/core/find-on-path.ts';

/**
 * Audio for testing voice activity detection, all 16 kHz mono s16le: real recorded speech from
 * Debian's pocketsphinx-testdata, synthetic speech from espeak-ng, and the sounds of a candidate who
 * types through the interview (keystrokes, fan, mains hum, pink noise). Everything is derived at
 * test time and deterministic: sox's noise runs with -R, the keystrokes come from a seeded PRNG.
 */
export const POCKETSPHINX_DATA = '/usr/share/pocketsphinx/test/data';

export function materialUnavailable(): string | false {
  if (!existsSync(POCKETSPHINX_DATA)) return 'pocketsphinx-testdata is not installed (apt-get install pocketsphinx-testdata)';
  for (const tool of ['sox', 'espeak-ng']) if (!findOnPath(tool, process.env, ['/usr/bin'])) return `${tool} is not installed (apt-get install ${tool})`;
  return false;
}

export interface SpeechClip {
  name: string;
  /** What is said, as far as known. */
  text: string;
  samples: Int16Array;
  /** Where speech begins in `samples` (see speechOnset). */
  onsetSample: number;
  /** Where speech ends in `samples`. */
  endSample: number;
}

/** Recorded read speech, with the words it begins with: LibriVox (Sense and Sensibility), AN4 and
 * the cards set (their transcriptions are beside the clips). */
export const RECORDED_CLIPS: Record<string, string> = {
  'librivox/sense_and_sensibility_01_austen_64kb-0870.wav': 'and mister john dashwood',
  'librivox/sense_and_sensibility_01_austen_64kb-0880.wav': 'he was not an ill disposed young man',
  'librivox/sense_and_sensibility_01_austen_64kb-0890.wav': 'unless to be rather cold hearted',
  'librivox/sense_and_sensibility_01_austen_64kb-0920.wav': 'had he married a more amiable woman',
  'librivox/sense_and_sensibility_01_austen_64kb-0930.wav': 'he might even have been made amiable himself',
  'goforward.raw': 'go forward ten meters',
  'numbers.raw': '',
  'something.raw': 'something',
  'cards/001.wav': 'ten of clubs',
  'cards/005.wav': 'eight of spades four of clubs seven of hearts',
};

export const ESPEAK_SENTENCES = [
  'I think a hash map gives us linear time here.',
  'So, what if the input array is empty?',
  'Okay. Let me walk through the second example.',
];

export function recordedClip(relativePath: string): SpeechClip {
  const text = RECORDED_CLIPS[relativePath] ?? '';
  const bytes = readFileSync(join(POCKETSPHINX_DATA, relativePath));
  // The AN4 clips are headerless 16 kHz s16le; the others are WAV at 16 kHz.
  let pcm = bytes;
  if (relativePath.endsWith('.wav')) {
    const reader = new WavStreamReader();
    pcm = reader.push(bytes);
    const format = reader.format;
    if (!format || format.sampleRate !== SAMPLE_RATE || format.channels !== 1 || format.bitsPerSample !== 16)
      throw new Error(`${relativePath}: expected 16 kHz mono 16-bit, got ${JSON.stringify(format)}`);
  }
  return clip(relativePath.replace(/^.*\//, ''), text, toInt16(pcm));
}

export function espeakClip(text: string, voice = 'en-us'): SpeechClip {
  const wav = execFileSync('espeak-ng', ['--stdout', '-v', voice, '-s', '170', '--', text], { maxBuffer: 64 << 20 });
  return clip(`espeak "${text.slice(0, 24)}..."`, text, sox(['-t', 'wav', '-', ...RAW_OUT], wav));
}

function clip(name: string, text: string, samples: Int16Array): SpeechClip {
  const { onsetSample, endSample } = speechExtent(samples);
  return { name, text, samples, onsetSample, endSample };
}

/** Speech that begins with a voiceless fricative (s, h, f, th): quiet, noise-like, slow to tell
 * from noise for any detector. */
export function beginsWithFricative(clip: SpeechClip): boolean {
  return /^(s|h|f|th)/i.test(clip.text);
}

const WINDOW = SAMPLE_RATE / 100;

function windowRms(samples: Int16Array, start: number): number {
  let sum = 0;
  for (let i = start; i < start + WINDOW; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / WINDOW);
}

/**
 * The true start and end of speech on a clean clip: the first (last) 10 ms window whose level is
 * three times the clip's own background level and stays up for at least three of the next five
 * windows, so a single click of the recording's noise does not count. The background is the level
 * of the clip's quietest tenth (espeak's pauses are digital silence, so -50 dBFS stands in).
 */
export function speechExtent(samples: Int16Array): { onsetSample: number; endSample: number } {
  const levels: number[] = [];
  for (let i = 0; i + WINDOW <= samples.length; i += WINDOW) levels.push(windowRms(samples, i));
  const sorted = levels.toSorted((a, b) => a - b);
  const threshold = Math.max(3 * sorted[Math.floor(sorted.length / 10)]!, 32768 * 10 ** (-50 / 20));
  const sustained = (w: number, step: number) => {
    let up = 0;
    for (let k = 1; k <= 5; k++) if ((levels[w + k * step] ?? 0) > threshold) up++;
    return levels[w]! > threshold && up >= 3;
  };
  const first = levels.findIndex((_, w) => sustained(w, 1));
  let last = levels.length - 1;
  while (last > first && !sustained(last, -1)) last--;
  if (first < 0) throw new Error('no speech found in clip');
  return { onsetSample: first * WINDOW, endSample: (last + 1) * WINDOW };
}

export function silence(ms: number): Int16Array {
  return new Int16Array(Math.round((ms * SAMPLE_RATE) / 1000));
}

export function concat(...parts: Int16Array[]): Int16Array {
  return concatPcm(parts);
}

/** Adds `b` (times `gain`) onto `a` from sample `offset`, clipping at full scale. */
export function mix(a: Int16Array, b: Int16Array, gain = 1, offset = 0): Int16Array {
  const out = Int16Array.from(a);
  for (let i = 0; i < b.length && offset + i < out.length; i++)
    out[offset + i] = Math.max(-32768, Math.min(32767, Math.round(out[offset + i]! + gain * b[i]!)));
  return out;
}

const RAW_OUT = ['-t', 'raw', '-r', String(SAMPLE_RATE), '-e', 'signed', '-b', '16', '-c', '1', '-'];

function sox(args: string[], input?: Buffer): Int16Array {
  return toInt16(execFileSync('sox', ['-R', '-V1', ...args], { input, maxBuffer: 64 << 20 }));
}

export type NoiseKind = 'fan' | 'hum' | 'pink' | 'brown';

/**
 * Room noise from sox: a fan (low-passed brown noise with a slow beat), mains hum with its
 * harmonics, pink and brown noise. `dbfs` is the level of the loudest part.
 */
export function noise(kind: NoiseKind, seconds: number, dbfs = -30): Int16Array {
  const synth: Record<NoiseKind, string[]> = {
    fan: ['synth', String(seconds), 'brownnoise', 'lowpass', '300', 'tremolo', '3', '30'],
    hum: ['synth', String(seconds), 'sine', '50', 'sine', '100', 'sine', '150', 'remix', '1-3'],
    pink: ['synth', String(seconds), 'pinknoise'],
    brown: ['synth', String(seconds), 'brownnoise'],
  };
  return sox(['-n', ...RAW_OUT, ...synth[kind], 'norm', String(dbfs)]);
}

/**
 * A keystroke: a sharp broadband click ringing at the key's resonance (a band-passed noise burst
 * with a 1-3 ms decay), then the key's release a little later and quieter. Space and enter are
 * lower and longer.
 */
function addKeystroke(out: Float32Array, at: number, rand: () => number, peak: number): void {
  const wide = rand() < 0.15;
  const centre = wide ? 400 + rand() * 400 : 1500 + rand() * 3000;
  const decay = (wide ? 4 : 1 + rand() * 2) * (SAMPLE_RATE / 1000);
  for (const [start, level] of [
    [at, peak],
    [at + Math.round((0.06 + rand() * 0.07) * SAMPLE_RATE), peak * (0.3 + rand() * 0.3)],
  ] as const) {
    // Two-pole resonator driven by white noise.
    const r = 0.97;
    const c = 2 * r * Math.cos((2 * Math.PI * centre) / SAMPLE_RATE);
    let y1 = 0;
    let y2 = 0;
    const length = Math.round(decay * 8);
    for (let i = 0; i < length && start + i < out.length; i++) {
      const x = (rand() * 2 - 1) * Math.exp(-i / decay);
      const y = x + c * y1 - r * r * y2;
      y2 = y1;
      y1 = y;
      out[start + i]! += level * y * 0.15;
    }
  }
}

/**
 * Typing as in a coding interview: bursts of 3-25 keys at 4-10 keys a second, pauses of 0.3-3 s
 * between bursts, keystroke peaks between -20 and -6 dBFS (a laptop keyboard next to its microphone).
 */
export function typing(seconds: number, seed = 1): Int16Array {
  const rand = mulberry32(seed);
  const out = new Float32Array(Math.round(seconds * SAMPLE_RATE));
  let t = 0.2;
  while (t < seconds) {
    const keys = 3 + Math.floor(rand() * 23);
    const rate = 4 + rand() * 6;
    for (let k = 0; k < keys && t < seconds; k++) {
      addKeystroke(out, Math.round(t * SAMPLE_RATE), rand, 32768 * 10 ** ((-20 + rand() * 14) / 20));
      t += (1 / rate) * (0.6 + rand() * 0.8);
    }
    t += 0.3 + rand() * 2.7;
  }
  return Int16Array.from(out, (x) => Math.max(-32768, Math.min(32767, Math.round(x))));
}

/** Sixty seconds (by default) of a candidate typing in a room with a fan, hum and pink noise. */
export function typingInARoom(seconds = 60): Int16Array {
  let room = typing(seconds, 7);
  for (const [kind, dbfs] of [
    ['fan', -35],
    ['hum', -45],
    ['pink', -50],
  ] as const)
    room = mix(room, noise(kind, seconds, dbfs));
  return room;
}
