import { SAMPLE_RATE } from '../core/pcm.js';
import { DEFAULT_SEGMENTER_OPTIONS, SpeechSegmenter } from '../audio/vad.js';
import type { SegmenterOptions, SpeechEvent, VoiceActivityDetector } from '../audio/vad.js';
import { END_OF_SPEECH } from '../providers/spec.js';
import type { RecognizerInput, SpeechRecognizer, TranscriptEvent } from '../providers/spec.js';
import { AsyncQueue } from '../core/async-queue.js';
import type { EchoCanceller } from './echo.js';
import type { InterruptionMarks, TurnMarks } from './metrics.js';
import type { InterruptedAt, SpeechMarks, SpokenOutput } from './spoken-output.js';
import { DEFAULT_ENDPOINTING, endpointingDelayMs, isBackchannel, soundsUnfinished } from './turn-detection.js';
import type { EndpointingOptions } from './turn-detection.js';

export interface BargeInOptions {
  /**
   * Voiced audio after which the interviewer pauses (silent, keeping its place) even without the
   * VAD's onset: speech again within a segment, or speech the detector is less sure of.
   */
  pauseAfterMs: number;
  /** Quiet after an unconfirmed onset after which the interviewer carries on at full volume. */
  releaseMs: number;
}

export const DEFAULT_BARGE_IN: BargeInOptions = { pauseAfterMs: 64, releaseMs: 160 };

/** The segmenter for turn-taking: a shorter hangover than the VAD's default, since the endpointing delay decides the turn. */
export const TURN_SEGMENTER: Partial<SegmenterOptions> = { hangoverMs: 300 };

export interface VoiceTurnTakerOptions {
  detector: VoiceActivityDetector;
  /** Without one, utterances have no text (the candidate types instead). */
  recognizer?: SpeechRecognizer | null;
  /** The interviewer's voice, for barge-in. */
  output?: SpokenOutput | null;
  /** Removes the interviewer's voice from the microphone; fed by the output's `onPlayed`. */
  echo?: EchoCanceller | null;
  segmenter?: Partial<SegmenterOptions>;
  endpointing?: Partial<EndpointingOptions>;
  bargeIn?: Partial<BargeInOptions>;
  /** How long after the voice ended to wait for the recognizer's final transcript before going on without it. */
  finalTimeoutMs?: number;
  now?: () => number;
  /** Each frame as the recognizer hears it (the interviewer's echo removed): what a recording keeps,
   *  so that hearing it again later hears the same sound. */
  onHeard?: (frame: Int16Array) => void;
}

/** What the candidate said, and when. */
export interface CandidateUtterance {
  text: string;
  /** Plainly unfinished when it ended (it waited the long endpointing delay). */
  unfinished: boolean;
  /** When the candidate's voice began (performance.now() ms). */
  startedAt: number;
  /**
   * Where the voice began and ended in the microphone's audio (ms since its first sample): the
   * clock of a recording's audio, which wall times drift from when frames come late and in bursts.
   */
  audio: { startMs: number; endMs: number };
  marks: Pick<TurnMarks, 'speechEndedAt' | 'sttFinalAt' | 'endpointedAt'>;
}

export type TurnEvent =
  | { type: 'speech-started'; at: number }
  | { type: 'transcript-partial'; text: string }
  /**
   * The voice has stopped and the recognizer has heard all of it: the candidate has probably said
   * `text`, though the turn is not decided yet (preemptive generation may start the reply now; the
   * `utterance` that follows may differ).
   */
  | { type: 'likely-utterance'; text: string }
  | { type: 'utterance'; utterance: CandidateUtterance }
  /** Confirmed barge-in: the interviewer was stopped where `interruptedAt` says. */
  | { type: 'interrupted'; interruptedAt: InterruptedAt | null; marks: InterruptionMarks }
  /** An onset that was not confirmed (a cough, a click, "mm-hm"): the interviewer carried on. */
  | { type: 'resumed'; marks: InterruptionMarks };

/** The interviewer's turn marks and the utterance it answered, as one timeline. */
export function turnTimeline(utterance: CandidateUtterance, speech: SpeechMarks): TurnMarks {
  return {
    ...utterance.marks,
    llmStartedAt: speech.startedAt,
    llmFirstTextAt: speech.firstTextAt,
    ttsStartedAt: speech.ttsStartedAt,
    ttsFirstAudioAt: speech.ttsFirstAudioAt,
    firstSampleAt: speech.firstSampleAt,
  };
}

/**
 * Maps microphone samples to performance.now(): frames arrive in bursts, late by a varying amount;
 * the earliest any frame arrived, less its position, is the best estimate of when sample 0 was heard.
 */
class MicClock {
  private samples = 0;
  private anchor = Infinity;

  constructor(private readonly now: () => number) {}

  /** A frame arrived; returns when its last sample was captured. */
  frame(length: number): number {
    this.samples += length;
    this.anchor = Math.min(this.anchor, this.now() - (this.samples * 1000) / SAMPLE_RATE);
    return this.at((this.samples * 1000) / SAMPLE_RATE);
  }

  /** performance.now() of a position in the audio (ms since the first sample). */
  at(audioMs: number): number {
    return this.anchor + audioMs;
  }

  /** How much audio has been heard (ms since the first sample). */
  heardMs(): number {
    return (this.samples * 1000) / SAMPLE_RATE;
  }
}

/** Passes the detector's probabilities on, frame by frame, to whoever listens. */
class TappedDetector implements VoiceActivityDetector {
  readonly name: string;
  readonly frameSamples: number;
  onFrame: (probability: number) => void = () => {};

  constructor(private readonly inner: VoiceActivityDetector) {
    this.name = inner.name;
    this.frameSamples = inner.frameSamples;
  }

  async probability(frame: Int16Array): Promise<number> {
    const p = await this.inner.probability(frame);
    this.onFrame(p);
    return p;
  }

  reset(): void {
    this.inner.reset();
  }
}

interface BargeIn {
  marks: InterruptionMarks;
  voicedMs: number;
  quietMs: number;
  paused: boolean;
}

/**
 * Real-time turn-taking on the candidate's side. Microphone frames go through the echo canceller,
 * then to the VAD and the recognizer at once. From them it decides when the candidate has finished
 * (local VAD end-of-speech, or the recognizer's speech_final / UtteranceEnd, then an endpointing
 * delay that is longer when the words plainly go on) and emits the utterance.
 *
 * While the interviewer speaks the VAD keeps listening: the first frame that may be voice ducks the
 * output, the VAD's onset pauses it (silent at once, keeping its place), and confirmation (200 ms
 * of speech, or words that are not a backchannel) stops it, dropping its queue and aborting its
 * turn. An onset never confirmed gives the interviewer its voice back where it paused.
 */
export class VoiceTurnTaker {
  private readonly detector: TappedDetector;
  private readonly segmenterOptions: SegmenterOptions;
  private readonly endpointing: EndpointingOptions;
  private readonly bargeInOptions: BargeInOptions;
  private readonly finalTimeoutMs: number;
  private readonly now: () => number;
  private readonly clock: MicClock;
  private readonly events = new AsyncQueue<TurnEvent>();
  private recognizerInput: AsyncQueue<RecognizerInput> | null = null;

  private frames = 0;
  private lastVoicedMs = 0;
  private vadSpeaking = false;
  private bargeIn: BargeIn | null = null;

  // The utterance being heard.
  private parts: string[] = [];
  private startedAt: number | null = null;
  private speechEndedAt: number | null = null;
  /** The same two moments as positions in the audio. */
  private startedAtAudioMs: number | null = null;
  private speechEndedAtAudioMs: number | null = null;
  private sttFinalAt: number | null = null;
  private awaitingFinal = false;
  /** The recognizer's latest words since its last final. */
  private partial: string | null = null;
  /** How far into the audio (ms) the recognizer has heard. */
  private heardToMs = 0;
  private likelyText: string | null = null;
  /** Heard while the interviewer spoke and not (yet) an interruption: a lone "mm-hm" is dropped. */
  private overInterviewer = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: VoiceTurnTakerOptions) {
    this.detector = new TappedDetector(options.detector);
    this.segmenterOptions = { ...DEFAULT_SEGMENTER_OPTIONS, ...TURN_SEGMENTER, ...options.segmenter };
    this.endpointing = { ...DEFAULT_ENDPOINTING, ...options.endpointing };
    this.bargeInOptions = { ...DEFAULT_BARGE_IN, ...options.bargeIn };
    this.finalTimeoutMs = options.finalTimeoutMs ?? 1_500;
    this.now = options.now ?? (() => performance.now());
    this.clock = new MicClock(this.now);
  }

  /** Listens to the microphone until it ends or the signal aborts (quietly); yields what happened. */
  /** How much of the microphone's audio has been heard, in ms since its first sample. */
  heardMs(): number {
    return Math.round(this.clock.heardMs());
  }

  async *run(microphone: AsyncIterable<Int16Array>, signal?: AbortSignal): AsyncGenerator<TurnEvent> {
    const onAbort = () => this.events.end();
    signal?.addEventListener('abort', onAbort, { once: true });
    const listening = this.listen(microphone, signal);
    try {
      yield* this.events;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(this.timer);
      this.recognizerInput?.end();
      await listening.catch(() => {});
    }
  }

  private async listen(microphone: AsyncIterable<Int16Array>, signal?: AbortSignal): Promise<void> {
    const { recognizer } = this.options;
    let recognizing: Promise<void> = Promise.resolve();
    if (recognizer) {
      const input = new AsyncQueue<RecognizerInput>();
      this.recognizerInput = input;
      recognizing = (async () => {
        for await (const event of recognizer.transcribe(input, signal)) this.transcribed(event);
      })();
    }
    try {
      const segmenter = new SpeechSegmenter(this.detector, this.segmenterOptions);
      const frameMs = (this.detector.frameSamples * 1000) / SAMPLE_RATE;
      this.detector.onFrame = (p) => this.frameHeard(p, frameMs);
      for await (const frame of microphone) {
        if (signal?.aborted) break;
        const capturedAt = this.clock.frame(frame.length);
        const clean = this.options.echo ? this.options.echo.cancel(frame, capturedAt) : frame;
        this.options.onHeard?.(clean);
        this.recognizerInput?.push(clean);
        for (const event of await segmenter.push(clean)) this.voiceActivity(event);
      }
      this.recognizerInput?.end();
      await recognizing;
      if (!signal?.aborted) this.decide(true);
      this.events.end();
    } catch (error) {
      this.recognizerInput?.end();
      this.events.end(error);
    }
  }

  /** Every VAD frame, in order, before the segmenter's events for it. */
  private frameHeard(probability: number, frameMs: number): void {
    this.frames++;
    const voiced = probability >= this.segmenterOptions.offsetThreshold;
    if (voiced) this.lastVoicedMs = this.frames * frameMs;
    this.likelyDone(frameMs);
    const barge = this.bargeIn;
    if (!barge) {
      // The first frame that may be voice ducks the interviewer, a frame or more before the VAD's
      // onset; also speech again within a segment whose onset was released (a breath before the
      // words), for which the segmenter raises no second onset.
      if (voiced) this.startBargeIn(this.clock.at(this.frames * frameMs));
      return;
    }
    if (voiced) {
      barge.voicedMs += frameMs;
      barge.quietMs = 0;
    } else barge.quietMs += frameMs;
    if (barge.voicedMs >= this.bargeInOptions.pauseAfterMs) this.pauseInterviewer();
    if (barge.quietMs >= this.bargeInOptions.releaseMs) this.release();
  }

  /** Says, once for the words, that the candidate has probably finished (see `likely-utterance`). */
  private likelyDone(frameMs = (this.detector.frameSamples * 1000) / SAMPLE_RATE): void {
    if (this.frames * frameMs - this.lastVoicedMs < frameMs || this.heardToMs < this.lastVoicedMs) return;
    if (this.options.output?.speaking) return;
    const text = [...this.parts, this.partial ?? ''].join(' ').trim();
    if (!text || text === this.likelyText || soundsUnfinished(text) || isBackchannel(text)) return;
    this.likelyText = text;
    this.events.push({ type: 'likely-utterance', text });
  }

  private voiceActivity(event: SpeechEvent): void {
    switch (event.type) {
      case 'speech-start': {
        this.vadSpeaking = true;
        clearTimeout(this.timer);
        const at = this.clock.at(event.atMs);
        this.startedAt ??= at;
        this.startedAtAudioMs ??= event.atMs;
        this.events.push({ type: 'speech-started', at });
        this.startBargeIn(at);
        this.pauseInterviewer();
        return;
      }
      case 'speech-confirmed':
        if (this.bargeIn) this.stopInterviewer();
        return;
      case 'speech-end': {
        this.vadSpeaking = false;
        if (this.bargeIn && !event.confirmed) this.release();
        if (!event.confirmed && this.parts.length === 0 && !this.awaitingFinal) {
          // A cough or a click: nothing to answer.
          this.startedAt = null;
          this.startedAtAudioMs = null;
          return;
        }
        this.speechEndedAt = this.clock.at(this.lastVoicedMs);
        this.speechEndedAtAudioMs = this.lastVoicedMs;
        if (this.recognizerInput) {
          this.awaitingFinal = true;
          this.recognizerInput.push(END_OF_SPEECH);
        }
        this.decide();
        return;
      }
    }
  }

  private transcribed(event: TranscriptEvent): void {
    switch (event.type) {
      case 'speech-started':
        return;
      case 'transcript-partial':
        this.events.push({ type: 'transcript-partial', text: event.text });
        this.partial = event.text.trim();
        this.heardToMs = Math.max(this.heardToMs, event.endMs);
        this.wordsHeard(event.text);
        this.likelyDone();
        return;
      case 'transcript-final':
        this.partial = null;
        this.heardToMs = Math.max(this.heardToMs, event.endMs);
        if (event.text.trim()) {
          this.parts.push(event.text.trim());
          this.wordsHeard(event.text);
          this.startedAt ??= this.clock.at(event.startMs);
          this.startedAtAudioMs ??= event.startMs;
        }
        if (event.speechFinal) {
          this.awaitingFinal = false;
          this.sttFinalAt = this.now();
          // The VAD did not hear this speech (it was quiet, or not speech-like): the recognizer's end stands.
          if (this.speechEndedAt === null && !this.vadSpeaking && this.parts.length > 0) {
            this.speechEndedAt = this.clock.at(event.endMs);
            this.speechEndedAtAudioMs = event.endMs;
          }
        }
        this.decide();
        this.likelyDone();
        return;
      case 'utterance-end':
        this.awaitingFinal = false;
        if (this.speechEndedAt === null && !this.vadSpeaking && this.parts.length > 0) {
          this.speechEndedAt = this.clock.at(event.atMs);
          this.speechEndedAtAudioMs = event.atMs;
        }
        this.decide();
        return;
    }
  }

  /** The candidate may be starting to speak over the interviewer: duck it now. */
  private startBargeIn(onsetAt: number): void {
    const output = this.options.output;
    if (!output?.speaking || this.bargeIn) return;
    this.overInterviewer = true;
    // The onset frame itself was voiced.
    this.bargeIn = { marks: { onsetAt, duckedAt: output.duck() }, voicedMs: (this.detector.frameSamples * 1000) / SAMPLE_RATE, quietMs: 0, paused: false };
  }

  /** The candidate is probably speaking: silence the interviewer at once, keeping its place. */
  private pauseInterviewer(): void {
    const barge = this.bargeIn;
    const output = this.options.output;
    if (!barge || !output || barge.paused) return;
    barge.paused = true;
    const at = output.pause();
    barge.marks.silencedAt ??= at;
    // Ducked audio still queued is never heard: from the silence on, it is at least that quiet.
    if (barge.marks.duckedAt !== undefined) barge.marks.duckedAt = Math.min(barge.marks.duckedAt, at);
    this.options.echo?.stopped(at);
  }

  /** Words from the recognizer confirm a barge-in, unless they are only a backchannel. */
  private wordsHeard(text: string): void {
    if (!text.trim() || isBackchannel(text)) return;
    if (!this.bargeIn && this.vadSpeaking) this.startBargeIn(this.now());
    if (this.bargeIn) this.stopInterviewer();
  }

  private stopInterviewer(): void {
    const barge = this.bargeIn;
    const output = this.options.output;
    if (!barge || !output || barge.marks.stoppedAt !== undefined) return;
    const interruptedAt = output.interrupt();
    const at = this.now();
    this.options.echo?.stopped(at);
    barge.marks.stoppedAt = at;
    barge.marks.silencedAt = Math.min(barge.marks.silencedAt ?? at, at);
    this.overInterviewer = false;
    this.bargeIn = null;
    this.events.push({ type: 'interrupted', interruptedAt, marks: barge.marks });
  }

  private release(): void {
    const barge = this.bargeIn;
    if (!barge || barge.marks.stoppedAt !== undefined) return;
    this.options.output?.resume();
    barge.marks.resumedAt = this.now();
    this.bargeIn = null;
    this.events.push({ type: 'resumed', marks: barge.marks });
  }

  /** Ends the turn when the candidate is done; `atEnd` is the microphone's end, where nothing more will come. */
  private decide(atEnd = false): void {
    clearTimeout(this.timer);
    if (this.vadSpeaking && !atEnd) return;
    if (this.speechEndedAt === null) return;
    const now = this.now();
    const text = this.parts.join(' ');
    if (this.awaitingFinal && !atEnd) {
      const giveUpAt = this.speechEndedAt + this.finalTimeoutMs;
      if (now < giveUpAt) {
        this.timer = setTimeout(() => this.decide(), giveUpAt - now);
        return;
      }
    }
    if (this.recognizerInput && text === '') {
      this.reset();
      return;
    }
    const due = this.speechEndedAt + endpointingDelayMs(text, this.endpointing);
    if (now < due && !atEnd) {
      this.timer = setTimeout(() => this.decide(), due - now);
      return;
    }
    const overInterviewer = this.overInterviewer;
    const utterance: CandidateUtterance = {
      text,
      unfinished: soundsUnfinished(text),
      startedAt: this.startedAt ?? this.speechEndedAt,
      audio: { startMs: Math.round(this.startedAtAudioMs ?? this.speechEndedAtAudioMs ?? 0), endMs: Math.round(this.speechEndedAtAudioMs ?? 0) },
      marks: { speechEndedAt: this.speechEndedAt, endpointedAt: now, ...(this.sttFinalAt !== null ? { sttFinalAt: this.sttFinalAt } : {}) },
    };
    this.reset();
    if (overInterviewer && isBackchannel(text)) return;
    this.events.push({ type: 'utterance', utterance });
  }

  private reset(): void {
    this.parts = [];
    this.startedAt = null;
    this.speechEndedAt = null;
    this.startedAtAudioMs = null;
    this.speechEndedAtAudioMs = null;
    this.sttFinalAt = null;
    this.awaitingFinal = false;
    this.overInterviewer = false;
    this.partial = null;
    this.likelyText = null;
  }
}
