import { PcmDecoder } from '../../core/pcm.js';
import { retryUntilFirst } from '../../core/retry.js';
import { httpStatusError, ProviderError, unreachableError } from '../errors.js';
import type { SpeechSynthesizer } from '../spec.js';

export const DEFAULT_OPENAI_TTS_MODEL = 'tts-1';
export const DEFAULT_OPENAI_TTS_VOICE = 'alloy';
/** response_format "pcm" in OpenAI's API: 24 kHz, signed 16-bit little-endian, mono, no header. */
const OPENAI_PCM_RATE = 24_000;

export interface OpenAiTtsOptions {
  /** e.g. https://api.openai.com/v1, or a local server's http://127.0.0.1:8880/v1 (Kokoro-FastAPI). */
  baseUrl: string;
  model?: string;
  voice?: string;
  apiKey?: string;
  /** The rate of the server's raw PCM, for a server that does not send OpenAI's 24 kHz. */
  sampleRate?: number;
  /** The wait for the response headers, and then for each next piece of audio. */
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
}

/**
 * Any OpenAI-compatible speech endpoint (`POST /audio/speech`): OpenAI, and local servers such as
 * Kokoro-FastAPI or Piper front ends. One request a chunk; the raw PCM streams back as it is
 * synthesised and is resampled to 16 kHz on the way.
 */
export class OpenAiCompatibleTts implements SpeechSynthesizer {
  readonly name = 'openai';
  private readonly url: string;
  private readonly model: string;
  private readonly voice: string;
  private readonly sampleRate: number;
  private readonly timeoutMs: number;
  private readonly policy: { retries: number; backoffMs: number };

  constructor(private readonly options: OpenAiTtsOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/audio/speech`;
    this.model = options.model ?? DEFAULT_OPENAI_TTS_MODEL;
    this.voice = options.voice ?? DEFAULT_OPENAI_TTS_VOICE;
    this.sampleRate = options.sampleRate ?? OPENAI_PCM_RATE;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    // One quick retry, before the first audio only, as for ElevenLabs: a longer wait is silence.
    this.policy = { retries: options.retries ?? 1, backoffMs: options.backoffMs ?? 250 };
  }

  synthesize(text: string, signal?: AbortSignal): AsyncGenerator<Int16Array> {
    return retryUntilFirst(() => this.speak(text, signal), this.policy, signal);
  }

  private async *speak(text: string, signal?: AbortSignal): AsyncGenerator<Int16Array> {
    if (text.trim() === '' || signal?.aborted) return;
    const request = new AbortController();
    const abort = () => request.abort();
    signal?.addEventListener('abort', abort, { once: true });
    let stalled = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = true;
        request.abort();
      }, this.timeoutMs);
    };
    const failed = (error: unknown, midStream = false): ProviderError | null => {
      if (signal?.aborted) return null;
      if (stalled) return new ProviderError('openai', `no audio from ${this.url} for ${this.timeoutMs / 1000} s`, { retryable: true });
      if (midStream)
        return new ProviderError('openai', `the audio stream from ${this.url} broke off (${(error as Error).message})`, { retryable: true, cause: error });
      return unreachableError('openai', this.url, error);
    };
    try {
      arm();
      let res: Response;
      try {
        res = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) },
          body: JSON.stringify({ model: this.model, voice: this.voice, input: text.trim(), response_format: 'pcm' }),
          signal: request.signal,
        });
      } catch (error) {
        const failure = failed(error);
        if (failure) throw failure;
        return;
      }
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        throw httpStatusError('openai', res.status, this.url, {
          auth: 'check OPENAI_API_KEY',
          notFound: 'check OPENAI_TTS_BASE_URL (a server with /audio/speech) and OPENAI_TTS_MODEL',
          badRequest: 'check OPENAI_TTS_MODEL and OPENAI_TTS_VOICE',
        });
      }
      const decoder = new PcmDecoder(this.sampleRate);
      try {
        for await (const piece of res.body) {
          arm();
          const samples = decoder.push(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
          if (samples.length > 0) yield samples;
        }
      } catch (error) {
        const failure = failed(error, true);
        if (failure) throw failure;
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      // A consumer that stops reading (an abort, a barge-in) ends the request too.
      request.abort();
    }
  }
}
