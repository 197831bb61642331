import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import { VettaError, errorMessage } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { SAMPLE_RATE } from '../core/pcm.js';

/**
 * Frame-level voice activity detection: tells a candidate's speech from their typing, a fan and
 * room noise. docs/vad.md says why the detector is Silero VAD v5 run by onnxruntime-web's WASM build.
 */
export interface VoiceActivityDetector {
  readonly name: string;
  /** Samples (16 kHz) in each frame that probability() takes. */
  readonly frameSamples: number;
  /** How likely the frame is speech, 0 to 1. Frames must come in order, one at a time: the model
   * remembers what it heard. */
  probability(frame: Int16Array): Promise<number>;
  /** Forgets what it heard, for a new stream. */
  reset(): void;
}

export const SILERO_MODEL = join(packageRoot(), 'models', 'silero_vad_v5.onnx');

type OrtModule = typeof import('onnxruntime-web');

const FRAME_SAMPLES = 512;
/** Silero v5 expects the last 64 samples of the previous frame in front of each frame; without
 * them it reports near-zero speech probability. */
const CONTEXT_SAMPLES = 64;

class SileroVad implements VoiceActivityDetector {
  readonly name = 'silero-v5';
  readonly frameSamples = FRAME_SAMPLES;
  private readonly input = new Float32Array(CONTEXT_SAMPLES + FRAME_SAMPLES);
  private readonly sampleRate: Tensor;
  private state!: Tensor;

  constructor(
    private readonly ort: OrtModule,
    private readonly session: InferenceSession,
  ) {
    this.sampleRate = new ort.Tensor('int64', BigInt64Array.from([BigInt(SAMPLE_RATE)]), []);
    this.reset();
  }

  async probability(frame: Int16Array): Promise<number> {
    if (frame.length !== FRAME_SAMPLES) throw new VettaError('internal', `Silero VAD takes frames of ${FRAME_SAMPLES} samples, got ${frame.length}`);
    this.input.copyWithin(0, FRAME_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++) this.input[CONTEXT_SAMPLES + i] = frame[i]! / 32768;
    const out = await this.session.run({
      input: new this.ort.Tensor('float32', this.input.slice(), [1, this.input.length]),
      state: this.state,
      sr: this.sampleRate,
    });
    this.state = out.stateN!;
    return (out.output!.data as Float32Array)[0]!;
  }

  reset(): void {
    this.input.fill(0);
    this.state = new this.ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  }
}

/** Sessions are stateless (the detector carries the model's state), so detectors share one. */
const sessions = new Map<string, Promise<{ ort: OrtModule; session: InferenceSession }>>();

async function openSession(modelPath: string): Promise<{ ort: OrtModule; session: InferenceSession }> {
  let ort: OrtModule;
  try {
    ort = await import('onnxruntime-web');
  } catch (error) {
    throw new VettaError(
      'provider',
      `voice activity detection is unavailable: onnxruntime-web did not load (${errorMessage(error).split('\n')[0]}); reinstall Vetta (npm install -g vetta), or use text mode`,
      { cause: error },
    );
  }
  // One thread: a 32 ms frame takes about half a millisecond, and threads would need workers.
  ort.env.wasm.numThreads = 1;
  let model: Buffer;
  try {
    model = await readFile(modelPath);
  } catch (error) {
    throw new VettaError(
      'provider',
      `voice activity detection is unavailable: cannot read its model ${modelPath} (${errorMessage(error).split('\n')[0]}); reinstall Vetta (npm install -g vetta), or use text mode`,
      { cause: error },
    );
  }
  try {
    return { ort, session: await ort.InferenceSession.create(model, { executionProviders: ['wasm'] }) };
  } catch (error) {
    throw new VettaError(
      'provider',
      `voice activity detection is unavailable: the model ${modelPath} did not load (${errorMessage(error).split('\n')[0]}); reinstall Vetta (npm install -g vetta), or use text mode`,
      { cause: error },
    );
  }
}

/**
 * The voice activity detector: Silero VAD v5. When it cannot load, the VettaError's one-line
 * message says so and what to do, so voice mode can fall back to text; there is no weaker detector
 * to fall back to silently.
 */
export async function loadVad(modelPath: string = SILERO_MODEL): Promise<VoiceActivityDetector> {
  let opening = sessions.get(modelPath);
  if (!opening) {
    opening = openSession(modelPath);
    sessions.set(modelPath, opening);
    opening.catch(() => sessions.delete(modelPath));
  }
  const { ort, session } = await opening;
  return new SileroVad(ort, session);
}

export interface SegmenterOptions {
  /** A frame this likely to be speech starts a segment. */
  onsetThreshold: number;
  /** Once started, frames at least this likely keep it going (hysteresis: lower than the onset). */
  offsetThreshold: number;
  /** Speech heard since the onset before the segment is confirmed as speech, not a cough or a thud. */
  confirmMs: number;
  /** Continuous non-speech after which the segment ends. */
  hangoverMs: number;
}

export const DEFAULT_SEGMENTER_OPTIONS: SegmenterOptions = { onsetThreshold: 0.5, offsetThreshold: 0.35, confirmMs: 200, hangoverMs: 500 };

/**
 * Events on the audio's own clock: `atMs` is the position in the audio (since the segmenter
 * started) at which the event became known, the end of the frame that decided it. Every
 * speech-start is followed by a speech-end; `confirmed` says whether speech-confirmed came between.
 */
export type SpeechEvent =
  | { type: 'speech-start'; atMs: number }
  | { type: 'speech-confirmed'; atMs: number }
  | { type: 'speech-end'; atMs: number; confirmed: boolean };

/**
 * Turns audio of any chunk size into speech events: frames it for the detector, then runs a
 * hysteresis state machine over the frames' probabilities. The turn-taking code ducks the
 * interviewer at speech-start and stops it at speech-confirmed.
 */
export class SpeechSegmenter {
  private readonly options: SegmenterOptions;
  private readonly frame: Int16Array;
  private filled = 0;
  private frames = 0;
  private state: 'silence' | 'onset' | 'speech' = 'silence';
  private speechMs = 0;
  private silenceMs = 0;
  /** Pushes run one after another: the detector must see frames in order. */
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly detector: VoiceActivityDetector,
    options: Partial<SegmenterOptions> = {},
  ) {
    this.options = { ...DEFAULT_SEGMENTER_OPTIONS, ...options };
    this.frame = new Int16Array(detector.frameSamples);
    detector.reset();
  }

  private get frameMs(): number {
    return (this.detector.frameSamples * 1000) / SAMPLE_RATE;
  }

  /** Feeds samples; resolves to the events they caused, in order. */
  push(samples: Int16Array): Promise<SpeechEvent[]> {
    const result = this.pending.then(() => this.process(samples));
    this.pending = result.catch(() => undefined);
    return result;
  }

  private async process(samples: Int16Array): Promise<SpeechEvent[]> {
    const events: SpeechEvent[] = [];
    let at = 0;
    while (at < samples.length) {
      const take = Math.min(samples.length - at, this.frame.length - this.filled);
      this.frame.set(samples.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled < this.frame.length) break;
      this.filled = 0;
      const probability = await this.detector.probability(this.frame);
      this.frames++;
      const event = this.step(probability);
      if (event) events.push(event);
    }
    return events;
  }

  private step(probability: number): SpeechEvent | null {
    const { onsetThreshold, offsetThreshold, confirmMs, hangoverMs } = this.options;
    const atMs = this.frames * this.frameMs;
    if (this.state === 'silence') {
      if (probability < onsetThreshold) return null;
      this.state = 'onset';
      this.speechMs = this.frameMs;
      this.silenceMs = 0;
      return { type: 'speech-start', atMs };
    }
    if (probability >= offsetThreshold) {
      this.speechMs += this.frameMs;
      this.silenceMs = 0;
      if (this.state === 'onset' && this.speechMs >= confirmMs) {
        this.state = 'speech';
        return { type: 'speech-confirmed', atMs };
      }
      return null;
    }
    this.silenceMs += this.frameMs;
    if (this.silenceMs < hangoverMs) return null;
    const confirmed = this.state === 'speech';
    this.state = 'silence';
    return { type: 'speech-end', atMs, confirmed };
  }

  /** Starts over on a new stream: the clock, the state machine and the detector's memory. */
  reset(): void {
    this.filled = 0;
    this.frames = 0;
    this.state = 'silence';
    this.detector.reset();
  }
}

/** Speech events from a stream of audio chunks, until the audio ends or the signal aborts. */
export async function* detectSpeech(
  audio: AsyncIterable<Int16Array>,
  detector: VoiceActivityDetector,
  options: Partial<SegmenterOptions> = {},
  signal?: AbortSignal,
): AsyncGenerator<SpeechEvent> {
  const segmenter = new SpeechSegmenter(detector, options);
  for await (const chunk of audio) {
    if (signal?.aborted) return;
    yield* await segmenter.push(chunk);
  }
}
