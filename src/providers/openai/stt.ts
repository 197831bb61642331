import { untilAborted } from '../../core/abort.js';
import { AsyncQueue } from '../../core/async-queue.js';
import { rms, SAMPLE_RATE } from '../../core/pcm.js';
import { retryUntilFirst } from '../../core/retry.js';
import { wavFile } from '../../core/wav.js';
import { httpStatusError, ProviderError, unreachableError } from '../errors.js';
import { feedRecognizer } from '../recognizer-input.js';
import type { RecognizerInput, SpeechRecognizer, TranscriptEvent } from '../spec.js';

export const DEFAULT_OPENAI_STT_MODEL = 'whisper-1';

export interface OpenAiSttOptions {
  /** e.g. https://api.openai.com/v1, or a local whisper.cpp or faster-whisper server's http://127.0.0.1:8000/v1. */
  baseUrl: string;
  model?: string;
  apiKey?: string;
  /** ISO-639-1 language of the speech ("en"); the server detects it when unset. */
  language?: string;
  /** The longest an utterance may be: older audio before a mark is dropped (Whisper hears 30 s at a time). */
  maxUtteranceMs?: number;
  /** How long a request may take before it counts as failed. */
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
}

/** Quieter than this (about -50 dBFS) is silence before the speech, trimmed from the file. */
const SPEECH_FLOOR = 0.003;
/** Kept before the first sound above the floor, so a soft onset is not cut. */
const PRE_ROLL_MS = 300;

/**
 * Any OpenAI-compatible transcription endpoint (`POST /audio/transcriptions`): OpenAI, whisper.cpp's
 * server, faster-whisper servers. It hears whole utterances only: the audio since the last
 * END_OF_SPEECH (local VAD saw the speech end) goes up as one WAV file, and its text comes back as
 * one final, followed by `utterance-end`. There are no partials and no speech-started. Requests
 * overlap with the audio still coming in; their results are said in order.
 */
export class OpenAiCompatibleStt implements SpeechRecognizer {
  readonly name = 'openai';
  private readonly url: string;
  private readonly settings: Required<Omit<OpenAiSttOptions, 'baseUrl' | 'apiKey' | 'language'>>;

  constructor(private readonly options: OpenAiSttOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/audio/transcriptions`;
    this.settings = {
      model: options.model ?? DEFAULT_OPENAI_STT_MODEL,
      maxUtteranceMs: options.maxUtteranceMs ?? 30_000,
      timeoutMs: options.timeoutMs ?? 15_000,
      retries: options.retries ?? 1,
      backoffMs: options.backoffMs ?? 250,
    };
  }

  transcribe(audio: AsyncIterable<RecognizerInput>, signal?: AbortSignal): AsyncGenerator<TranscriptEvent> {
    // Each utterance's events, as a promise, in the order the utterances ended.
    const utterances = new AsyncQueue<Promise<TranscriptEvent[]>>();
    const stop = new AbortController();
    const stopAll = () => {
      stop.abort();
      utterances.end();
    };
    return untilAborted(signal, stopAll, () => {
      this.segment(audio, utterances, stop.signal);
      return inOrder(utterances, stop.signal);
    });
  }

  /** Cuts the stream at each END_OF_SPEECH and sends each piece off to be transcribed. */
  private segment(audio: AsyncIterable<RecognizerInput>, utterances: AsyncQueue<Promise<TranscriptEvent[]>>, signal: AbortSignal): void {
    const maxSamples = (this.settings.maxUtteranceMs * SAMPLE_RATE) / 1000;
    let frames: Int16Array[] = [];
    let keptSamples = 0;
    let streamSamples = 0;
    const send = (then: (final: TranscriptEvent | null, endSample: number) => TranscriptEvent[]) => {
      const endSample = streamSamples;
      const heard = this.utterance(frames, endSample - keptSamples, signal);
      heard.catch(() => {});
      utterances.push(heard.then((final) => then(final, endSample)));
      frames = [];
      keptSamples = 0;
    };
    void feedRecognizer(audio, {
      stopped: () => signal.aborted,
      frame: (frame) => {
        // A copy: a microphone may reuse its buffer.
        frames.push(frame.slice());
        keptSamples += frame.length;
        streamSamples += frame.length;
        while (keptSamples - frames[0]!.length >= maxSamples) keptSamples -= frames.shift()!.length;
      },
      endOfSpeech: () => send((final, endSample) => [...(final ? [final] : []), { type: 'utterance-end', atMs: toMs(endSample) }]),
      endOfInput: () => {
        // Speech the stream ended in the middle of still has its words.
        if (frames.some((frame) => rms(frame) >= SPEECH_FLOOR)) send((final) => (final ? [final] : []));
        utterances.end();
      },
      failed: (error) => utterances.end(error),
    });
  }

  /** One utterance's final transcript, or null when nothing was said in it. */
  private async utterance(frames: Int16Array[], startSample: number, signal: AbortSignal): Promise<TranscriptEvent | null> {
    const endSample = startSample + frames.reduce((n, f) => n + f.length, 0);
    const loud = frames.findIndex((frame) => rms(frame) >= SPEECH_FLOOR);
    let skip = 0;
    if (loud > 0) {
      const loudAt = frames.slice(0, loud).reduce((n, f) => n + f.length, 0);
      skip = Math.max(0, loudAt - (PRE_ROLL_MS * SAMPLE_RATE) / 1000);
    }
    if (endSample - startSample - skip <= 0) return null;
    const samples = new Int16Array(endSample - startSample - skip);
    let at = -skip;
    for (const frame of frames) {
      if (at + frame.length > 0) samples.set(at >= 0 ? frame : frame.subarray(-at), Math.max(0, at));
      at += frame.length;
    }
    let text = '';
    for await (const answer of retryUntilFirst(() => this.request(wavFile(samples), signal), this.settings, signal)) text = answer;
    text = text.trim();
    return text ? { type: 'transcript-final', text, startMs: toMs(startSample + skip), endMs: toMs(endSample), speechFinal: true } : null;
  }

  private async *request(wav: Buffer, signal: AbortSignal): AsyncGenerator<string> {
    const form = new FormData();
    form.append('file', new Blob([wav], { type: 'audio/wav' }), 'utterance.wav');
    form.append('model', this.settings.model);
    form.append('response_format', 'json');
    if (this.options.language) form.append('language', this.options.language);
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {},
        body: form,
        signal: AbortSignal.any([signal, timeout]),
      });
      if (!res.ok) {
        await res.body?.cancel();
        throw httpStatusError('openai', res.status, this.url, {
          auth: 'check OPENAI_API_KEY',
          notFound: 'check OPENAI_STT_BASE_URL (a server with /audio/transcriptions) and OPENAI_STT_MODEL',
          badRequest: 'check OPENAI_STT_MODEL',
        });
      }
      const body = (await res.json()) as { text?: unknown };
      if (typeof body.text !== 'string') throw new ProviderError('openai', `${this.url} answered without a "text" field: check OPENAI_STT_BASE_URL`);
      yield body.text;
    } catch (error) {
      if (error instanceof ProviderError || signal.aborted) throw error;
      if (timeout.aborted) throw new ProviderError('openai', `no transcript from ${this.url} within ${this.settings.timeoutMs / 1000} s`, { retryable: true });
      throw unreachableError('openai', this.url, error);
    }
  }
}

const toMs = (samples: number) => Math.round((samples * 1000) / SAMPLE_RATE);

/** The utterances' events in the order they ended; a request cut short by the stop is no failure. */
async function* inOrder(utterances: AsyncIterable<Promise<TranscriptEvent[]>>, stopped: AbortSignal): AsyncGenerator<TranscriptEvent> {
  for await (const pending of utterances) {
    let events: TranscriptEvent[];
    try {
      events = await pending;
    } catch (error) {
      if (stopped.aborted) return;
      throw error;
    }
    if (stopped.aborted) return;
    yield* events;
  }
}
